namespace GracefulDisconnect.Simulation;

public sealed partial class FleetHistory
{
    /// <summary>
    /// The opt-in alerts of one replay, on the same virtual clock as the re-checks:
    /// <list type="bullet">
    /// <item><b>recovered</b>: a connect delivered for a device whose notified outage is still open, newer than that
    /// outage's start; sent at its delivery, with <c>offlineFor</c> = connect time − outage start. A newer disconnect
    /// closes the open outage without a recovery (the connect in between never reached us, so its time is unknown).</item>
    /// <item><b>reminder</b>: n × interval after the notification was sent, while the state source still says it is the
    /// same outage (the decision would still be notify); the series ends at the first re-check that says otherwise, at
    /// the maximum, or, without a maximum, at the end of the recording.</item>
    /// <item><b>flapping</b>: at the delivery of the disconnect that makes a flapping episode (<see cref="FlapState"/>).</item>
    /// <item><b>digest</b>: notify decisions are held per group (<see cref="DigestBatcher{T}"/>); when the batch closes
    /// they reach the sink marked <see cref="ReplayDecision.FoldedIntoDigest"/> if there were enough devices, followed
    /// by the digest, or unmarked otherwise.</item>
    /// </list>
    /// An outage counts as notified once its notification is sent, which with digests on is when its batch closes: a
    /// reconnect delivered while it was held is told right after the digest (or the released notify), and its
    /// reminders count from then, so nobody hears "recovered" or "still offline" before hearing "offline".
    /// </summary>
    private sealed class AlertRun
    {
        private readonly FleetHistory _history;
        private readonly GracefulDisconnectOptions _options;
        private readonly TimeSpan _grace;
        private readonly ThingReplay[] _things;
        private readonly IReplaySink _sink;
        private readonly ThingAlerts[] _thingAlerts;
        private readonly DueQueue<Reminder> _reminders = new();
        private const long NotRecovered = long.MinValue;

        private readonly DigestBatcher<HeldNotify>? _digest;
        private readonly long _lastReminderTicks = DateTimeOffset.MaxValue.UtcTicks;

        public AlertRun(FleetHistory history, GracefulDisconnectOptions options, TimeSpan grace, ThingReplay[] things, IReplaySink sink)
        {
            _history = history;
            _options = options;
            _grace = grace;
            _things = things;
            _sink = sink;
            _thingAlerts = new ThingAlerts[things.Length];
            _thingAlerts.AsSpan().Fill(new ThingAlerts { Outage = -1 });
            _digest = options.Digest is { } digest ? new DigestBatcher<HeldNotify>(digest) : null;
            if (options.ReminderInterval is not null && options.MaxReminders is null)
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
            _thingAlerts[trigger.Thing] = new ThingAlerts { Outage = triggerIndex, OutageStartTicks = trigger.AtTicks, RecoveredTicks = NotRecovered, Flap = _thingAlerts[trigger.Thing].Flap };
            if (_digest is null)
            {
                Sent(triggerIndex, decision.DecidedAt.UtcTicks);
                return false;
            }

            _digest.Add(_options.DigestGroup(decision.ThingName), decision.ThingName, new HeldNotify(decision, triggerIndex), decision.DecidedAt.UtcTicks);
            return true;
        }

        /// <summary>Follows the delivery of an event: recoveries, flapping, and outages closed by a newer disconnect.</summary>
        public void OnDelivered(int eventIndex)
        {
            ref readonly var delivered = ref _history._events[eventIndex];
            ref var alerts = ref _thingAlerts[delivered.Thing];
            if (alerts.Outage >= 0 && delivered.AtTicks > alerts.OutageStartTicks)
            {
                if (!alerts.Sent)
                {
                    // Still held for a digest: what happened meanwhile is told once it is sent.
                    if (delivered.Connected && alerts.RecoveredTicks == NotRecovered)
                    {
                        alerts.RecoveredTicks = delivered.AtTicks;
                    }
                    else if (!delivered.Connected && alerts.RecoveredTicks == NotRecovered)
                    {
                        alerts.Outage = -1;
                    }
                }
                else
                {
                    if (delivered.Connected)
                    {
                        Recovered(delivered.Thing, delivered.AtTicks, delivered.ReceivedTicks);
                    }

                    alerts.Outage = -1;
                }
            }

            if (!delivered.Connected && _options.FlappingFor(_things[delivered.Thing].Name) is { } flap)
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
        }

        /// <summary>Releases what is still held once the clock has nowhere further to go, so no notification is lost.</summary>
        public void Finish()
        {
            while (_digest is not null && _digest.TryCloseDue(long.MaxValue, out var batch, out var isDigest))
            {
                Release(batch, isDigest);
            }
        }

        // The notification of an outage went out: from now on its recovery and reminders are told, and a
        // reconnect that came while it was held for a digest is told right after it.
        private void Sent(int triggerIndex, long sentTicks)
        {
            var thing = _history._events[triggerIndex].Thing;
            ref var alerts = ref _thingAlerts[thing];
            if (alerts.Outage != triggerIndex)
            {
                return;
            }

            if (alerts.RecoveredTicks != NotRecovered)
            {
                Recovered(thing, alerts.RecoveredTicks, sentTicks);
                alerts.Outage = -1;
                return;
            }

            alerts.Sent = true;
            if (_options.ReminderInterval is { } every)
            {
                ScheduleReminder(new Reminder(triggerIndex, 1), sentTicks, every);
            }
        }

        private void Recovered(int thing, long recoveredTicks, long nowTicks)
        {
            if (!_options.NotifyRecovery)
            {
                return;
            }

            var offlineSince = Utc(_thingAlerts[thing].OutageStartTicks);
            var recoveredAt = Utc(recoveredTicks);
            _sink.OnNotification(new ReplayNotification(NotificationKind.Recovered, _things[thing].Name, offlineSince, Utc(nowTicks), _grace)
            {
                OfflineFor = recoveredAt - offlineSince,
                RecoveredAt = recoveredAt,
            });
        }

        private void Remind(Reminder reminder, long nowTicks)
        {
            ref readonly var triggerEvent = ref _history._events[reminder.Trigger];
            if (_thingAlerts[triggerEvent.Thing].Outage != reminder.Trigger)
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
            if (_options.MaxReminders is not { } max || reminder.Number < max)
            {
                ScheduleReminder(reminder with { Number = reminder.Number + 1 }, nowTicks, _options.ReminderInterval!.Value);
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

        private void Release(DigestBatch<HeldNotify> batch, bool isDigest)
        {
            var earliest = DateTimeOffset.MaxValue;
            var latest = DateTimeOffset.MinValue;
            foreach (var (_, held) in batch.Items)
            {
                _sink.OnDecision(held.Decision with { FoldedIntoDigest = isDigest });
                if (!isDigest)
                {
                    Sent(held.Trigger, batch.ClosesTicks);
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
                    Sent(held.Trigger, batch.ClosesTicks);
                }
            }
        }

        private readonly record struct Reminder(int Trigger, int Number);

        private readonly record struct HeldNotify(ReplayDecision Decision, int Trigger);

        // Per device: its latest notified outage (the index of its trigger, -1 when none or closed), whether its
        // notification went out yet (not while held for a digest), a reconnect seen while it was held, and flap detection.
        private struct ThingAlerts
        {
            public int Outage;
            public long OutageStartTicks;
            public bool Sent;
            public long RecoveredTicks;
            public FlapState Flap;
        }
    }
}
