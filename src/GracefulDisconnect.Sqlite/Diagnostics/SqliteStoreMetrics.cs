using System.Diagnostics.Metrics;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// The store's instruments on the <c>GracefulDisconnect</c> meter: how many notifications wait in the
/// outbox and how often the outbox had to re-send one.
/// </summary>
internal sealed class SqliteStoreMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _retries;
    private long _outboxPending;

    public SqliteStoreMetrics(IMeterFactory? meterFactory = null)
    {
        // A factory hands out one shared meter per name and disposes it itself; a standalone meter is ours.
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(GracefulDisconnectMetrics.MeterName) ?? new Meter(GracefulDisconnectMetrics.MeterName);
        _meter.CreateObservableGauge(
            "gracefuldisconnect.outbox.pending",
            () => Volatile.Read(ref _outboxPending),
            "{notification}",
            "Notifications claimed but not yet confirmed sent, as of the last outbox pass.");
        _retries = _meter.CreateCounter<long>(
            "gracefuldisconnect.outbox.retries",
            "{attempt}",
            "Notifications the outbox re-sent, by result (sent, failed).");
    }

    public void OutboxPending(long count) => Volatile.Write(ref _outboxPending, count);

    public void OutboxRetried(bool sent) => _retries.Add(1, new KeyValuePair<string, object?>("result", sent ? "sent" : "failed"));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
