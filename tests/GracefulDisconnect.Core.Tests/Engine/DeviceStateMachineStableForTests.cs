using GracefulDisconnect.Engine;
using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Engine;

/// <summary>Recovery hysteresis (<see cref="GracefulDisconnectOptions.StableFor"/>): back only once connected for long enough.</summary>
public class DeviceStateMachineStableForTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Stable = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset T0 = Instants.Noon;

    private static MachineDevice NotifiedDevice(Action<GracefulDisconnectOptions>? configure = null)
    {
        var device = new MachineDevice(Grace, o =>
        {
            o.Alerts.NotifyRecovery = true;
            o.Alerts.StableFor = Stable;
            configure?.Invoke(o);
        });
        device.Observe(connected: false, T0, now: T0);
        Assert.Equal(RecheckResult.Notified, device.RecheckLastKnown(T0 + Grace));
        return device;
    }

    [Fact]
    public void Observe_ConnectAfterTheOutage_TellsNothingUntilStableFor()
    {
        var device = NotifiedDevice();
        var back = T0.AddMinutes(10);

        device.Observe(connected: true, back, now: back);

        Assert.Single(device.Sent);
        Assert.Equal(back, device.Record.Open!.BackAt);
        Assert.Equal(back + Stable, device.Record.WakeAt);
        Assert.Null(device.RecheckLastKnown(back + Stable - TimeSpan.FromTicks(1)));
        Assert.Single(device.Sent);
    }

    [Fact]
    public void Recheck_ConnectedForStableFor_OneRecoveryFromTheFirstConnect()
    {
        var device = NotifiedDevice();
        var back = T0.AddMinutes(10);
        device.Observe(connected: true, back, now: back);
        device.Observe(connected: true, back.AddMinutes(1), now: back.AddMinutes(1));

        device.RecheckLastKnown(back + Stable);

        var recovered = device.Sent[^1];
        Assert.Equal((NotificationKind.Recovered, T0, TimeSpan.FromMinutes(10), back + Stable), (recovered.Kind, recovered.OfflineSince, recovered.OfflineFor, recovered.DecidedAt));
        Assert.Null(device.Record.Open);
        Assert.Null(device.Record.WakeAt);
    }

    [Fact]
    public void Observe_DropWithinStableFor_ContinuesTheOutage_NoOfflineNoRecoveryInBetween()
    {
        var device = NotifiedDevice();
        var back = T0.AddMinutes(10);
        device.Observe(connected: true, back, now: back);
        var drop = back.AddSeconds(40);

        device.Observe(connected: false, drop, now: drop);

        Assert.Null(device.Record.Pending);
        Assert.Null(device.Record.Open!.BackAt);
        Assert.Equal(T0, device.Record.Open.StartedAt);
        Assert.Null(device.RecheckLastKnown(drop + Grace));
        var again = drop.AddMinutes(1);
        device.Observe(connected: true, again, now: again);
        device.RecheckLastKnown(again + Stable);

        Assert.Equal([NotificationKind.Offline, NotificationKind.Recovered], device.Sent.Select(n => n.Kind));
        Assert.Equal((T0, again - T0), (device.Sent[1].OfflineSince, device.Sent[1].OfflineFor));
    }

    [Fact]
    public void Observe_DropAfterAWholeStableForNotYetRechecked_RecoveryThenANewOutage()
    {
        var device = NotifiedDevice();
        var back = T0.AddMinutes(10);
        device.Observe(connected: true, back, now: back);
        var drop = back + Stable;

        device.Observe(connected: false, drop, now: drop);

        Assert.Equal([NotificationKind.Offline, NotificationKind.Recovered], device.Sent.Select(n => n.Kind));
        Assert.Equal(back, device.Sent[1].OfflineSince + device.Sent[1].OfflineFor!.Value);
        Assert.Null(device.Record.Open);
        Assert.Equal(drop, device.Record.Pending!.DisconnectedAt);
        Assert.Equal(RecheckResult.Notified, device.RecheckLastKnown(drop + Grace));
        Assert.Equal(new OutageId("t1", drop).ToString(), device.Sent[^1].OutageId);
    }

    [Fact]
    public void Observe_ADropBetweenTheReturnAndANewerConnectDeliveredLate_BackOnlySinceThatConnect()
    {
        var device = NotifiedDevice();
        var back = T0.AddMinutes(10);
        device.Observe(connected: true, back, now: back);
        device.Observe(connected: true, back.AddMinutes(2), now: back.AddMinutes(2));

        device.Observe(connected: false, back.AddMinutes(1), now: back.AddMinutes(3));

        Assert.Equal(back.AddMinutes(2), device.Record.Open!.BackAt);
        Assert.Equal(back.AddMinutes(2) + Stable, device.Record.WakeAt);
        Assert.Null(device.RecheckLastKnown(back + Stable));
        Assert.Single(device.Sent);
    }

    [Fact]
    public void Recheck_StateSourceAlreadyShowsADrop_NoRecovery_TheOutageGoesOn()
    {
        var device = NotifiedDevice();
        var back = T0.AddMinutes(10);
        device.Observe(connected: true, back, now: back);
        var drop = back.AddMinutes(2);

        // The state source has the drop; the engine has not recorded it yet.
        device.Recheck(new ConnectionSnapshot(false, drop), back + Stable);
        device.Observe(connected: false, drop, now: back + Stable);

        Assert.Single(device.Sent);
        Assert.NotNull(device.Record.Open);
        Assert.Null(device.Record.Pending);
        Assert.Null(device.Record.WakeAt);
    }

    [Fact]
    public void Recheck_ReminderWhileBackButNotStable_Waits_ThenGoesOnAfterADrop()
    {
        var every = TimeSpan.FromMinutes(4);
        var device = NotifiedDevice(o => o.Alerts.ReminderInterval = every);
        var firstReminder = T0 + Grace + every;
        var back = firstReminder - TimeSpan.FromMinutes(1);
        device.Observe(connected: true, back, now: back);

        device.RecheckLastKnown(firstReminder);
        Assert.Single(device.Sent);
        Assert.Equal(firstReminder + every, device.Record.Open!.NextReminderAt);

        var drop = back.AddMinutes(2);
        device.Observe(connected: false, drop, now: drop);
        device.RecheckLastKnown(firstReminder + every);

        var reminder = device.Sent[^1];
        Assert.Equal((NotificationKind.Reminder, 1, T0), (reminder.Kind, reminder.Reminder, reminder.OfflineSince));
    }

    [Fact]
    public void Codec_BackButNotYetStable_RoundTrips()
    {
        var device = NotifiedDevice();
        device.Observe(connected: true, T0.AddMinutes(10), now: T0.AddMinutes(11));

        var state = DeviceRecordCodec.Write(device.Record);
        var read = DeviceRecordCodec.Read("t1", state);

        Assert.StartsWith("{\"s\":3,", state, StringComparison.Ordinal);
        Assert.Equal(device.Record.Open, read.Open);
        Assert.Equal(T0.AddMinutes(10) + Stable, read.WakeAt);
    }
}
