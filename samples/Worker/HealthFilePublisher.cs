using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Samples.Worker;

/// <summary>
/// Publishes each health report without a web server: a log line whenever the status changes, and the whole
/// report as JSON in <see cref="WorkerOptions.HealthFile"/> (replaced atomically) for a monitoring agent,
/// a cron job or a container health check to read.
/// </summary>
internal sealed class HealthFilePublisher(IOptions<WorkerOptions> options, TimeProvider time, ILogger<HealthFilePublisher> logger) : IHealthCheckPublisher
{
    private HealthStatus? _last;

    public async Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Status != _last)
        {
            var description = string.Join(" ", report.Entries.Select(entry => $"{entry.Key}: {entry.Value.Description}"));
            if (report.Status == HealthStatus.Healthy)
            {
                WorkerLog.Healthy(logger, description);
            }
            else
            {
                WorkerLog.NotHealthy(logger, report.Status, description);
            }

            _last = report.Status;
        }

        if (string.IsNullOrWhiteSpace(options.Value.HealthFile))
        {
            return;
        }

        try
        {
            await WriteAsync(options.Value.HealthFile, report, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            WorkerLog.HealthFileFailed(logger, options.Value.HealthFile, exception);
        }
    }

    private async Task WriteAsync(string path, HealthReport report, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
        await using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteString("checkedAt", time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", entry.Description);
                json.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    if (value is long or int)
                    {
                        json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                    }
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
