using GracefulDisconnect.Engine;

namespace GracefulDisconnect.Simulation;

public sealed partial class FleetHistory
{
    /// <summary>
    /// The opt-in alerts of one replay: the live engine's own rules (<see cref="DeviceStateMachine"/>, one record per
    /// device) driven on the virtual clock, with the truth replay reads as the state source. Replay adds only what a
    /// recording needs and a live engine does not have:
    /// <list type="bullet">
    /// <item>one decision row per disconnect: a disconnect the machine settled when a newer change arrived (or never
    /// held, its outage already notified) is still re-checked at its due time, as the machine would have re-checked it,
    /// so the table shows it as <c>skip-reconnected</c>, <c>skip-superseded</c> or <c>skip-duplicate</c>;</item>
    /// <item>the delivery of storm digests (the live engine's outbox): notify decisions are held per group
    /// (<see cref="DigestBatcher{T}"/>) and reach the sink when their window closes, marked
    /// <see cref="ReplayDecision.FoldedIntoDigest"/> if there were enough devices, followed by the digest. A recovery or
    /// reminder of an outage still held waits behind it and is told right after, at the close, so nobody hears
    /// "recovered" or "still offline" before hearing "offline";</item>
    /// <item>the end of a recording: without <see cref="AlertOptions.MaxReminders"/>, no reminder after the
    /// last time the recording speaks of.</item>
    /// </list>
    /// </summary>
    private sealed class AlertRun
    {
        private const long NothingHeld = long.MinValue;

        private readonly FleetHistory _history;
        private readonly TimeSpan _grace;
        private readonly ThingReplay[] _things;
        private readonly IReplaySink _sink;
        private readonly DeviceRules _rules;
        private readonly DeviceRecord[] _records;

        // Devices with a reminder (or a StableFor recovery) due at the given time; a device whose record has moved it since is skipped.
        private readonly DueQueue<int> _reminders = new();
        private readonly long _lastReminderTicks = DateTimeOffset.MaxValue.UtcTicks;

        private readonly DigestBatcher<HeldNotify>? _digest;
        private readonly string[]? _groups;

        // Per device: the outage (whole epoch seconds) whose notify is held for a digest, and what waits behind it.
        private readonly long[] _heldOutage;
        private readonly Dictionary<int, List<DeviceNotification>> _waiting = [];

        public AlertRun(FleetHistory history, GracefulDisconnectOptions options, TimeSpan grace, ThingReplay[] things, IReplaySink sink)
        {
            _history = history;
            _grace = grace;
            _things = things;
            _sink = sink;
            _rules = new DeviceRules(options, NotificationFormatter.FactsOnly(options), grace);
            _records = new DeviceRecord[things.Length];
            for (var thing = 0; thing < things.Length; thing++)
            {
                _records[thing] = new DeviceRecord(things[thing].Name);
            }

            _heldOutage = new long[things.Length];
            _heldOutage.AsSpan().Fill(NothingHeld);
            if (options.Alerts.Digest is { } digest)
            {
                _digest = new DigestBatcher<HeldNotify>(digest);
                _groups = [.. things.Select(thing => options.Alerts.DigestGroup(thing.Name))];
            }

            if (options.Alerts.ReminderInterval is not null && options.Alerts.MaxReminders is null)
            {
                _lastReminderTicks = history.LastRecordedTicks();
            }
        }

        /// <summary>Runs the next digest close or reminder when it comes before the next delivery and re-check.</summary>
        /// <returns>Whether something ran.</returns>
        public bool RunDue(long nextDeliveryTicks, long nextRecheckTicks)
        {
            // A digest closing after a reminder waits for it: the sink sees alerts in virtual-time order.
            var nextReminderTicks = _reminders.TryPeekDue(out var reminderDue) ? reminderDue : long.MaxValue;
            if (_digest is not null && _digest.TryPeekClose(out var closes) && closes < nextDeliveryTicks && closes <= nextRecheckTicks && closes <= nextReminderTicks)
            {
                _digest.TryCloseDue(closes, out var batch, out var isDigest);
                Release(batch, isDigest);
                return true;
            }

            if (nextReminderTicks < nextDeliveryTicks && nextReminderTicks < nextRecheckTicks)
            {
                _reminders.TryDequeueDue(nextReminderTicks, out var thing, out _);
                if (OutageWake(_records[thing].Open) == nextReminderTicks)
                {
                    var now = Utc(nextReminderTicks);
                    Apply(thing, DeviceStateMachine.Recheck(_records[thing], _history.ReadState(ref _things[thing], nextReminderTicks), now, _rules), nextReminderTicks);
                }

                return true;
            }

            return false;
        }

        /// <summary>The delivery of an event: the machine observes it (recoveries, flapping, settled disconnects).</summary>
        public void OnDelivered(int eventIndex)
        {
            ref readonly var delivered = ref _history._events[eventIndex];
            var thing = delivered.Thing;
            var connectionEvent = new ConnectionEvent(_things[thing].Name, delivered.Connected, Utc(delivered.AtTicks), delivered.Version == NoVersion ? null : delivered.Version);
            Apply(thing, DeviceStateMachine.Observe(_records[thing], connectionEvent, Utc(delivered.ReceivedTicks), _rules), delivered.ReceivedTicks);
        }

