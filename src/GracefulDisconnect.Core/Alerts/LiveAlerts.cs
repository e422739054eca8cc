using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect;

/// <summary>
/// The opt-in alerts of the live engine, meaning what replay shows (see <c>FleetHistory.AlertRun</c>):
/// <list type="bullet">
/// <item><b>recovered</b>: a connect newer than the start of a notified outage still open; <c>offlineFor</c> = connect
/// time − outage start. A newer disconnect closes the open outage without one.</item>
/// <item><b>reminder</b>: n × interval after the offline notification was sent, at most <see cref="GracefulDisconnectOptions.MaxReminders"/>,
/// while a re-check would still say notify for that outage. The series rides on the scheduler: the re-check that
/// notifies asks to be delivered again when the first reminder is due (<see cref="RecheckOutcome.RetryAt"/>), and
/// each reminder re-check asks for the next.</item>
/// <item><b>flapping</b>: once per episode, at the disconnect that makes it (<see cref="FlapDetector"/>).</item>
/// <item><b>digest</b>: offline notifications held per group (<see cref="LiveDigest"/>). An outage counts as notified
/// once its notification is sent: a reconnect while it was held is told right after, and reminders count from then.</item>
/// </list>
/// State is in memory, per process: after a restart, open outages and reminder series are forgotten (a reminder
/// re-check that finds no open outage ends as <c>skip-duplicate</c>), and a recovery or flapping notification not yet
/// sent is lost with it. Memory: one entry per device with a notified outage still open (removed when it recovers,
/// a newer disconnect arrives, or, without recoveries, its reminders end), plus the flap detector's own.
/// </summary>
internal sealed class LiveAlerts : IAsyncDisposable
{
    // A channel down for long must not let one device's unsent notifications grow without bound.
    private const int MaxUnsentPerThing = 32;

    private readonly GracefulDisconnectOptions _options;
    private readonly NotificationFormatter _formatter;
    private readonly Lazy<NotificationDispatcher> _dispatcher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GracefulDisconnectMetrics _metrics;
    private readonly FlapDetector? _flaps;
    private readonly LiveDigest? _digest;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, OpenOutage> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DeviceNotification>> _unsent = new(StringComparer.Ordinal);

    // Offline notifications on their way (sending, or held for a digest), and what happened to the device meanwhile:
    // a connect that arrives while the notification is still going out must not be lost for the recovery.
    private readonly Dictionary<string, Sending> _sending = new(StringComparer.Ordinal);

    public LiveAlerts(
        IEnumerable<INotifier> notifiers,
        NotificationFormatter formatter,
        IOptions<GracefulDisconnectOptions> options,
        TimeProvider time,
        ILogger<LiveAlerts> logger,
        GracefulDisconnectMetrics metrics,
        IHostApplicationLifetime? lifetime = null)
    {
        _options = options.Value;
        _formatter = formatter;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        // Lazily: a host that only ingests events (scheduling to a queue) resolves the monitor without any notifier.
        _dispatcher = new Lazy<NotificationDispatcher>(() => new NotificationDispatcher(notifiers, _options, time, logger));
        if (_options.Flapping is not null || _options.FlappingOverrides.Count != 0)
        {
            _flaps = new FlapDetector(_options.FlappingFor, time);
        }

        if (_options.Digest is { } digest)
        {
            _digest = new LiveDigest(digest, _options.DigestGroup, _dispatcher, formatter, time, logger, metrics);

            // A stopping host sends what is held now rather than making in-flight re-checks wait out the window.
            lifetime?.ApplicationStopping.Register(static digest => ((LiveDigest)digest!).Flush(), _digest);
        }
    }

    private bool TracksOutages => _options.NotifyRecovery || _options.ReminderInterval is not null;

    /// <summary>How many notified outages are open (for tests and diagnostics).</summary>
    public int OpenOutages
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>How many offline notifications are held for a digest (for tests and diagnostics).</summary>
    public int HeldForDigest => _digest?.HeldCount ?? 0;

