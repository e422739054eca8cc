namespace GracefulDisconnect.Engine;

/// <summary>
/// The engine's rules for one device, as a pure transition: (record, input, now) → (record', notifications).
/// No I/O and no clock: the drivers (the live engine on a <see cref="TimeProvider"/>, tests on a fake clock) load
/// the record, call one of the two inputs, and commit the result with its notifications in one step.
/// </summary>
/// <remarks>
/// The truth rules it keeps (DESIGN §4):
/// <list type="number">
/// <item>A notification is true when it is sent: a re-check never says "offline" once the record knows a newer
/// change, because a newer change settles the pending disconnect at once.</item>
/// <item>A real outage (longer than its grace) whose disconnect was recorded in time is reported once even when its
/// re-check ran late (the engine was down or behind): as "offline" if it still goes on, else as a recovery notice
/// saying it was offline from A to B.</item>
/// <item>A disconnect recorded only after its outage ended (its re-check was already overdue when it arrived, and the
/// reconnect came with it) gives nothing: a late blip is never an alarm.</item>
/// <item>At most one offline notification per outage (thing + second it began), however often its disconnect repeats;
/// a retained disconnect (<see cref="ConnectionEvent.Retained"/>) of a device already down continues the same outage.</item>
/// </list>
/// </remarks>
internal static class DeviceStateMachine
{
    private static readonly DeviceNotification[] None = [];

    /// <summary>A connect or disconnect reached the engine at <paramref name="now"/>.</summary>
    public static DeviceTransition Observe(DeviceRecord record, in ConnectionEvent connectionEvent, DateTimeOffset now, DeviceRules rules)
    {
        var change = new ObservedChange(connectionEvent.Connected, connectionEvent.At, connectionEvent.Version);
        List<DeviceNotification>? notifications = null;
        var next = record;
        var last0 = record.Last;
        if (record.Last is { } last && StateOrder.Compare(change.Connected, change.At, change.Version, last.Connected, last.At, last.Version) <= 0)
        {
            // Older than (or the same as) what the record knows: that change already settled whatever this one began.
            // A late disconnect still counts as a flap.
            if (!change.Connected)
            {
                if (next.Pending is { } same
                    && StateOrder.Compare(false, change.At, change.Version, false, same.DisconnectedAt, same.Version) == 0
                    && GracePeriodDecision.DueAt(connectionEvent.ToTrigger(), rules.GracePeriodFor(record.ThingName)) is var due
                    && (due > now ? due : now) is var earlier
                    && earlier < same.DueAt)
                {
                    // The pending disconnect again, from a source of coarser resolution (12:00:00 for 12:00:00.451): it
                    // may have begun up to a second earlier, so its grace may end earlier. Re-check then, as replay does.
                    // Never later: a late duplicate does not postpone the re-check.
                    next = next with { Pending = same with { DisconnectedAt = change.At, Version = change.Version, DueAt = earlier } };
                }

                next = Flap(next, connectionEvent, now, rules, ref notifications);
            }

            return new DeviceTransition(next, (IReadOnlyList<DeviceNotification>?)notifications ?? None);
        }

        if (connectionEvent.Retained && last0 is { } already && already.Connected == change.Connected)
        {
            // The source repeating a state it sent before (a retained "offline" seen again after a reconnect or a
            // restart): the same outage goes on, from its first start, with its one re-check and one notification.
            return new DeviceTransition(record, None);
        }

        next = next with { Last = change };
        if (next.Open is { } open && StateOrder.IsAfterDisconnect(change, open.StartedAt, open.Version))
        {
            // The notified outage is over. A connect brings its recovery; a newer disconnect closes it silently
            // (the connect in between never arrived, so when the device came back is unknown).
            if (change.Connected && rules.NotifyRecovery)
            {
                Add(ref notifications, rules.Formatter.CreateRecovered(Trigger(record.ThingName, open.StartedAt, open.Version), change.At, now, rules.GracePeriodFor(record.ThingName)));
            }

            next = next with { Open = null };
        }

        if (next.Pending is { } pending)
        {
            // Every pending disconnect is older than this newest change: it is settled now, not at its re-check.
            if (change.Connected && IsMissedOutage(pending, change.At, now) && OutageSeconds(pending.DisconnectedAt) > next.LastNotifiedOutage)
            {
                // Its re-check should have run while the device was still down: report the outage once, as it was.
                Add(ref notifications, rules.Formatter.CreateRecovered(Trigger(record.ThingName, pending.DisconnectedAt, pending.Version), change.At, now, rules.GracePeriodFor(record.ThingName)));
                next = next with { LastNotifiedOutage = OutageSeconds(pending.DisconnectedAt) };
            }

            next = next with { Pending = null };
        }

        if (!change.Connected)
        {
            if (OutageSeconds(change.At) > next.LastNotifiedOutage)
            {
                var dueAt = GracePeriodDecision.DueAt(connectionEvent.ToTrigger(), rules.GracePeriodFor(record.ThingName));
                next = next with { Pending = new PendingRecheck(change.At, change.Version, dueAt > now ? dueAt : now, now) };
            }

            next = Flap(next, connectionEvent, now, rules, ref notifications);
        }

        return new DeviceTransition(next, (IReadOnlyList<DeviceNotification>?)notifications ?? None);
    }

    /// <summary>Whether the record has a re-check or a reminder due at <paramref name="now"/> (and so needs a read of the state source).</summary>
    public static bool IsDue(DeviceRecord record, DateTimeOffset now) => record.WakeAt is { } wake && wake <= now;

