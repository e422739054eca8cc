namespace GracefulDisconnect.Engine;

/// <summary>
/// Silent devices, around <see cref="DeviceStateMachine"/> rather than inside it: a device believed connected that
/// sends nothing for its silence threshold (<see cref="GracefulDisconnectOptions.SilentAfter"/>) is an outage that
/// began when it was last heard from, notified once, over when it speaks again. Pure, like the state machine: the
/// engine passes its clock in.
/// </summary>
/// <remarks>
/// One wake per device however chatty it is: an event moves <see cref="DeviceRecord.HeardAt"/> only; the silence
/// check set when the device was first heard stays where it is, and when it comes due finds the device heard since and
/// moves on to <c>HeardAt + threshold</c>. A device believed offline (its latest change a disconnect) is the state
/// machine's: it has no silence check, since an outage is already under way.
/// </remarks>
internal static class DeviceSilence
{
    /// <summary>An event reached the engine at <paramref name="now"/>: the state machine's step, with the device heard from.</summary>
    public static DeviceTransition Observe(DeviceRecord record, in ConnectionEvent connectionEvent, DateTimeOffset now, DeviceRules rules)
    {
        var threshold = rules.SilentAfterFor(record.ThingName);
        if (connectionEvent.SignOfLife)
        {
            return Heard(record, connectionEvent.Retained, now, threshold, rules);
        }

        if (threshold is null && record.HeardAt is null && record.Silent is null && record.SilenceCheckAt is null)
        {
            // Not watched, and never was: exactly the state machine's step.
            return DeviceStateMachine.Observe(record, connectionEvent, now, rules);
        }

        // A retained message is the broker repeating an old state, not the device speaking; it starts the clock of a
        // device never heard from, nothing more.
        var spoke = !connectionEvent.Retained || record.HeardAt is null;
        DeviceNotification? recovered = null;
        var before = record;
        if (spoke && record.Silent is { } silent)
        {
            // It speaks again: the silent outage is over. Back only if it says it is connected; a disconnect (its will,
            // published by the broker) goes on as an outage of the state machine, with its own grace.
            if (connectionEvent.Connected && rules.NotifyRecovery)
            {
                recovered = Recovered(record.ThingName, silent, now, threshold, rules);
            }

            record = record with { Silent = null };
        }

        var step = DeviceStateMachine.Observe(record, connectionEvent, now, rules);
        var next = step.Record;
        if (spoke)
        {
            next = next with { HeardAt = threshold is null ? null : now };
        }

        next = next with { SilenceCheckAt = CheckAfterHeard(next, threshold) };
        if (recovered is null && next == before)
        {
            return new DeviceTransition(before, step.Notifications, step.Decision);
        }

        return new DeviceTransition(next, recovered is null ? step.Notifications : [recovered, .. step.Notifications], step.Decision);
    }

    /// <summary>
    /// The device's wake came: the state machine's re-check and reminder, then the silence check, with
    /// <paramref name="horizon"/> the time up to which every event is recorded (an input behind its source must not make
    /// a device look silent).
    /// </summary>
    public static DeviceTransition Recheck(DeviceRecord record, ConnectionSnapshot? snapshot, DateTimeOffset now, DateTimeOffset horizon, DeviceRules rules)
    {
        var step = DeviceStateMachine.Recheck(record, snapshot, now, rules);
        var next = step.Record;
        if (next.SilenceCheckAt is not { } checkAt || checkAt > horizon)
        {
            return step;
        }

        var threshold = rules.SilentAfterFor(next.ThingName);
        if (threshold is not { } silentAfter || next.HeardAt is not { } heard || next.Silent is not null || next.Last is not { Connected: true })
        {
            return step with { Record = next with { SilenceCheckAt = CheckAfterHeard(next, threshold) } };
        }

        if (heard + silentAfter > horizon)
        {
            // Heard from since the check was set: look again a whole threshold after that.
            return step with { Record = next with { SilenceCheckAt = heard + silentAfter } };
        }

        var notification = rules.Formatter.CreateSilent(next.ThingName, heard, now, silentAfter);
        return new DeviceTransition(
            next with { Silent = new SilentOutage(heard, now), SilenceCheckAt = null },
            [.. step.Notifications, notification],
            step.Decision);
    }

    // A sign of life says nothing about the state: it never reaches the state machine. It matters only for a device
    // believed connected (one believed offline is the state machine's; one never seen has no state to keep, and a topic
    // that only looks like a device's, a gateway's own topic under a wide filter say, must not make a record).
    private static DeviceTransition Heard(DeviceRecord record, bool retained, DateTimeOffset now, TimeSpan? threshold, DeviceRules rules)
    {
        var unchanged = new DeviceTransition(record, []);
        if (record.Last is not { Connected: true } || (threshold is null && record.Silent is null))
        {
            return unchanged;
        }

        // A retained one is the broker repeating old telemetry on subscribe, not the device speaking.
        if (retained && record.HeardAt is not null)
        {
            return unchanged;
        }

        DeviceNotification? recovered = null;
        var next = record with { HeardAt = threshold is null ? null : now };
        if (record.Silent is { } silent)
        {
            if (rules.NotifyRecovery)
            {
                recovered = Recovered(record.ThingName, silent, now, threshold, rules);
            }

            next = next with { Silent = null };
        }

        next = next with { SilenceCheckAt = CheckAfterHeard(next, threshold) };
        return new DeviceTransition(next, recovered is null ? [] : [recovered]);
    }

    // The device spoke again after going silent: "back", offline since it was last heard from.
    private static DeviceNotification Recovered(string thingName, in SilentOutage silent, DateTimeOffset now, TimeSpan? threshold, DeviceRules rules)
        => rules.Formatter.CreateRecovered(new DisconnectTrigger(thingName, silent.Since), now, now, threshold ?? now - silent.Since);

    // A device watched, heard from, believed connected and not silent has a silence check; it keeps the one it has.
    private static DateTimeOffset? CheckAfterHeard(DeviceRecord record, TimeSpan? threshold)
    {
        if (threshold is not { } silentAfter || record.HeardAt is not { } heard || record.Silent is not null || record.Last is not { Connected: true })
        {
            return null;
        }

        return record.SilenceCheckAt ?? heard + silentAfter;
    }
}
