namespace GracefulDisconnect.Mqtt;

/// <summary>
/// How far the source's recording has come, as the engine's ingest watermark (<see cref="DeviceEngine.IngestWatermark"/>):
/// a time before which every message that reached us is recorded. The engine holds a due re-check until the
/// watermark has passed it, so a reconnect the broker still has for us (queued for our session while we were down,
/// or retained) is recorded before the re-check of the disconnect it ends, and "offline" is never said of a device
/// whose "online" is on its way.
/// </summary>
/// <remarks>
/// MQTT says nothing of where a backlog ends: after each (re)connect, the backlog counts as delivered once nothing has
/// arrived for <see cref="Quiet"/> and everything that did arrive is recorded. Until then, and while disconnected, the
/// watermark stays at the last moment we were caught up, but never more than <see cref="MaxHold"/> behind the clock:
/// a broker that stays away must not hold back every re-check, only delay them by that much.
/// </remarks>
internal sealed class IngestProgress(TimeProvider time)
{
    /// <summary>How long nothing must arrive after a (re)connect before the broker's backlog counts as delivered.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    /// <summary>The most the watermark lags behind the clock.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();

    /// <summary>
    /// A progress whose watermark the engine waits for, when the sink is the device engine and no other source set one
    /// (a sink of the user's own gets no watermark: it decides itself when its events are due).
    /// </summary>
    /// <param name="sink">Where the source records its events.</param>
    /// <param name="time">The clock.</param>
    /// <returns>The progress to report to.</returns>
    public static IngestProgress AttachTo(IConnectionEventSink sink, TimeProvider time)
    {
        var progress = new IngestProgress(time);
        if (sink is DeviceEngine engine && engine.IngestWatermark is null)
        {
            engine.IngestWatermark = () => progress.Watermark;
        }

        return progress;
    }
    private long _unrecorded;
    private DateTimeOffset _caughtUpAt = DateTimeOffset.MinValue;
    private DateTimeOffset _lastArrival = DateTimeOffset.MinValue;
    private DateTimeOffset? _connectedAt;
    private bool _backlogDelivered;

    /// <summary>The source connected and subscribed: the broker's backlog for us starts arriving.</summary>
    public void Connected()
    {
        lock (_gate)
        {
            _connectedAt = time.GetUtcNow();
            _backlogDelivered = false;
        }
    }

    /// <summary>The source lost its connection: from now on we are blind.</summary>
    public void Disconnected()
    {
        lock (_gate)
        {
            if (_connectedAt is not null && _backlogDelivered && _unrecorded == 0)
            {
                _caughtUpAt = time.GetUtcNow();
            }

            _connectedAt = null;
        }
    }

    /// <summary>A message arrived and waits to be recorded.</summary>
    public void Arrived()
    {
        lock (_gate)
        {
            _unrecorded++;
            _lastArrival = time.GetUtcNow();
        }
    }

    /// <summary>Messages that had arrived are recorded (or dropped for good).</summary>
    /// <param name="count">How many.</param>
    public void Recorded(int count)
    {
        lock (_gate)
        {
            _unrecorded -= count;
            if (_unrecorded == 0 && _connectedAt is not null && _backlogDelivered)
            {
                _caughtUpAt = time.GetUtcNow();
            }
        }
    }

    /// <summary>Every message that arrived before this time is recorded.</summary>
    public DateTimeOffset Watermark
    {
        get
        {
            lock (_gate)
            {
                var now = time.GetUtcNow();
                if (_connectedAt is { } connectedAt && !_backlogDelivered && _unrecorded == 0 && now - Latest(connectedAt, _lastArrival) >= Quiet)
                {
                    _backlogDelivered = true;
                    _caughtUpAt = now;
                }

                if (_connectedAt is not null && _backlogDelivered && _unrecorded == 0)
                {
                    return now;
                }

                return _caughtUpAt > now - MaxHold ? _caughtUpAt : now - MaxHold;
            }
        }
    }

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
