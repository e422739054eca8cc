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
/// Register it with the host's health checks in one line,
/// <code>services.AddGracefulDisconnectHealthChecks();</code>
/// (<see cref="Microsoft.Extensions.DependencyInjection.GracefulDisconnectHealthChecksServiceCollectionExtensions"/>), or
/// as any other check: <c>services.AddHealthChecks().AddCheck&lt;DeviceEngineHealthCheck&gt;("gracefuldisconnect")</c>.
/// Each check also asks the store for its counts (one cheap call, at most <see cref="StoreTimeout"/>): a store that
/// does not answer is <see cref="HealthStatus.Unhealthy"/>, and an outbox holding more than
/// <see cref="MaxUndelivered"/> notifications is <see cref="HealthStatus.Degraded"/>. With <see cref="QuietAfter"/>
/// set, no event recorded for that long is <see cref="HealthStatus.Degraded"/> too (a source that went blind).
/// It never calls a channel.
/// </remarks>
public sealed class DeviceEngineHealthCheck : IHealthCheck
{
    internal const long DefaultMaxUndelivered = 1000;
    internal static readonly TimeSpan DefaultStoreTimeout = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan DefaultOverdueAfter = TimeSpan.FromMinutes(1);

    private readonly DeviceEngine _engine;
    private readonly DeviceEngineHealth _health;
    private readonly TimeProvider _time;
    private readonly IDeviceStore _store;

    /// <summary>Creates the check; usually activated by <c>AddCheck&lt;DeviceEngineHealthCheck&gt;(...)</c> from DI.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="health">What the engine's loops report.</param>
    /// <param name="time">The clock.</param>
    /// <param name="store">The engine's store, asked for its counts.</param>
    public DeviceEngineHealthCheck(DeviceEngine engine, DeviceEngineHealth health, TimeProvider time, IDeviceStore store)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(store);
        _engine = engine;
        _health = health;
        _time = time;
        _store = store;
    }

    /// <summary>How many undelivered notifications the outbox may hold before the engine counts as degraded. Default 1,000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long MaxUndelivered
    {
        get;
        init => field = NotNegative(value, nameof(MaxUndelivered));
    } = DefaultMaxUndelivered;

    /// <summary>How long the store has to answer the check's call. Default 5 seconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan StoreTimeout
    {
        get;
        init => field = Positive(value, nameof(StoreTimeout));
    } = DefaultStoreTimeout;

    /// <summary>
    /// With a value, the engine counts as degraded when no event was recorded for that long (since the latest batch, or
    /// since the start): for a source that is never quiet that long, a sign it stopped feeding the engine. Default
    /// <see langword="null"/>: off, since a small fleet may rightly be quiet for hours.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan? QuietAfter
    {
        get;
        init => field = value is { } quiet ? Positive(quiet, nameof(QuietAfter)) : null;
    }

    /// <summary>
    /// How long due work may wait before the engine counts as degraded: since the latest pass over due work (the
    /// hosted loop makes one at least every 200 ms), or between a device's wake time and its step. The default value
    /// is 1 minute.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan OverdueAfter
    {
        get;
        init => field = Positive(value, nameof(OverdueAfter));
    } = DefaultOverdueAfter;

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        if (_health.Fault is { } fault)
        {
            return HealthCheckResult.Unhealthy($"The engine stopped: the store failed and retrying cannot mend it. {fault.Message}", fault, data);
        }

        var problems = new List<string>();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(StoreTimeout);
            try
            {
                var counts = await _store.CountAsync(timeout.Token).ConfigureAwait(false);
                data["waking"] = counts.Waking;
                data["undelivered"] = counts.Undelivered;
                data["offline"] = counts.Offline;
                if (counts.Undelivered > MaxUndelivered)
                {
                    problems.Add($"The outbox holds {counts.Undelivered} undelivered notifications (more than {MaxUndelivered}).");
                }
            }
            catch (DeviceStoreException exception)
            {
                return HealthCheckResult.Unhealthy($"The store does not answer: {exception.Message}", exception, data);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy($"The store did not answer within {Seconds(StoreTimeout)}.", data: data);
            }
        }

        var lastRecorded = _engine.LastRecordedAt;
        if (lastRecorded is { } recorded)
        {
            data["lastRecorded"] = Iso(recorded);
        }

        if (QuietAfter is { } quiet && now - (lastRecorded ?? _engine.StartedAt) > quiet)
        {
            problems.Add($"No event recorded for {Seconds(now - (lastRecorded ?? _engine.StartedAt))} (more than {Seconds(quiet)}): is the source still feeding the engine?");
        }

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

        return problems.Count == 0
            ? HealthCheckResult.Healthy("The engine is running; every channel delivers.", data)
            : HealthCheckResult.Degraded(string.Join(" ", problems), data: data);
    }

    // The limits' rules, shared with the registration's early check (AddGracefulDisconnectHealthChecks).
    internal static TimeSpan Positive(TimeSpan value, string name)
        => value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be longer than zero.");

    internal static long NotNegative(long value, string name)
        => value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be 0 or more.");

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###} s");
}
