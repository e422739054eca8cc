using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Samples.Worker;

/// <summary>
/// Healthy while a poll of the queue has succeeded within <see cref="WorkerOptions.UnhealthyAfter"/>;
/// degraded when the latest poll failed (or none has finished yet) but the last success is recent enough. Its data
/// include what the engine's store still has to do. A store that cannot be read makes the check fail (unhealthy).
/// </summary>
internal sealed class LastPollHealthCheck(PollHealth health, IDeviceStore store, IOptions<WorkerOptions> options, TimeProvider time) : IHealthCheck
{
    public const string Name = "sqs-poll";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = health.Read();
        var counts = await store.CountAsync(cancellationToken);
        var now = time.GetUtcNow();
        var limit = options.Value.UnhealthyAfter;
        var data = new Dictionary<string, object>
        {
            ["startedAt"] = Iso(state.StartedAt),
            ["received"] = state.Received,
            ["rejected"] = state.Rejected,
            ["waitingDevices"] = counts.Waking,
            ["undeliveredNotifications"] = counts.Undelivered,
            ["offlineDevices"] = counts.Offline,
        };
        if (state.LastSuccess is { } success)
        {
            data["lastSuccessfulPoll"] = Iso(success);
        }

        if (state.LastFailure is { } failure)
        {
            data["lastFailedPoll"] = Iso(failure);
            data["lastError"] = state.LastError ?? string.Empty;
        }

        return state.LastSuccess switch
        {
            null when now - state.StartedAt <= limit => HealthCheckResult.Degraded("No poll of the queue has succeeded yet." + Cause(state), data: data),
            null => HealthCheckResult.Unhealthy($"No poll of the queue has succeeded since the start {Age(now - state.StartedAt)} ago." + Cause(state), data: data),
            { } last when now - last > limit => HealthCheckResult.Unhealthy($"The last successful poll of the queue was {Age(now - last)} ago (limit {Age(limit)})." + Cause(state), data: data),
            { } last when state.LastFailure > last => HealthCheckResult.Degraded("The latest poll of the queue failed." + Cause(state), data: data),
            { } last => HealthCheckResult.Healthy($"Last poll of the queue {Age(now - last)} ago.", data),
        };
    }

    private static string Cause(PollHealth.Snapshot state) => state.LastError is { } error ? $" Last error: {error}" : string.Empty;

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static string Age(TimeSpan value) => DurationText.Format(TimeSpan.FromSeconds(Math.Round(Math.Max(0, value.TotalSeconds))));
}
