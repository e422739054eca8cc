namespace GracefulDisconnect.Simulation;

public sealed partial class FleetHistory
{
    /// <summary>
    /// The opt-in alerts of one replay, on the same virtual clock as the re-checks:
    /// <list type="bullet">
    /// <item><b>recovered</b>: a connect delivered for a device whose notified outage is still open, newer than that
    /// outage's start; sent at its delivery, with <c>offlineFor</c> = connect time − outage start. A newer disconnect
    /// closes the open outage without a recovery (the connect in between never reached us, so its time is unknown).</item>
    /// <item><b>reminder</b>: n × interval after the notify decision, while the state source still says it is the same
    /// outage (the decision would still be notify); the series ends at the first re-check that says otherwise, at
    /// the maximum, or, without a maximum, at the end of the recording.</item>
    /// <item><b>flapping</b>: at the delivery of the disconnect that makes a flapping episode (<see cref="FlapState"/>).</item>
    /// <item><b>digest</b>: notify decisions are held per group (<see cref="DigestBatcher{T}"/>); when the batch closes
    /// they reach the sink marked <see cref="ReplayDecision.FoldedIntoDigest"/> if there were enough devices, followed
    /// by the digest, or unmarked otherwise.</item>
    /// </list>
    /// </summary>
    private sealed class AlertRun
    {
        private readonly FleetHistory _history;
        private readonly ReplayAlerts _alerts;
        private readonly TimeSpan _grace;
        private readonly ThingReplay[] _things;
        private readonly IReplaySink _sink;
        private readonly ThingAlerts[] _thingAlerts;
        private readonly DueQueue<Reminder> _reminders = new();
        private readonly DigestBatcher<ReplayDecision>? _digest;
        private readonly long _lastReminderTicks = DateTimeOffset.MaxValue.UtcTicks;

        public AlertRun(FleetHistory history, ReplayAlerts alerts, TimeSpan grace, ThingReplay[] things, IReplaySink sink)
        {
            _history = history;
            _alerts = alerts;
            _grace = grace;
            _things = things;
            _sink = sink;
            _thingAlerts = new ThingAlerts[things.Length];
            _thingAlerts.AsSpan().Fill(new ThingAlerts { OpenTrigger = -1 });
            _digest = alerts.Digest is { } digest ? new DigestBatcher<ReplayDecision>(digest) : null;
            if (alerts.RemindEvery is not null && alerts.RemindMax is null)
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

            if (_reminders.TryPeekDue(out var remindAt) && remindAt < nextDeliveryTicks && remindAt < nextRecheckTicks)
            {
                _reminders.TryDequeueDue(remindAt, out var reminder, out _);
                Remind(reminder, remindAt);
                return true;
            }

            return false;
        }

        /// <summary>Follows a re-check decision.</summary>
        /// <returns>Whether the decision is held for a digest (the caller must not pass it on).</returns>
        public bool OnDecision(in ReplayDecision decision, int triggerIndex)
        {
            if (decision.Result != RecheckResult.Notified)
            {
                return false;
            }

            ref readonly var trigger = ref _history._events[triggerIndex];
            ref var alerts = ref _thingAlerts[trigger.Thing];
            alerts.OpenTrigger = triggerIndex;
            alerts.OpenOutageTicks = trigger.AtTicks;
            var decidedTicks = decision.DecidedAt.UtcTicks;
            if (_alerts.RemindEvery is { } every)
            {
                ScheduleReminder(new Reminder(triggerIndex, 1), decidedTicks, every);
            }

            if (_digest is null)
            {
                return false;
            }

            _digest.Add(_alerts.DigestGroup(decision.ThingName), decision.ThingName, decision, decidedTicks);
            return true;
        }