        /// <summary>
        /// The re-check of one disconnect, at its due time: the machine's re-check of its pending disconnect when it is
        /// this one, else the re-check the machine would have made of it had it still been pending.
        /// </summary>
        public void Recheck(int triggerIndex, long nowTicks)
        {
            ref readonly var triggerEvent = ref _history._events[triggerIndex];
            var thing = triggerEvent.Thing;
            var record = _records[thing];
            var at = Utc(triggerEvent.AtTicks);
            long? version = triggerEvent.Version == NoVersion ? null : triggerEvent.Version;
            var now = Utc(nowTicks);
            var isPending = record.Pending is { } pending && pending.DisconnectedAt == at && pending.Version == version;
            var asked = isPending ? record : record with { Pending = new Engine.PendingRecheck(at, version, now, Utc(triggerEvent.ReceivedTicks)) };
            var step = DeviceStateMachine.Recheck(asked, _history.ReadState(ref _things[thing], nowTicks), now, _rules);
            if (!isPending)
            {
                // Asked about a disconnect that is not pending: keep what the answer changed, and the real pending one.
                var answered = step.Record;
                step = step with
                {
                    Record = answered.Open == record.Open && answered.LastNotifiedOutage == record.LastNotifiedOutage ? record : answered with { Pending = record.Pending },
                };
            }

            var decision = new ReplayDecision(_things[thing].Name, step.Decision!.Value, at, now, _grace);
            if (decision.Result == RecheckResult.Notified && _digest is not null)
            {
                _heldOutage[thing] = OutageSeconds(at);
                _digest.Add(_groups![thing], decision.ThingName, new HeldNotify(decision, thing), nowTicks);
            }
            else
            {
                _sink.OnDecision(decision);
            }

            Apply(thing, step, nowTicks);
        }

        /// <summary>Releases what is still held once the clock has nowhere further to go, so no notification is lost.</summary>
        public void Finish()
        {
            while (_digest is not null && _digest.TryCloseDue(long.MaxValue, out var batch, out var isDigest))
            {
                Release(batch, isDigest);
            }
        }

        // Keeps the machine's new record and tells what it sends; an offline notification is its decision row.
        private void Apply(int thing, in DeviceTransition step, long nowTicks)
        {
            var before = OutageWake(_records[thing].Open);
            _records[thing] = step.Record;
            if (OutageWake(step.Record.Open) is var wake && wake != before && wake != long.MaxValue)
            {
                _reminders.Enqueue(thing, wake);
            }

            var notifications = step.Notifications;
            for (var i = 0; i < notifications.Count; i++)
            {
                var notification = notifications[i];
                if (notification.Kind == NotificationKind.Offline)
                {
                    continue;
                }

                if (_heldOutage[thing] != NothingHeld && notification.Kind is NotificationKind.Recovered or NotificationKind.Reminder
                    && OutageSeconds(notification.OfflineSince) == _heldOutage[thing])
                {
                    if (!_waiting.TryGetValue(thing, out var waiting))
                    {
                        _waiting[thing] = waiting = [];
                    }

                    waiting.Add(notification);
                    continue;
                }

                Tell(notification, nowTicks);
            }
        }

        private void Tell(DeviceNotification notification, long sentTicks)
        {
            var sentAt = Utc(sentTicks);
            _sink.OnNotification(new ReplayNotification(notification.Kind, notification.ThingName, notification.OfflineSince, sentAt > notification.DecidedAt ? sentAt : notification.DecidedAt, _grace)
            {
                OfflineFor = notification.Kind == NotificationKind.Reminder ? sentAt - notification.OfflineSince : notification.OfflineFor,
                RecoveredAt = notification.Kind == NotificationKind.Recovered ? notification.OfflineSince + notification.OfflineFor : null,
                Reminder = notification.Reminder,
                Disconnects = notification.Disconnects,
            });
        }

        // The notify of an outage went out: what waited behind it follows, at the same time.
        private void Sent(int thing, DateTimeOffset offlineSince, long sentTicks)
        {
            var outage = OutageSeconds(offlineSince);
            if (_heldOutage[thing] != outage)
            {
                return;
            }

            _heldOutage[thing] = NothingHeld;
            if (_waiting.Remove(thing, out var waiting))
            {
                foreach (var notification in waiting)
                {
                    Tell(notification, sentTicks);
                }
            }
        }

        private void Release(DigestBatch<HeldNotify> batch, bool isDigest)
        {
            var earliest = DateTimeOffset.MaxValue;
            var latest = DateTimeOffset.MinValue;
            foreach (var (_, held) in batch.Items)
            {
                _sink.OnDecision(held.Decision with { FoldedIntoDigest = isDigest });
                if (!isDigest)
                {
                    Sent(held.Thing, held.Decision.OfflineSince, batch.ClosesTicks);
                }

                earliest = held.Decision.OfflineSince < earliest ? held.Decision.OfflineSince : earliest;
                latest = held.Decision.OfflineSince > latest ? held.Decision.OfflineSince : latest;
            }

            if (isDigest)
            {
                _sink.OnNotification(new ReplayNotification(NotificationKind.Digest, batch.Group, earliest, Utc(batch.ClosesTicks), _grace)
                {
                    LastOfflineSince = latest,
                    Things = batch.Things(),
                });
                foreach (var (_, held) in batch.Items)
                {
                    Sent(held.Thing, held.Decision.OfflineSince, batch.ClosesTicks);
                }
            }
        }

        // When a notified outage needs the machine next (its reminder or its recovery with StableFor), in ticks;
        // long.MaxValue for never. A reminder after the end of the recording is not one the recording can speak of.
        private long OutageWake(NotifiedOutage? open)
        {
            var reminder = open?.NextReminderAt?.UtcTicks is { } remind && remind <= _lastReminderTicks ? remind : long.MaxValue;
            return Math.Min(reminder, open?.RecoverAt?.UtcTicks ?? long.MaxValue);
        }

        private static long OutageSeconds(DateTimeOffset at) => new OutageId("x", at).StartedAtEpochSeconds;

        private readonly record struct HeldNotify(ReplayDecision Decision, int Thing);
    }
}
