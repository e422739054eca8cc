using GracefulDisconnect.Engine;
using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Engine;

/// <summary>The engine's rules, one transition at a time: what each kind of history notifies, and only that.</summary>
public class DeviceStateMachineTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = Instants.Noon;

    private static string Outage(DateTimeOffset startedAt) => new OutageId("t1", startedAt).ToString();

    [Fact]
    public void Observe_BlipWithinGrace_NotifiesNothing()
    {
        var device = new Device();

        device.Observe(connected: false, T0, now: T0);
        Assert.Equal(T0 + Grace, device.Record.WakeAt);
        device.Observe(connected: true, T0.AddSeconds(10), now: T0.AddSeconds(10));

        Assert.Null(device.Record.Pending);
        Assert.Null(device.Record.WakeAt);
        Assert.Null(device.RecheckLastKnown(T0 + Grace));
        Assert.Empty(device.Sent);
    }

    [Fact]
    public void Observe_LifecycleVersionsDisagreeWithTheTimestamps_TheVersionsDecide()
    {
        // AWS stamps lifecycle events to about ±2 minutes; within minutes the version number orders them: the disconnect
        // of connection 4, stamped after the connect of connection 5, is the older change.
        var device = new Device();
        device.Observe(connected: true, T0.AddSeconds(5), now: T0.AddSeconds(5), version: 5);

        device.Observe(connected: false, T0.AddSeconds(10), now: T0.AddSeconds(11), version: 4);

        Assert.Null(device.Record.Pending);
        Assert.Equal(new ObservedChange(true, T0.AddSeconds(5), 5), device.Record.Last);
    }

    [Fact]
    public void Recheck_OutagePastGrace_NotifiesOneOffline()
    {
        var device = new Device();
        device.Observe(connected: false, T0.Ms(451), now: T0.Ms(500));

        Assert.False(DeviceStateMachine.IsDue(device.Record, T0.Ms(451) + Grace - TimeSpan.FromTicks(1)));
        Assert.Equal(RecheckResult.Notified, device.RecheckLastKnown(T0.Ms(451) + Grace));
        Assert.Null(device.RecheckLastKnown(T0.AddMinutes(10)));

        var sent = Assert.Single(device.Sent);
        Assert.Equal((NotificationKind.Offline, Outage(T0), T0.Ms(451), T0.Ms(451) + Grace), (sent.Kind, sent.OutageId, sent.OfflineSince, sent.DecidedAt));
        Assert.Null(device.Record.Pending);
        Assert.Equal(new OutageId("t1", T0).StartedAtEpochSeconds, device.Record.LastNotifiedOutage);
    }

    [Fact]
    public void Recheck_NotYetDueByTheGrace_WaitsAndNotifiesNothing()
    {
        var device = new Device();
        device.Observe(connected: false, T0, now: T0);

        var step = DeviceStateMachine.Recheck(device.Record, DeviceStateMachine.LastKnown(device.Record), T0.AddSeconds(5), device.Rules);

        Assert.Empty(step.Notifications);
        Assert.Null(step.Decision);
        Assert.Equal(T0 + Grace, step.Record.WakeAt);
    }

    [Fact]
    public void Observe_DuplicateDisconnect_NotifiesOnce()
    {
        var device = new Device();

        // The same disconnect from a lifecycle event (milliseconds) and the shadow (seconds), and once more.
        device.Observe(connected: false, T0.Ms(451), now: T0.AddSeconds(1), version: 3);
        device.Observe(connected: false, T0, now: T0.AddSeconds(2));
        device.Observe(connected: false, T0.Ms(451), now: T0.AddSeconds(3), version: 3);
        device.RecheckLastKnown(T0.AddMinutes(1));
        device.Observe(connected: false, T0.Ms(451), now: T0.AddMinutes(2), version: 3);
        device.Observe(connected: false, T0, now: T0.AddMinutes(3));

        Assert.Null(device.Record.WakeAt);
        Assert.Null(device.RecheckLastKnown(T0.AddMinutes(10)));
        Assert.Equal([Outage(T0)], device.Sent.Select(n => n.OutageId));
    }

    [Fact]
    public void Observe_SameDisconnectInWholeSecondsAfterMilliseconds_ReChecksAtTheEarlierDue()
    {
        var device = new Device();
        device.Observe(connected: false, T0.Ms(880), now: T0.Ms(900));

        // The shadow's 12:00:00 for the lifecycle event's 12:00:00.880: it may have begun up to a second earlier.
        device.Observe(connected: false, T0, now: T0.Ms(950));

        Assert.Equal(T0 + Grace, device.Record.WakeAt);
        Assert.Equal(RecheckResult.Notified, device.RecheckLastKnown(T0 + Grace));
        var sent = Assert.Single(device.Sent);
        Assert.Equal((Outage(T0), T0, T0 + Grace), (sent.OutageId, sent.OfflineSince, sent.DecidedAt));

        // The other way round the due time stays the earlier one.
        var other = new Device();
        other.Observe(connected: false, T0, now: T0.Ms(900));
        other.Observe(connected: false, T0.Ms(880), now: T0.Ms(950));
        Assert.Equal(T0 + Grace, other.Record.WakeAt);
        Assert.Equal(T0, other.Record.Pending!.DisconnectedAt);
    }

    [Fact]
    public void Observe_LateDuplicateOfAnOverdueDisconnect_DoesNotPostponeItsReCheck()
    {
        var device = new Device();

        // Recorded late (due at once), then again 200 ms later; back 25 ms after the first recording.
        device.Observe(connected: false, T0.Ms(647), now: T0.AddSeconds(40));
        device.Observe(connected: false, T0.Ms(647), now: T0.AddSeconds(40).Ms(200));
        Assert.Equal(T0.AddSeconds(40), device.Record.WakeAt);
        device.Observe(connected: true, T0.AddSeconds(40).Ms(25), now: T0.AddSeconds(40).Ms(300));

        // It was still offline when its disconnect was recorded, and the re-check had not run: told once.
        var sent = Assert.Single(device.Sent);
        Assert.Equal((NotificationKind.Recovered, Outage(T0)), (sent.Kind, sent.OutageId));
    }

    [Fact]
    public void Observe_ReconnectJustAfterAWholeSecondDueTime_IsAMissedOutage()
    {
        var device = new Device();
        device.Observe(connected: false, T0, now: T0.AddSeconds(1));

        // Due at 12:00:30.000; back at 12:00:30.027. A re-check on time would have said offline.
        device.Observe(connected: true, (T0 + Grace).Ms(27), now: T0.AddSeconds(31));

        var sent = Assert.Single(device.Sent);
        Assert.Equal((NotificationKind.Recovered, Outage(T0)), (sent.Kind, sent.OutageId));
    }

    [Fact]
    public void Observe_ReconnectInTheSecondOfTheDueTimeReportedInWholeSeconds_IsNoMissedOutage()
    {
        var device = new Device();
        device.Observe(connected: false, T0.Ms(500), now: T0.AddSeconds(1));

        // Due at 12:00:30.500; the shadow says back at 12:00:30: a re-check on time would have read it as back.
        device.Observe(connected: true, T0 + Grace, now: T0.AddSeconds(31));

        Assert.Empty(device.Sent);
    }

    [Fact]
    public void Observe_LateDisconnectOlderThanAKnownConnect_NotifiesNothing()
    {
        var device = new Device();
        device.Observe(connected: true, T0.AddSeconds(10), now: T0.AddSeconds(10));

        device.Observe(connected: false, T0, now: T0.AddMinutes(5));

        Assert.Null(device.Record.Pending);
        Assert.Null(device.RecheckLastKnown(T0.AddMinutes(6)));
        Assert.Empty(device.Sent);
        Assert.True(device.Record.Last!.Value.Connected);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Observe_ConnectAfterANotifiedOutage_RecoveredOnlyWithNotifyRecovery(bool notifyRecovery)
    {
        var device = new Device(o => o.Alerts.NotifyRecovery = notifyRecovery);
        device.Observe(connected: false, T0, now: T0);
        device.RecheckLastKnown(T0 + Grace);

        device.Observe(connected: true, T0.AddMinutes(5), now: T0.AddMinutes(5).Ms(200));
        device.Observe(connected: true, T0.AddMinutes(5), now: T0.AddMinutes(6));

        Assert.Null(device.Record.Open);
        var kinds = device.Sent.Select(n => n.Kind).ToList();
        if (notifyRecovery)
        {
            Assert.Equal([NotificationKind.Offline, NotificationKind.Recovered], kinds);
            var recovered = device.Sent[1];
            Assert.Equal((Outage(T0), TimeSpan.FromMinutes(5), T0.AddMinutes(5).Ms(200)), (recovered.OutageId, recovered.OfflineFor, recovered.DecidedAt));
        }
        else
        {
            Assert.Equal([NotificationKind.Offline], kinds);
        }
    }

    [Fact]
    public void Observe_NewerDisconnectAfterANotifiedOutage_ClosesItWithoutARecovery()
    {
        var device = new Device(o => o.Alerts.NotifyRecovery = true);
        device.Observe(connected: false, T0, now: T0);
        device.RecheckLastKnown(T0 + Grace);

        // The connect in between never arrived: when it came back is unknown.
        device.Observe(connected: false, T0.AddMinutes(10), now: T0.AddMinutes(10));
        device.Observe(connected: true, T0.AddMinutes(5), now: T0.AddMinutes(11));

        Assert.Null(device.Record.Open);
        Assert.Equal([NotificationKind.Offline], device.Sent.Select(n => n.Kind));
        Assert.Equal(T0.AddMinutes(10) + Grace, device.Record.WakeAt);
    }

    [Fact]
    public void Observe_RetainedDisconnectOfADeviceAlreadyDown_IsTheSameOutageGoingOn()
    {
        var device = new Device(o => o.Alerts.ReminderInterval = TimeSpan.FromHours(1));
        device.Observe(connected: false, T0, now: T0, retained: true);
        device.RecheckLastKnown(T0 + Grace);

        // A restart: the broker sends the retained "offline" again, first seen now.
        device.Observe(connected: false, T0.AddMinutes(10), now: T0.AddMinutes(10), retained: true);
        device.RecheckLastKnown(T0.AddMinutes(10) + Grace);

        Assert.Equal([Outage(T0)], device.Sent.Select(n => n.OutageId));
        Assert.Equal(T0, device.Record.Open?.StartedAt);
        Assert.Equal(T0 + Grace + TimeSpan.FromHours(1), device.Record.WakeAt);
    }

    [Fact]
    public void Observe_RetainedDisconnectOfADeviceThatWasUp_IsANewOutage()
    {
        var device = new Device();
        device.Observe(connected: true, T0, now: T0);
        device.Observe(connected: false, T0.AddMinutes(1), now: T0.AddMinutes(1), retained: true);
        device.RecheckLastKnown(T0.AddMinutes(1) + Grace);

        Assert.Equal([Outage(T0.AddMinutes(1))], device.Sent.Select(n => n.OutageId));
    }

    [Fact]
    public void Observe_ConnectAfterAMissedOutage_OneRecoveredNoticeEvenWithoutNotifyRecovery()
    {
        var device = new Device(o => o.Alerts.NotifyRecovery = false);
        device.Observe(connected: false, T0, now: T0.AddSeconds(1));

        // The engine was down at T0 + grace; the connect came after the grace and arrives later still.
        device.Observe(connected: true, T0.AddSeconds(90), now: T0.AddSeconds(100));
        device.Observe(connected: true, T0.AddSeconds(90), now: T0.AddSeconds(101));

        var sent = Assert.Single(device.Sent);
        Assert.Equal(NotificationKind.Recovered, sent.Kind);
        Assert.Equal((Outage(T0), T0, TimeSpan.FromSeconds(90), T0.AddSeconds(100)), (sent.OutageId, sent.OfflineSince, sent.OfflineFor, sent.DecidedAt));
        Assert.Null(device.Record.Pending);
        Assert.Null(device.RecheckLastKnown(T0.AddSeconds(200)));
        Assert.Single(device.Sent);

        // A late duplicate of the disconnect does not start the outage again.
        device.Observe(connected: false, T0, now: T0.AddSeconds(300));
        Assert.Null(device.Record.WakeAt);
    }

    [Fact]
    public void Recheck_LateWithTheSourceSayingItCameBackAfterTheGrace_OneRecoveredNotice()
    {
        var device = new Device();
        device.Observe(connected: false, T0, now: T0);

        // Back within the grace: a late re-check that learns it now tells nothing.
        Assert.Equal(RecheckResult.SkippedReconnected, device.Recheck(new ConnectionSnapshot(true, T0.AddSeconds(20)), T0.AddSeconds(100)));
        Assert.Empty(device.Sent);

        var late = new Device();
        late.Observe(connected: false, T0, now: T0);
        late.Recheck(new ConnectionSnapshot(true, T0.AddSeconds(90)), T0.AddSeconds(100));

        var sent = Assert.Single(late.Sent);
        Assert.Equal((NotificationKind.Recovered, Outage(T0), TimeSpan.FromSeconds(90)), (sent.Kind, sent.OutageId, sent.OfflineFor));
        late.Observe(connected: true, T0.AddSeconds(90), now: T0.AddSeconds(101));
        Assert.Single(late.Sent);
    }

    [Fact]
    public void Observe_ConnectBeforeTheDueTimeArrivingLate_NotifiesNothing()
    {
        var device = new Device();
        device.Observe(connected: false, T0, now: T0);

        // Back within the grace, but the connect reaches the engine only after the due time.
        device.Observe(connected: true, T0.AddSeconds(20), now: T0.AddSeconds(100));

        Assert.Empty(device.Sent);
        Assert.Null(device.Record.WakeAt);
    }

    [Fact]
    public void Observe_DisconnectRecordedAfterItsOutageEnded_NotifiesNothing()
    {
        var device = new Device(o => o.Alerts.NotifyRecovery = true);

        // A backlog: the disconnect and its reconnect, both long past, recorded together.
        device.Observe(connected: false, T0, now: T0.AddMinutes(10));
        Assert.Equal(T0.AddMinutes(10), device.Record.WakeAt);
        device.Observe(connected: true, T0.AddMinutes(2), now: T0.AddMinutes(10).Ms(1));

        Assert.Null(device.Record.WakeAt);
        Assert.Null(device.RecheckLastKnown(T0.AddMinutes(11)));
        Assert.Empty(device.Sent);
    }

    [Fact]
    public void Observe_LateDisconnectWhoseOutageWentOnAfterItWasRecorded_IsReportedOnce()
    {
        var device = new Device();
        device.Observe(connected: false, T0, now: T0.AddMinutes(10));

        // Recorded while still offline, and not re-checked before the connect arrived: the outage is told.
        device.Observe(connected: true, T0.AddMinutes(12), now: T0.AddMinutes(12));

        var sent = Assert.Single(device.Sent);
        Assert.Equal((NotificationKind.Recovered, Outage(T0), TimeSpan.FromMinutes(12)), (sent.Kind, sent.OutageId, sent.OfflineFor));
    }

    [Fact]
    public void Recheck_Reminders_ComeAtTheIntervalUpToTheMaximum()
    {
        var every = TimeSpan.FromMinutes(10);
        var device = new Device(o =>
        {
            o.Alerts.ReminderInterval = every;
            o.Alerts.MaxReminders = 2;
        });
        device.Observe(connected: false, T0, now: T0);
        device.RecheckLastKnown(T0 + Grace);
        var notifiedAt = T0 + Grace;

        Assert.Equal(notifiedAt + every, device.Record.WakeAt);
        Assert.False(DeviceStateMachine.IsDue(device.Record, notifiedAt + every - TimeSpan.FromTicks(1)));
        device.RecheckLastKnown(notifiedAt + every);
        Assert.Equal(notifiedAt + (2 * every), device.Record.WakeAt);
        device.RecheckLastKnown(notifiedAt + (2 * every));

        Assert.Null(device.Record.WakeAt);
        device.RecheckLastKnown(notifiedAt + (5 * every));
        Assert.Equal(
            [(NotificationKind.Offline, 0, notifiedAt), (NotificationKind.Reminder, 1, notifiedAt + every), (NotificationKind.Reminder, 2, notifiedAt + (2 * every))],
            device.Sent.Select(n => (n.Kind, n.Reminder, n.DecidedAt)));
        Assert.Equal([Outage(T0), $"{Outage(T0)}#reminder-1", $"{Outage(T0)}#reminder-2"], device.Sent.Select(n => n.NotificationId));
    }

    [Fact]
    public void Recheck_RemindersWithoutMaximum_GoOnWhileOffline()
    {
        var every = TimeSpan.FromMinutes(1);
        var device = new Device(o => o.Alerts.ReminderInterval = every);
        device.Observe(connected: false, T0, now: T0);
        device.RecheckLastKnown(T0 + Grace);

        for (var i = 1; i <= 5; i++)
        {
            device.RecheckLastKnown(T0 + Grace + (i * every));
        }

        Assert.Equal([0, 1, 2, 3, 4, 5], device.Sent.Select(n => n.Reminder));
        Assert.Equal(T0 + Grace + (6 * every), device.Record.WakeAt);
    }

    [Fact]
    public void Recheck_RemindersOnceBack_StopAndTheConnectBringsTheRecovery()
    {
        var every = TimeSpan.FromMinutes(10);
        var device = new Device(o =>
        {
            o.Alerts.ReminderInterval = every;
            o.Alerts.NotifyRecovery = true;
        });
        device.Observe(connected: false, T0, now: T0);
        device.RecheckLastKnown(T0 + Grace);
        device.RecheckLastKnown(T0 + Grace + every);

        // The state source says it is back before the connect event arrives: no reminder, and the series ends.
        device.Recheck(new ConnectionSnapshot(true, T0.AddMinutes(15)), T0 + Grace + (2 * every));
        Assert.Null(device.Record.WakeAt);
        device.Observe(connected: true, T0.AddMinutes(15), now: T0 + Grace + (2 * every) + TimeSpan.FromSeconds(1));
        device.RecheckLastKnown(T0 + Grace + (3 * every));

        Assert.Equal([NotificationKind.Offline, NotificationKind.Reminder, NotificationKind.Recovered], device.Sent.Select(n => n.Kind));
    }

    [Fact]
    public void Observe_ConnectWhileRemindersRun_EndsTheSeries()
    {
        var device = new Device(o => o.Alerts.ReminderInterval = TimeSpan.FromMinutes(1));
        device.Observe(connected: false, T0, now: T0);
        device.RecheckLastKnown(T0 + Grace);

        device.Observe(connected: true, T0.AddSeconds(45), now: T0.AddSeconds(45));

        Assert.Null(device.Record.WakeAt);
        device.RecheckLastKnown(T0.AddMinutes(5));
        Assert.Equal([NotificationKind.Offline], device.Sent.Select(n => n.Kind));
    }

    [Fact]
    public void Observe_Flapping_NotifiesOncePerEpisode()
    {
        var device = new Device(o => o.Alerts.Flapping = new FlapThreshold(3, TimeSpan.FromMinutes(1)));

        // Five drops 10 s apart (each back after 1 s): one episode, told at the third.
        for (var i = 0; i < 5; i++)
        {
            device.Observe(connected: false, T0.AddSeconds(i * 10), now: T0.AddSeconds(i * 10));
            device.Observe(connected: true, T0.AddSeconds((i * 10) + 1), now: T0.AddSeconds((i * 10) + 1));
        }

        Assert.Equal([(NotificationKind.Flapping, 3, T0.AddSeconds(20))], device.Sent.Select(n => (n.Kind, n.Disconnects, n.OfflineSince)));

        // A late duplicate inside the episode counts once and tells nothing.
        device.Observe(connected: false, T0.AddSeconds(10), now: T0.AddSeconds(50));

        // A quiet window ends the episode; the next one is told again, once.
        for (var i = 0; i < 4; i++)
        {
            var at = T0.AddMinutes(3).AddSeconds(i * 5);
            device.Observe(connected: false, at, now: at);
            device.Observe(connected: true, at.AddSeconds(1), now: at.AddSeconds(1));
        }

        Assert.Equal([T0.AddSeconds(20), T0.AddMinutes(3).AddSeconds(10)], device.Sent.Select(n => n.OfflineSince));
        Assert.All(device.Sent, n => Assert.Equal(NotificationKind.Flapping, n.Kind));
        Assert.Equal($"{Outage(T0.AddSeconds(20))}#flapping", device.Sent[0].NotificationId);
    }

    /// <summary>One device's record stepped by hand, collecting what it sends.</summary>

    private sealed class Device(Action<GracefulDisconnectOptions>? configure = null) : MachineDevice(Grace, configure);
}