        /// <summary>Follows the delivery of an event: recoveries, flapping, and outages closed by a newer disconnect.</summary>
        public void OnDelivered(int eventIndex)
        {
            ref readonly var delivered = ref _history._events[eventIndex];
            ref var alerts = ref _thingAlerts[delivered.Thing];
            var closesOpenOutage = alerts.OpenTrigger >= 0 && delivered.AtTicks > alerts.OpenOutageTicks;
            if (delivered.Connected)
            {
                if (closesOpenOutage && _alerts.Recovery)
                {
                    var offlineSince = Utc(alerts.OpenOutageTicks);
                    var recoveredAt = Utc(delivered.AtTicks);
                    _sink.OnNotification(new ReplayNotification(NotificationKind.Recovered, _things[delivered.Thing].Name, offlineSince, Utc(delivered.ReceivedTicks), _grace)
                    {
                        OfflineFor = recoveredAt - offlineSince,
                        RecoveredAt = recoveredAt,
                    });
                }
            }
            else if (_alerts.Flap is { } flap)
            {
                var disconnects = alerts.Flap.OnDisconnect(delivered.AtTicks, flap);
                if (disconnects > 0)
                {
                    _sink.OnNotification(new ReplayNotification(NotificationKind.Flapping, _things[delivered.Thing].Name, Utc(delivered.AtTicks), Utc(delivered.ReceivedTicks), _grace)
                    {
                        Disconnects = disconnects,
                    });
                }
            }

            if (closesOpenOutage)
            {
                alerts.OpenTrigger = -1;
            }
        }

        /// <summary>Releases what is still held once the clock has nowhere further to go, so no notification is lost.</summary>
        public void Finish()
        {
            while (_digest is not null && _digest.TryCloseDue(long.MaxValue, out var batch, out var isDigest))
            {
                Release(batch, isDigest);
            }
        }

        private void Remind(Reminder reminder, long nowTicks)
        {
            ref readonly var triggerEvent = ref _history._events[reminder.Trigger];
            if (_thingAlerts[triggerEvent.Thing].OpenTrigger != reminder.Trigger)
            {
                return;
            }

            ref var thing = ref _things[triggerEvent.Thing];
            var trigger = _history.Trigger(reminder.Trigger, thing.Name);
            var now = Utc(nowTicks);
            if (GracePeriodDecision.Decide(trigger, _history.ReadState(ref thing, nowTicks), now, _grace) != Verdict.Notify)
            {
                // Back online or a newer change: the series ends; the connect, when delivered, brings the recovery.
                return;
            }

            _sink.OnNotification(new ReplayNotification(NotificationKind.Reminder, thing.Name, trigger.DisconnectedAt, now, _grace)
            {
                Reminder = reminder.Number,
                OfflineFor = now - trigger.DisconnectedAt,
            });
            if (_alerts.RemindMax is not { } max || reminder.Number < max)
            {
                ScheduleReminder(reminder with { Number = reminder.Number + 1 }, nowTicks, _alerts.RemindEvery!.Value);
            }
        }

        private void ScheduleReminder(Reminder reminder, long fromTicks, TimeSpan every)
        {
            if (fromTicks > _lastReminderTicks - every.Ticks)
            {
                return;
            }

            _reminders.Enqueue(reminder, fromTicks + every.Ticks);
        }

        private void Release(DigestBatch<ReplayDecision> batch, bool isDigest)
        {
            var earliest = DateTimeOffset.MaxValue;
            foreach (var (_, decision) in batch.Items)
            {
                _sink.OnDecision(decision with { FoldedIntoDigest = isDigest });
                earliest = decision.OfflineSince < earliest ? decision.OfflineSince : earliest;
            }

            if (isDigest)
            {
                _sink.OnNotification(new ReplayNotification(NotificationKind.Digest, batch.Group, earliest, Utc(batch.ClosesTicks), _grace)
                {
                    Things = batch.Things(),
                });
            }
        }

        private readonly record struct Reminder(int Trigger, int Number);

        // Per device: the notified outage still open (the index of its trigger, -1 when none) and flap detection.
        private struct ThingAlerts
        {
            public int OpenTrigger;
            public long OpenOutageTicks;
            public FlapState Flap;
        }
    }
}