    /// <summary>Sends an offline notification: held for a digest when digests are on, else straight to every channel.</summary>
    /// <returns>A task that completes once it was sent (alone or in a digest), or fails when it could not be.</returns>
    public ValueTask SendOfflineAsync(DeviceNotification notification, CancellationToken cancellationToken)
        => _digest is null ? _dispatcher.Value.SendAsync(notification, cancellationToken) : _digest.SendAsync(notification, cancellationToken);

    /// <summary>Sends a reminder through the channels.</summary>
    public ValueTask SendReminderAsync(DeviceNotification notification, CancellationToken cancellationToken)
        => _dispatcher.Value.SendAsync(notification, cancellationToken);

    /// <summary>The offline notification of an outage starts on its way (claimed, about to be sent or held).</summary>
    public void BeginSending(in DisconnectTrigger trigger)
    {
        if (!TracksOutages)
        {
            return;
        }

        lock (_lock)
        {
            _sending[trigger.ThingName] = new Sending(trigger.DisconnectedAt);
        }
    }

    /// <summary>The offline notification of an outage could not be sent; the re-check is retried later.</summary>
    public void AbortSending(in DisconnectTrigger trigger)
    {
        lock (_lock)
        {
            if (_sending.TryGetValue(trigger.ThingName, out var sending) && sending.OutageStart == trigger.DisconnectedAt)
            {
                _sending.Remove(trigger.ThingName);
            }
        }
    }

    /// <summary>
    /// Records an outage whose offline notification was just sent and confirmed. A reconnect that came while it was on
    /// its way (being sent, or held for a digest) is told now, and a newer disconnect meanwhile closes it, as in replay.
    /// </summary>
    /// <returns>When the first reminder is due, or <see langword="null"/> without reminders.</returns>
    public async ValueTask<DateTimeOffset?> OnNotifiedAsync(DisconnectTrigger trigger, DateTimeOffset notifiedAt, CancellationToken cancellationToken)
    {
        if (!TracksOutages)
        {
            return null;
        }

        DeviceNotification recovered;
        lock (_lock)
        {
            var meanwhile = _sending.Remove(trigger.ThingName, out var sending) && sending.OutageStart == trigger.DisconnectedAt ? sending : null;
            if (meanwhile is { RecoveredAt: null, Closed: true })
            {
                return null;
            }

            if (meanwhile?.RecoveredAt is not { } recoveredAt)
            {
                if (_open.TryGetValue(trigger.ThingName, out var open) && open.Trigger.DisconnectedAt > trigger.DisconnectedAt)
                {
                    return null;
                }

                var firstReminderAt = _options.ReminderInterval is { } interval ? notifiedAt + interval : (DateTimeOffset?)null;
                _open[trigger.ThingName] = new OpenOutage(trigger, notifiedAt) { NextReminderAt = firstReminderAt };
                return firstReminderAt;
            }

            if (!_options.NotifyRecovery)
            {
                return null;
            }

            recovered = _formatter.CreateRecovered(trigger, recoveredAt, _time.GetUtcNow(), _options.GracePeriodFor(trigger.ThingName));
        }

        try
        {
            await SendAllAsync(trigger.ThingName, [recovered], cancellationToken).ConfigureAwait(false);
        }
        catch (AlertNotSentException)
        {
            // Logged and kept for the device's next event; the offline notification itself was sent.
        }

        return null;
    }

    /// <summary>
    /// Claims the reminder due for <paramref name="trigger"/> at <paramref name="now"/>: only when it is the open,
    /// notified outage of its device, a reminder is due and no other re-check is sending it (a duplicate delivery).
    /// </summary>
    public bool TryClaimReminder(in DisconnectTrigger trigger, DateTimeOffset now, out int number)
    {
        number = 0;
        if (_options.ReminderInterval is null)
        {
            return false;
        }

        lock (_lock)
        {
            if (!TryGetOpen(trigger, out var open) || open.NextReminderAt is not { } dueAt || dueAt > now || open.ReminderInFlight)
            {
                return false;
            }

            open.ReminderInFlight = true;
            number = open.NextReminder;
            return true;
        }
    }

