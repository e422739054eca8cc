using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GracefulDisconnect;

/// <summary>
/// The device engine's health for <c>Microsoft.Extensions.Diagnostics.HealthChecks</c>: <see cref="HealthStatus.Unhealthy"/>
/// when the store failed in a way retrying cannot mend and the engine stopped; <see cref="HealthStatus.Degraded"/> when a
/// channel is failing (its messages wait in the outbox and are retried with backoff), a loop's store calls are failing and
/// being retried, or due re-checks are overdue (no pass over due work for <see cref="OverdueAfter"/>, or the latest one
/// stepped a device that long after its wake time); <see cref="HealthStatus.Healthy"/> otherwise.
/// </summary>
/// <remarks>
/// Register it with the host's health checks (the <c>AddCheck</c> extension is in the
/// <c>Microsoft.Extensions.Diagnostics.HealthChecks</c> package, which this one does not depend on):
/// <code>services.AddHealthChecks().AddCheck&lt;DeviceEngineHealthCheck&gt;("gracefuldisconnect");</code>
/// The check reads what the engine already knows; it makes no call to the store or to a channel.
/// </remarks>
public sealed class DeviceEngineHealthCheck : IHealthCheck
{
    private readonly DeviceEngine _engine;
    private readonly DeviceEngineHealth _health;
    private readonly TimeProvider _time;

    /// <summary>Creates the check; usually activated by <c>AddCheck&lt;DeviceEngineHealthCheck&gt;(...)</c> from DI.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="health">What the engine's loops report.</param>
    /// <param name="time">The clock.</param>
    public DeviceEngineHealthCheck(DeviceEngine engine, DeviceEngineHealth health, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(time);
        _engine = engine;
        _health = health;
        _time = time;
    }

    /// <summary>
    /// How long due work may wait before the engine counts as degraded: since the latest pass over due work (the
    /// hosted loop makes one at least every 200 ms), or between a device's wake time and its step. The default value
    /// is 1 minute.
    /// </summary>
    public TimeSpan OverdueAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        if (_health.Fault is { } fault)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The engine stopped: the store failed and retrying cannot mend it. {fault.Message}", fault, data));
        }

        var problems = new List<string>();
        foreach (var failure in _engine.FailingChannels)
        {
            data[$"channel.{failure.Channel}"] = $"failing since {Iso(failure.FailedAt)}, attempt {failure.Attempts}, retrying at {Iso(failure.RetryAt)}: {failure.Error}";
            problems.Add($"Channel '{failure.Channel}' is failing (attempt {failure.Attempts}, retrying at {Iso(failure.RetryAt)}): {failure.Error}");
        }

        foreach (var failure in _health.Retrying.OrderBy(failure => failure.Loop, StringComparer.Ordinal))
        {
            data[$"loop.{failure.Loop}"] = $"failing since {Iso(failure.Since)}: {failure.Error}";
            problems.Add($"The {failure.Loop} loop's store calls are failing since {Iso(failure.Since)} and are retried: {failure.Error}");
        }

        if (_engine.LastDuePass is { } pass)
        {
            data["lastDuePass"] = Iso(pass.At);
            data["lateness"] = Seconds(pass.Lateness);
            if (now - pass.At > OverdueAfter)
            {
                problems.Add($"No pass over due re-checks for {Seconds(now - pass.At)}.");
            }
            else if (pass.Lateness > OverdueAfter)
            {
                problems.Add($"Due re-checks are overdue: the latest was stepped {Seconds(pass.Lateness)} after its wake time.");
            }
        }
        else if (now - _engine.StartedAt > OverdueAfter)
        {
            problems.Add($"No pass over due re-checks since the engine started {Seconds(now - _engine.StartedAt)} ago (is RunDeviceEngine() registered, or RunDueAsync called?).");
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy("The engine is running; every channel delivers.", data)
            : HealthCheckResult.Degraded(string.Join(" ", problems), data: data));
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###} s");
}
