using System.Diagnostics.Metrics;

namespace GracefulDisconnect;

/// <summary>
/// The <c>GracefulDisconnect</c> meter: decisions by verdict, pending re-checks, how long a decision
/// takes and how late notifications are compared with the end of the grace period.
/// </summary>
public sealed class GracefulDisconnectMetrics : IDisposable
{
    /// <summary>The meter name to listen to (OpenTelemetry: <c>AddMeter("GracefulDisconnect")</c>).</summary>
    public const string MeterName = "GracefulDisconnect";

    private readonly Meter _meter;
    private readonly Counter<long> _rechecks;
    private readonly UpDownCounter<long> _pending;
    private readonly Histogram<double> _decisionDuration;
    private readonly Histogram<double> _notificationDelay;
    private readonly Counter<long> _notificationFailures;
    private readonly Counter<long> _alertsSent;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or a standalone meter.</summary>
    /// <param name="meterFactory">The factory from DI, when there is one.</param>
    public GracefulDisconnectMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _rechecks = _meter.CreateCounter<long>("gracefuldisconnect.rechecks", "{recheck}", "Re-checks decided, by result (notify, skip-reconnected, ...).");
        _pending = _meter.CreateUpDownCounter<long>("gracefuldisconnect.rechecks.pending", "{recheck}", "Wakes pending in this process's in-memory scheduler (UseInMemoryScheduler).");
        _decisionDuration = _meter.CreateHistogram<double>("gracefuldisconnect.recheck.duration", "s", "Time to run one re-check: read, decide and notify.");
        _notificationDelay = _meter.CreateHistogram<double>("gracefuldisconnect.notification.delay", "s", "How long after the end of the grace period a notification was decided.");
        _notificationFailures = _meter.CreateCounter<long>("gracefuldisconnect.notifications.failed", "{notification}", "Notifications that failed and are retried later.");
        _alertsSent = _meter.CreateCounter<long>("gracefuldisconnect.alerts.sent", "{notification}", "Opt-in notifications sent, by kind (recovered, reminder, flapping, digest).");
    }

    internal void RecheckDecided(RecheckResult result, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("result", result.ToReportName());
        _rechecks.Add(1, tag);
        _decisionDuration.Record(duration.TotalSeconds, tag);
    }

    internal void PendingChanged(long delta) => _pending.Add(delta);

    internal void NotificationDelayed(TimeSpan delay) => _notificationDelay.Record(Math.Max(0, delay.TotalSeconds));

    internal void NotificationFailed() => _notificationFailures.Add(1);

    internal void AlertSent(NotificationKind kind) => _alertsSent.Add(1, new KeyValuePair<string, object?>("kind", kind.ToReportName()));

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