    /// <summary>
    /// The device's re-check (and reminder) time came: <paramref name="snapshot"/> is the state source read now
    /// (for the engine's own last-known state, <see cref="LastKnown"/>).
    /// </summary>
    public static DeviceTransition Recheck(DeviceRecord record, ConnectionSnapshot? snapshot, DateTimeOffset now, DeviceRules rules)
    {
        List<DeviceNotification>? notifications = null;
        RecheckResult? decision = null;
        var next = record;
        var grace = rules.GracePeriodFor(record.ThingName);
        if (record.Pending is { } pending && pending.DueAt <= now)
        {
            var trigger = Trigger(record.ThingName, pending.DisconnectedAt, pending.Version);
            var verdict = GracePeriodDecision.Decide(trigger, snapshot, now, grace);
            var outage = OutageSeconds(pending.DisconnectedAt);
            decision = verdict.ToRecheckResult();
            switch (verdict)
            {
                case Verdict.NotYetDue:
                    // Due by the engine's clock but not by the grace (a grace made longer since): wait for it.
                    next = next with { Pending = pending with { DueAt = GracePeriodDecision.DueAt(trigger, grace) } };
                    break;
                case Verdict.Notify when outage == next.LastNotifiedOutage:
                    decision = RecheckResult.SkippedDuplicate;
                    next = next with { Pending = null };
                    break;
                case Verdict.Notify when outage < next.LastNotifiedOutage:
                    decision = RecheckResult.SkippedSuperseded;
                    next = next with { Pending = null };
                    break;
                case Verdict.Notify:
                    Add(ref notifications, rules.Formatter.Create(trigger, now, grace));
                    next = next with
                    {
                        Pending = null,
                        LastNotifiedOutage = outage,
                        Open = new NotifiedOutage(pending.DisconnectedAt, pending.Version, now, 0, now + rules.ReminderInterval),
                    };
                    break;
                case Verdict.SkipReconnected when snapshot is { } back && IsMissedOutage(pending, back.ChangedAt, now) && outage > next.LastNotifiedOutage:
                    // The state source says it came back after the grace ended, and this re-check is late: report it as it was.
                    Add(ref notifications, rules.Formatter.CreateRecovered(trigger, back.ChangedAt, now, grace));
                    next = next with { Pending = null, LastNotifiedOutage = outage };
                    break;
                default:
                    next = next with { Pending = null };
                    break;
            }
        }

        if (next.Open is { NextReminderAt: { } remindAt } open && remindAt <= now)
        {
            var trigger = Trigger(record.ThingName, open.StartedAt, open.Version);
            if (GracePeriodDecision.Decide(trigger, snapshot, now, grace) == Verdict.Notify)
            {
                var number = open.Reminders + 1;
                Add(ref notifications, rules.Formatter.CreateReminder(trigger, number, now, grace));
                var more = rules.MaxReminders is not { } max || number < max;
                next = next with { Open = open with { Reminders = number, NextReminderAt = more ? now + rules.ReminderInterval : null } };
            }
            else
            {
                // Back or changed: the series ends; the connect, when it arrives, brings the recovery.
                next = next with { Open = open with { NextReminderAt = null } };
            }
        }

        return new DeviceTransition(next, (IReadOnlyList<DeviceNotification>?)notifications ?? None, decision);
    }

    /// <summary>The engine's own record as the state source: the newest change it has observed.</summary>
    public static ConnectionSnapshot? LastKnown(DeviceRecord record)
        => record.Last is { } last ? new ConnectionSnapshot(last.Connected, last.At, last.Version) : null;

    // An outage whose disconnect was recorded before its re-check was due, that lasted beyond the grace, and whose
    // re-check had not run by now: the engine was down or behind when it should have told. "Beyond" exactly as a
    // re-check on time would have seen it: at DueAt a source reads the reconnect only once its time is at or before
    // DueAt. The due time is no source timestamp, so no comparison at whole seconds (a due time that happens to fall
    // on a whole second would swallow a reconnect 27 ms after it, which a re-check on time reports as offline).
    private static bool IsMissedOutage(in PendingRecheck pending, DateTimeOffset backAt, DateTimeOffset now)
        => now >= pending.DueAt && pending.RecordedAt <= pending.DueAt && backAt.UtcTicks > pending.DueAt.UtcTicks;

    private static DeviceRecord Flap(DeviceRecord record, in ConnectionEvent disconnect, DateTimeOffset now, DeviceRules rules, ref List<DeviceNotification>? notifications)
    {
        if (rules.FlappingFor(record.ThingName) is not { } threshold)
        {
            return record;
        }

        var state = new FlapState(record.RecentDisconnects, record.FlapLatest, record.Flapping);
        var disconnects = state.OnDisconnect(disconnect.At.UtcTicks, threshold);
        if (disconnects > 0)
        {
            Add(ref notifications, rules.Formatter.CreateFlapping(disconnect.ToTrigger(), disconnects, threshold.Window, now, rules.GracePeriodFor(record.ThingName)));
        }

        return record with { RecentDisconnects = state.RecentTicks, FlapLatest = state.LatestTicks, Flapping = state.Flapping };
    }

    private static DisconnectTrigger Trigger(string thingName, DateTimeOffset at, long? version) => new(thingName, at, version);

    private static long OutageSeconds(DateTimeOffset at) => new OutageId("x", at).StartedAtEpochSeconds;

    private static void Add(ref List<DeviceNotification>? notifications, DeviceNotification notification)
        => (notifications ??= []).Add(notification);
}