    /// <summary>Gives a claimed reminder back after reading or sending failed, so the retry may claim it.</summary>
    public void ReleaseReminder(in DisconnectTrigger trigger)
    {
        lock (_lock)
        {
            if (TryGetOpen(trigger, out var open))
            {
                open.ReminderInFlight = false;
            }
        }
    }

    /// <summary>Records that reminder <paramref name="number"/> was sent.</summary>
    /// <returns>When the next one is due, or <see langword="null"/> when the series is complete.</returns>
    public DateTimeOffset? OnReminded(in DisconnectTrigger trigger, int number)
    {
        lock (_lock)
        {
            if (!TryGetOpen(trigger, out var open))
            {
                return null;
            }

            open.ReminderInFlight = false;
            if (_options.MaxReminders is { } max && number >= max)
            {
                EndSeries(open, "the last reminder was sent");
                return null;
            }

            open.NextReminder = number + 1;
            open.NextReminderAt = open.NotifiedAt + (_options.ReminderInterval!.Value * open.NextReminder);
            return open.NextReminderAt;
        }
    }

    /// <summary>Ends the reminder series of an outage: a re-check no longer says notify.</summary>
    public void EndReminders(in DisconnectTrigger trigger, Verdict verdict)
    {
        lock (_lock)
        {
            if (TryGetOpen(trigger, out var open))
            {
                open.ReminderInFlight = false;
                EndSeries(open, verdict.ToReportName());
            }
        }
    }

