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
        // The fields that may change, as locals: one new record per step, however many rules touch it (replay runs a
        // step per event, and copying a record is most of a step's cost).
        var change = new ObservedChange(connectionEvent.Connected, connectionEvent.At, connectionEvent.Version);
        List<DeviceNotification>? notifications = null;
        var pending = record.Pending;
        var flap = new FlapFields(record);
        if (record.Last is { } last && StateOrder.Compare(change.Connected, change.At, change.Version, last.Connected, last.At, last.Version) <= 0)
        {
            // Older than (or the same as) what the record knows: that change already settled whatever this one began.
            // A late disconnect still counts as a flap.
            if (change.Connected)
            {
                return new DeviceTransition(record, None);
            }

            if (pending is { } same
                && StateOrder.Compare(false, change.At, change.Version, false, same.DisconnectedAt, same.Version) == 0
                && GracePeriodDecision.DueAt(connectionEvent.ToTrigger(), rules.GracePeriodFor(record.ThingName)) is var due
                && Later(due, now) is var earlier
                && earlier < same.DueAt)
            {
                // The pending disconnect again, from a source of coarser resolution (12:00:00 for 12:00:00.451): it
                // may have begun up to a second earlier, so its grace may end earlier. Re-check then, as replay does.
                // Never later: a late duplicate does not postpone the re-check.
                pending = same with { DisconnectedAt = change.At, Version = change.Version, DueAt = earlier };
            }

            var waiting = record.Open;
            if (rules.StableFor is { } stableFor && waiting is { BackAt: { } back } && change.At > back && record.Last is { Connected: true } newest)
            {
                // A drop between the return and the newest connect, delivered late: the device has been back only since that connect.
                waiting = waiting with { BackAt = newest.At, RecoverAt = Later(newest.At + stableFor, now) };
            }

            var flapped = Flap(ref flap, record.ThingName, connectionEvent, now, rules, ref notifications);
            return new DeviceTransition(
                pending == record.Pending && waiting == record.Open && !flapped
                    ? record
                    : record with { Pending = pending, Open = waiting, RecentDisconnects = flap.RecentDisconnects, FlapLatest = flap.Latest, Flapping = flap.Flapping },
                (IReadOnlyList<DeviceNotification>?)notifications ?? None);
        }

        if (connectionEvent.Retained && record.Last is { } already && already.Connected == change.Connected)
        {
            // The source repeating a state it sent before (a retained "offline" seen again after a reconnect or a
            // restart): the same outage goes on, from its first start, with its one re-check and one notification.
            return new DeviceTransition(record, None);
        }

        var open = record.Open;
        var lastNotified = record.LastNotifiedOutage;
        if (open is { } notified && StateOrder.IsAfterDisconnect(change, notified.StartedAt, notified.Version))
        {
            if (rules.StableFor is { } stableFor)
            {
                open = Hysteresis(record.ThingName, notified, change, now, stableFor, rules, ref notifications, ref lastNotified);
            }
            else
            {
                // The notified outage is over. A connect brings its recovery; a newer disconnect closes it silently
                // (the connect in between never arrived, so when the device came back is unknown).
                if (change.Connected && rules.NotifyRecovery)
                {
                    Add(ref notifications, rules.Formatter.CreateRecovered(Trigger(record.ThingName, notified.StartedAt, notified.Version), change.At, now, rules.GracePeriodFor(record.ThingName)));
                }

                open = null;
            }
        }

        if (pending is { } settled)
        {
            // Every pending disconnect is older than this newest change: it is settled now, not at its re-check.
            if (change.Connected && IsMissedOutage(settled, change.At, now) && OutageSeconds(settled.DisconnectedAt) > lastNotified)
            {
                // Its re-check should have run while the device was still down: report the outage once, as it was.
                open = ReportMissed(record.ThingName, settled, change.At, now, rules, ref notifications) ?? open;
                lastNotified = OutageSeconds(settled.DisconnectedAt);
            }

            pending = null;
        }

        if (!change.Connected)
        {
            if (OutageSeconds(change.At) > lastNotified)
            {
                var dueAt = GracePeriodDecision.DueAt(connectionEvent.ToTrigger(), rules.GracePeriodFor(record.ThingName));
                pending = new PendingRecheck(change.At, change.Version, Later(dueAt, now), now);
            }

            Flap(ref flap, record.ThingName, connectionEvent, now, rules, ref notifications);
        }

        var next = record with
        {
            Last = change,
            Open = open,
            Pending = pending,
            LastNotifiedOutage = lastNotified,
            RecentDisconnects = flap.RecentDisconnects,
            FlapLatest = flap.Latest,
            Flapping = flap.Flapping,
        };
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
        var pending = record.Pending;
        var open = record.Open;
        var lastNotified = record.LastNotifiedOutage;
        var grace = rules.GracePeriodFor(record.ThingName);
        if (pending is { } due && due.DueAt <= now)
        {
            var trigger = Trigger(record.ThingName, due.DisconnectedAt, due.Version);
            var verdict = GracePeriodDecision.Decide(trigger, snapshot, now, grace);
            var outage = OutageSeconds(due.DisconnectedAt);
            decision = verdict.ToRecheckResult();
            pending = null;
            switch (verdict)
            {
                case Verdict.NotYetDue:
                    // Due by the engine's clock but not by the grace (a grace made longer since): wait for it.
                    pending = due with { DueAt = GracePeriodDecision.DueAt(trigger, grace) };
                    break;
                case Verdict.Notify when outage == lastNotified:
                    decision = RecheckResult.SkippedDuplicate;
                    break;
                case Verdict.Notify when outage < lastNotified:
                    decision = RecheckResult.SkippedSuperseded;
                    break;
                case Verdict.Notify:
                    Add(ref notifications, rules.Formatter.Create(trigger, now, grace));
                    lastNotified = outage;
                    open = new NotifiedOutage(due.DisconnectedAt, due.Version, now, 0, now + rules.ReminderInterval);
                    break;
                case Verdict.SkipReconnected when snapshot is { } back && IsMissedOutage(due, back.ChangedAt, now) && outage > lastNotified:
                    // The state source says it came back after the grace ended, and this re-check is late: report it as it was.
                    open = ReportMissed(record.ThingName, due, back.ChangedAt, now, rules, ref notifications) ?? open;
                    lastNotified = outage;
                    break;
            }
        }

        if (open is { BackAt: { } backAt, RecoverAt: { } recoverAt } stable && recoverAt <= now)
        {
            if (snapshot is { Connected: false } down && StateOrder.Compare(false, down.ChangedAt, down.Version, true, backAt, null) > 0)
            {
                // The state source already knows of a drop the engine has not recorded yet: the outage goes on.
                open = GoesOn(record.ThingName, stable, now, rules, ref notifications);
                lastNotified = Math.Max(lastNotified, OutageSeconds(down.ChangedAt));
            }
            else
            {
                // Connected for the whole StableFor: back for good, since it first came back.
                if (rules.NotifyRecovery || stable.Untold)
                {
                    Add(ref notifications, rules.Formatter.CreateRecovered(Trigger(record.ThingName, stable.StartedAt, stable.Version), backAt, now, grace));
                }

                open = null;
            }
        }

        if (open is { NextReminderAt: { } pausedAt, BackAt: not null } waiting && pausedAt <= now)
        {
            // Back, but not for long enough to count: no "still offline", and no reminder used up.
            open = waiting with { NextReminderAt = now + rules.ReminderInterval };
        }
        else if (open is { NextReminderAt: { } remindAt } series && remindAt <= now)
        {
            var trigger = Trigger(record.ThingName, series.StartedAt, series.Version);
            if (GracePeriodDecision.Decide(trigger, snapshot, now, grace) == Verdict.Notify || (rules.StableFor is not null && StillDown(series, snapshot)))
            {
                var number = series.Reminders + 1;
                Add(ref notifications, rules.Formatter.CreateReminder(trigger, number, now, grace));
                var more = rules.MaxReminders is not { } max || number < max;
                open = series with { Reminders = number, NextReminderAt = more ? now + rules.ReminderInterval : null };
            }
            else
            {
                // Back or changed: the series ends; the connect, when it arrives, brings the recovery.
                open = series with { NextReminderAt = null };
            }
        }

        var next = pending == record.Pending && open == record.Open && lastNotified == record.LastNotifiedOutage
            ? record
            : record with { Pending = pending, Open = open, LastNotifiedOutage = lastNotified };
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

    // With StableFor, a change after a notified outage's disconnect: a connect starts the wait for the recovery (the
    // first one: the device has been back since then); a drop within StableFor of it continues the outage (no new
    // offline notification: it is marked as notified), one after a whole StableFor ends it with its recovery and starts
    // a new outage of its own. A drop with no connect known before it continues the outage too.
    private static NotifiedOutage? Hysteresis(
        string thingName, NotifiedOutage open, in ObservedChange change, DateTimeOffset now, TimeSpan stableFor, DeviceRules rules,
        ref List<DeviceNotification>? notifications, ref long lastNotified)
    {
        if (change.Connected)
        {
            return open.BackAt is null ? open with { BackAt = change.At, RecoverAt = Later(change.At + stableFor, now) } : open;
        }

        if (open.BackAt is { } back && change.At - back >= stableFor)
        {
            if (rules.NotifyRecovery || open.Untold)
            {
                Add(ref notifications, rules.Formatter.CreateRecovered(Trigger(thingName, open.StartedAt, open.Version), back, now, rules.GracePeriodFor(thingName)));
            }

            return null;
        }

        lastNotified = Math.Max(lastNotified, OutageSeconds(change.At));
        return GoesOn(thingName, open, now, rules, ref notifications);
    }

    // A drop within StableFor: the outage goes on, down again. One the engine missed and has not told yet is told now,
    // as offline since it began: it is a real outage, and it is not over.
    private static NotifiedOutage GoesOn(string thingName, NotifiedOutage open, DateTimeOffset now, DeviceRules rules, ref List<DeviceNotification>? notifications)
    {
        if (!open.Untold)
        {
            return open with { BackAt = null, RecoverAt = null };
        }

        Add(ref notifications, rules.Formatter.Create(Trigger(thingName, open.StartedAt, open.Version), now, rules.GracePeriodFor(thingName)));
        return open with { BackAt = null, RecoverAt = null, Untold = false, NotifiedAt = now, NextReminderAt = now + rules.ReminderInterval };
    }

    // A missed outage (its re-check should have run while the device was still down) found with the device back at
    // backAt. Told at once as "offline from A to B"; with StableFor the report waits, like a recovery, until the device has
    // stayed back (the outage it returns is then open and untold), so a drop within StableFor continues the same outage.
    private static NotifiedOutage? ReportMissed(string thingName, PendingRecheck missed, DateTimeOffset backAt, DateTimeOffset now, DeviceRules rules, ref List<DeviceNotification>? notifications)
    {
        if (rules.StableFor is { } stableFor)
        {
            return new NotifiedOutage(missed.DisconnectedAt, missed.Version, now, 0, null, backAt, Later(backAt + stableFor, now), Untold: true);
        }

        Add(ref notifications, rules.Formatter.CreateRecovered(Trigger(thingName, missed.DisconnectedAt, missed.Version), backAt, now, rules.GracePeriodFor(thingName)));
        return null;
    }

    // Whether the state source says the device is down in this outage or in a drop that continues it (StableFor).
    private static bool StillDown(NotifiedOutage open, ConnectionSnapshot? snapshot)
        => snapshot is { Connected: false } down && StateOrder.Compare(false, down.ChangedAt, down.Version, false, open.StartedAt, open.Version) >= 0;

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    // Counts a disconnect for flap detection; false when the device is not watched for flapping.
    private static bool Flap(ref FlapFields flap, string thingName, in ConnectionEvent disconnect, DateTimeOffset now, DeviceRules rules, ref List<DeviceNotification>? notifications)
    {
        if (rules.FlappingFor(thingName) is not { } threshold)
        {
            return false;
        }

        var state = new FlapState(flap.RecentDisconnects, flap.Latest, flap.Flapping);
        var disconnects = state.OnDisconnect(disconnect.At.UtcTicks, threshold);
        if (disconnects > 0)
        {
            Add(ref notifications, rules.Formatter.CreateFlapping(disconnect.ToTrigger(), disconnects, threshold.Window, now, rules.GracePeriodFor(thingName)));
        }

        flap = new FlapFields(state.RecentTicks, state.LatestTicks, state.Flapping);
        return true;
    }

    // The record's flap detection fields, carried through a step as one value.
    private readonly record struct FlapFields(IReadOnlyList<long> RecentDisconnects, long Latest, bool Flapping)
    {
        public FlapFields(DeviceRecord record)
            : this(record.RecentDisconnects, record.FlapLatest, record.Flapping)
        {
        }
    }

    private static DisconnectTrigger Trigger(string thingName, DateTimeOffset at, long? version) => new(thingName, at, version);

    private static long OutageSeconds(DateTimeOffset at) => new OutageId("x", at).StartedAtEpochSeconds;

    private static void Add(ref List<DeviceNotification>? notifications, DeviceNotification notification)
        => (notifications ??= []).Add(notification);
}