    /// <summary>
    /// Follows a connect: a recovery for the open outage it is newer than. Throws when a notification could not be
    /// sent after every attempt: it is kept and sent again with the next event of the device.
    /// </summary>
    public async ValueTask OnConnectAsync(string thingName, DateTimeOffset connectedAt, CancellationToken cancellationToken)
    {
        var toSend = TakeUnsent(thingName);
        if (TracksOutages)
        {
            lock (_lock)
            {
                if (_open.TryGetValue(thingName, out var open) && connectedAt > open.Trigger.DisconnectedAt)
                {
                    _open.Remove(thingName);
                    if (_options.NotifyRecovery)
                    {
                        var recovered = _formatter.CreateRecovered(open.Trigger, connectedAt, _time.GetUtcNow(), _options.GracePeriodFor(thingName));
                        (toSend ??= []).Add(recovered);
                    }
                }
                else if (_sending.TryGetValue(thingName, out var sending) && connectedAt > sending.OutageStart && sending is { RecoveredAt: null, Closed: false })
                {
                    sending.RecoveredAt = connectedAt;
                }
            }
        }

        await SendAllAsync(thingName, toSend, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Follows a disconnect: closes an open outage it is newer than, and tells when it makes the device flap.
    /// Throws like <see cref="OnConnectAsync"/>.
    /// </summary>
    public async ValueTask OnDisconnectAsync(DisconnectTrigger trigger, CancellationToken cancellationToken)
    {
        var toSend = TakeUnsent(trigger.ThingName);
        if (TracksOutages)
        {
            lock (_lock)
            {
                if (_open.TryGetValue(trigger.ThingName, out var open)
                    && trigger.DisconnectedAt > open.Trigger.DisconnectedAt
                    && new OutageId(trigger) != open.Outage)
                {
                    // The connect in between never reached us, so when the device was back is unknown: no recovery.
                    _open.Remove(trigger.ThingName);
                }
                else if (_sending.TryGetValue(trigger.ThingName, out var sending)
                    && trigger.DisconnectedAt > sending.OutageStart
                    && new OutageId(trigger) != new OutageId(trigger.ThingName, sending.OutageStart)
                    && sending.RecoveredAt is null)
                {
                    sending.Closed = true;
                }
            }
        }

        if (_flaps is not null)
        {
            var disconnects = _flaps.OnDisconnect(trigger.ThingName, trigger.DisconnectedAt);
            if (disconnects > 0 && _options.FlappingFor(trigger.ThingName) is { } threshold)
            {
                var flapping = _formatter.CreateFlapping(trigger, disconnects, threshold.Window, _time.GetUtcNow(), _options.GracePeriodFor(trigger.ThingName));
                (toSend ??= []).Add(flapping);
            }
        }

        await SendAllAsync(trigger.ThingName, toSend, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _digest?.DisposeAsync() ?? ValueTask.CompletedTask;

    // Called with _lock held.
    private bool TryGetOpen(in DisconnectTrigger trigger, out OpenOutage open)
        => _open.TryGetValue(trigger.ThingName, out open!) && open.Outage == new OutageId(trigger);

    // Called with _lock held. Without recoveries nothing more can happen to the outage: forget it.
    private void EndSeries(OpenOutage open, string reason)
    {
        if (open.NextReminderAt is not null)
        {
            open.NextReminderAt = null;
            var outage = open.Outage.ToString();
            Log.RemindersEnded(_logger, outage, reason);
        }

        if (!_options.NotifyRecovery)
        {
            _open.Remove(open.Trigger.ThingName);
        }
    }

    private List<DeviceNotification>? TakeUnsent(string thingName)
    {
        lock (_lock)
        {
            return _unsent.Remove(thingName, out var unsent) ? unsent : null;
        }
    }

    private async ValueTask SendAllAsync(string thingName, List<DeviceNotification>? notifications, CancellationToken cancellationToken)
    {
        if (notifications is null)
        {
            return;
        }

        Exception? failure = null;
        for (var i = 0; i < notifications.Count; i++)
        {
            var notification = notifications[i];
            var kind = notification.Kind.ToReportName();
            try
            {
                await _dispatcher.Value.SendAsync(notification, cancellationToken).ConfigureAwait(false);
                _metrics.AlertSent(notification.Kind);
                Log.AlertSent(_logger, kind, notification.NotificationId);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                KeepUnsent(thingName, notifications.GetRange(i, notifications.Count - i));
                throw;
            }
            catch (Exception exception)
            {
                _metrics.AlertFailed(notification.Kind);
                Log.AlertFailed(_logger, kind, notification.NotificationId, thingName, exception);
                KeepUnsent(thingName, [notification]);
                failure ??= new AlertNotSentException(
                    $"Sending the {kind} notification {notification.NotificationId} failed; it is kept and sent again with the next event of {thingName}.",
                    exception);
            }
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    private void KeepUnsent(string thingName, List<DeviceNotification> notifications)
    {
        lock (_lock)
        {
            if (!_unsent.TryGetValue(thingName, out var unsent))
            {
                _unsent.Add(thingName, unsent = []);
            }

            foreach (var notification in notifications)
            {
                if (unsent.Exists(kept => kept.NotificationId == notification.NotificationId))
                {
                    continue;
                }

                if (unsent.Count == MaxUnsentPerThing)
                {
                    var dropped = unsent[0].NotificationId;
                    Log.AlertDropped(_logger, thingName, dropped);
                    unsent.RemoveAt(0);
                }

                unsent.Add(notification);
            }
        }
    }

    // An offline notification on its way, and what arrived meanwhile: the first reconnect, or a newer disconnect.
    private sealed class Sending(DateTimeOffset outageStart)
    {
        public DateTimeOffset OutageStart { get; } = outageStart;

        public DateTimeOffset? RecoveredAt { get; set; }

        public bool Closed { get; set; }
    }

    private sealed class OpenOutage(DisconnectTrigger trigger, DateTimeOffset notifiedAt)
    {
        public DisconnectTrigger Trigger { get; } = trigger;

        public OutageId Outage { get; } = new(trigger);

        public DateTimeOffset NotifiedAt { get; } = notifiedAt;

        public int NextReminder { get; set; } = 1;

        public DateTimeOffset? NextReminderAt { get; set; }

        public bool ReminderInFlight { get; set; }
    }
}
