using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Engine;
using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Engine;

/// <summary>Silent devices through the live engine on a fake clock: notified once, over when they speak, one wake each.</summary>
public sealed class DeviceSilenceTests : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan SilentAfter = TimeSpan.FromMinutes(10);
    private static readonly DateTimeOffset T0 = Instants.Noon;

    private readonly FakeTimeProvider _time = new(T0);
    private readonly GracefulDisconnectMetrics _metrics = new();
    private readonly InMemoryDeviceStore _store = new();
    private readonly RecordingNotifier _notifier = new();

    public void Dispose() => _metrics.Dispose();

    private DeviceEngine Engine(Action<GracefulDisconnectOptions>? configure = null)
    {
        var options = TestOptions.Create(o =>
        {
            o.GracePeriod = Grace;
            o.SilentAfter = SilentAfter;
            o.Alerts.NotifyRecovery = true;
            configure?.Invoke(o);
        });
        return new DeviceEngine(_store, null, [_notifier], options, new NotificationFormatter(options), _time, _metrics);
    }

    private async Task StepAsync(DeviceEngine engine, DateTimeOffset at)
    {
        _time.SetUtcNow(at);
        await engine.RunDueAsync();
        await engine.DeliverAsync();
    }

    private static Task HeardAsync(DeviceEngine engine, string thing, DateTimeOffset at, bool connected = true, bool retained = false)
        => engine.RecordAsync([new ConnectionEvent(thing, connected, at) { Retained = retained }]).AsTask();

    private async Task<DeviceRecord> RecordOfAsync(string thing)
    {
        var stored = Assert.Single(await _store.LoadAsync([thing]));
        return DeviceRecordCodec.Read(thing, stored.State);
    }

    [Fact]
    public async Task RunDueAsync_ConnectedDeviceSilentForTheThreshold_NotifiedOnceAsSilentSinceItsLastEvent()
    {
        using var engine = Engine();
        await HeardAsync(engine, "sensor", T0);

        await StepAsync(engine, T0 + SilentAfter - TimeSpan.FromSeconds(1));
        Assert.Empty(_notifier.Sent);

        await StepAsync(engine, T0 + SilentAfter);
        var silent = Assert.Single(_notifier.Sent);
        Assert.Equal(NotificationKind.Offline, silent.Kind);
        Assert.Equal(T0, silent.OfflineSince);
        Assert.Equal(new OutageId("sensor", T0).ToString(), silent.OutageId);
        Assert.Contains("silent since", silent.Message, StringComparison.Ordinal);

        // Once: no wake is left, however long it stays silent.
        for (var hour = 1; hour <= 5; hour++)
        {
            await StepAsync(engine, T0 + TimeSpan.FromHours(hour));
        }

        Assert.Single(_notifier.Sent);
        Assert.Equal(new DeviceStoreCounts(0, 0, 1), await _store.CountAsync());
        var listed = Assert.Single(await _store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, Max: 10)));
        Assert.Equal(new DeviceStatus(true, T0), listed.Status);
    }

    [Fact]
    public async Task RecordAsync_ChattyDevice_KeepsOneWakeMovedOnlyWhenItComesDue()
    {
        using var engine = Engine();
        var expected = T0 + SilentAfter;
        var moves = 0;
        for (var minute = 0; minute < 60; minute++)
        {
            var at = T0.AddMinutes(minute);
            await StepAsync(engine, at);
            if (at >= expected)
            {
                // Due before this minute's event: a whole threshold past the event of the minute before.
                expected = at.AddMinutes(-1) + SilentAfter;
                moves++;
            }

            await HeardAsync(engine, "chatty", at);

            // Sixty events, and the wake set by the first stays put until it comes due.
            Assert.Equal(expected, (await RecordOfAsync("chatty")).WakeAt);
        }

        Assert.Equal(6, moves);

        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RecordAsync_SilentDeviceSpeaksAgain_RecoveredOnceAndWatchedAgain()
    {
        using var engine = Engine();
        await HeardAsync(engine, "sensor", T0);
        await StepAsync(engine, T0 + SilentAfter);

        var back = T0 + TimeSpan.FromMinutes(42);
        await StepAsync(engine, back);
        await HeardAsync(engine, "sensor", back);
        await StepAsync(engine, back);

        Assert.Equal([NotificationKind.Offline, NotificationKind.Recovered], _notifier.Sent.Select(n => n.Kind));
        var recovered = _notifier.Sent[1];
        Assert.Equal(new OutageId("sensor", T0).ToString(), recovered.OutageId);
        Assert.Equal(TimeSpan.FromMinutes(42), recovered.OfflineFor);
        Assert.Equal(new DeviceStatus(false, back), Assert.Single(await _store.ListByStatusAsync(new DeviceStatusQuery(Offline: false, Max: 10))).Status);

        // Watched again: silent once more a threshold later, as a new outage.
        await StepAsync(engine, back + SilentAfter);
        Assert.Equal(3, _notifier.Sent.Count);
        Assert.Equal(new OutageId("sensor", back).ToString(), _notifier.Sent[2].OutageId);
    }

    [Fact]
    public async Task RecordAsync_SilentDeviceThenItsDisconnect_NoRecoveryAndTheOutageGoesOnWithItsGrace()
    {
        using var engine = Engine();
        await HeardAsync(engine, "sensor", T0);
        await StepAsync(engine, T0 + SilentAfter);
        var will = T0 + TimeSpan.FromMinutes(15);
        await StepAsync(engine, will);
        await HeardAsync(engine, "sensor", will, connected: false);

        await StepAsync(engine, will + Grace + TimeSpan.FromSeconds(1));

        Assert.Equal([(NotificationKind.Offline, T0), (NotificationKind.Offline, will)], _notifier.Sent.Select(n => (n.Kind, n.OfflineSince)));
        Assert.DoesNotContain("silent", _notifier.Sent[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDueAsync_DeviceBelievedOffline_IsNeverAlsoSilent()
    {
        using var engine = Engine();
        await HeardAsync(engine, "down", T0, connected: false);

        for (var minute = 1; minute <= 60; minute++)
        {
            await StepAsync(engine, T0.AddMinutes(minute));
        }

        var offline = Assert.Single(_notifier.Sent);
        Assert.DoesNotContain("silent", offline.Message, StringComparison.Ordinal);
        Assert.Null((await RecordOfAsync("down")).SilenceCheckAt);
    }

    [Fact]
    public async Task RecordAsync_RetainedRepeat_IsNoSignOfLife()
    {
        using var engine = Engine();
        await HeardAsync(engine, "sensor", T0);
        await HeardAsync(engine, "sensor", T0.AddMinutes(5), retained: true);

        await StepAsync(engine, T0 + SilentAfter);

        Assert.Equal(T0, Assert.Single(_notifier.Sent).OfflineSince);
    }

    [Fact]
    public async Task RunDueAsync_InputBehindItsSource_DoesNotCallADeviceSilent()
    {
        using var engine = Engine();
        await HeardAsync(engine, "sensor", T0);

        // Everything that arrived until T0 + 5 min is recorded; what came after may still be queued.
        engine.IngestWatermark = () => T0.AddMinutes(5);
        await StepAsync(engine, T0 + TimeSpan.FromMinutes(30));
        Assert.Empty(_notifier.Sent);

        engine.IngestWatermark = () => T0 + TimeSpan.FromMinutes(30);
        await StepAsync(engine, T0 + TimeSpan.FromMinutes(30));
        Assert.Single(_notifier.Sent);
    }

    [Fact]
    public async Task RecordAsync_SilenceOff_RecordsExactlyWhatTheStateMachineDoes()
    {
        using var engine = Engine(o => o.SilentAfter = null);
        await HeardAsync(engine, "sensor", T0);

        var record = await RecordOfAsync("sensor");
        Assert.Null(record.HeardAt);
        Assert.Null(record.WakeAt);
        Assert.StartsWith("{\"s\":1,", Assert.Single(await _store.LoadAsync(["sensor"])).State, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordAsync_PerDeviceOverride_WatchesOnlyThatDevice()
    {
        using var engine = Engine(o =>
        {
            o.SilentAfter = null;
            o.SilentAfterOverrides["meter"] = TimeSpan.FromMinutes(3);
        });
        await HeardAsync(engine, "meter", T0);
        await HeardAsync(engine, "lamp", T0);

        await StepAsync(engine, T0 + TimeSpan.FromHours(1));

        Assert.Equal(["meter"], _notifier.Sent.Select(n => n.ThingName));
    }

    public static class Arbitraries
    {
        // Gaps between a device's events, in minutes, around the threshold.
        public static Arbitrary<int[]> Gaps() => Arb.From(Gen.Choose(1, 25).ArrayOf().Where(gaps => gaps.Length is > 0 and < 12));
    }

    [Property(MaxTest = 60, Arbitrary = [typeof(Arbitraries)])]
    public async Task Engine_AnyGaps_OneSilentNotificationAndOneRecoveryPerGapOfAtLeastTheThreshold(int[] gaps)
    {
        var store = new InMemoryDeviceStore();
        var notifier = new RecordingNotifier();
        var time = new FakeTimeProvider(T0);
        var options = TestOptions.Create(o =>
        {
            o.GracePeriod = Grace;
            o.SilentAfter = SilentAfter;
            o.Alerts.NotifyRecovery = true;
        });
        using var engine = new DeviceEngine(store, null, [notifier], options, new NotificationFormatter(options), time, _metrics);
        var eventMinutes = new HashSet<int>();
        var minuteOf = 0;
        eventMinutes.Add(0);
        foreach (var gap in gaps)
        {
            minuteOf += gap;
            eventMinutes.Add(minuteOf);
        }

        // Each minute: the due work first, then that minute's event.
        for (var minute = 0; minute <= minuteOf + 30; minute++)
        {
            var at = T0.AddMinutes(minute);
            time.SetUtcNow(at);
            await engine.RunDueAsync();
            if (eventMinutes.Contains(minute))
            {
                await engine.RecordAsync([new ConnectionEvent("d", true, at)]);
            }

            await engine.DeliverAsync();
        }

        var silences = gaps.Count(gap => gap >= SilentAfter.TotalMinutes) + 1; // and the silence after the last event
        var sent = notifier.Sent;
        Assert.Equal(silences, sent.Count(n => n.Kind == NotificationKind.Offline));
        Assert.Equal(silences - 1, sent.Count(n => n.Kind == NotificationKind.Recovered));
        Assert.Equal(sent.Count, sent.Select(n => n.NotificationId).Distinct(StringComparer.Ordinal).Count());
    }

    private static Task SignOfLifeAsync(DeviceEngine engine, string thing, DateTimeOffset at, bool retained = false)
        => engine.RecordAsync([new ConnectionEvent(thing, Connected: false, at) { SignOfLife = true, Retained = retained }]).AsTask();

    [Fact]
    public async Task RecordAsync_SignsOfLifeOfAConnectedDevice_KeepItFromSilenceAndNeverChangeItsState()
    {
        using var engine = Engine();
        await HeardAsync(engine, "plug", T0);
        var wake = (await RecordOfAsync("plug")).WakeAt;

        // Connected: false on purpose: a sign of life's state is not read, so it must not start an outage.
        for (var minute = 5; minute <= 30; minute += 5)
        {
            await StepAsync(engine, T0.AddMinutes(minute));
            await SignOfLifeAsync(engine, "plug", T0.AddMinutes(minute));
        }

        var record = await RecordOfAsync("plug");
        Assert.Equal(new ObservedChange(true, T0, null), record.Last);
        Assert.Null(record.Pending);
        Assert.Equal(T0.AddMinutes(30), record.HeardAt);
        Assert.Equal(wake, T0 + SilentAfter);
        Assert.Empty(_notifier.Sent);

        await StepAsync(engine, T0.AddMinutes(30) + SilentAfter);
        var silent = Assert.Single(_notifier.Sent);
        Assert.Equal((NotificationKind.Offline, T0.AddMinutes(30)), (silent.Kind, silent.OfflineSince));
    }

    [Fact]
    public async Task RecordAsync_SignOfLifeOfASilentDevice_RecoversIt()
    {
        using var engine = Engine();
        await HeardAsync(engine, "plug", T0);
        await StepAsync(engine, T0 + SilentAfter);
        var back = T0 + TimeSpan.FromMinutes(25);
        await StepAsync(engine, back);
        await SignOfLifeAsync(engine, "plug", back);
        await StepAsync(engine, back);

        Assert.Equal([NotificationKind.Offline, NotificationKind.Recovered], _notifier.Sent.Select(n => n.Kind));
        Assert.Equal(new DeviceStatus(false, T0), Assert.Single(await _store.ListByStatusAsync(new DeviceStatusQuery(Offline: false, Max: 10))).Status);
    }

    [Fact]
    public async Task RecordAsync_SignOfLifeOfADeviceNeverSeenOrBelievedOffline_ChangesNothing()
    {
        using var engine = Engine();
        await SignOfLifeAsync(engine, "bridge/state", T0);
        Assert.Empty(await _store.LoadAsync(["bridge/state"]));

        await HeardAsync(engine, "down", T0, connected: false);
        var before = await RecordOfAsync("down");
        await SignOfLifeAsync(engine, "down", T0.AddSeconds(30));
        Assert.Equal(before, await RecordOfAsync("down"));

        // The disconnect's outage goes on with its grace, as if nothing had been heard.
        await StepAsync(engine, T0 + Grace + TimeSpan.FromSeconds(1));
        Assert.Equal([(NotificationKind.Offline, T0)], _notifier.Sent.Select(n => (n.Kind, n.OfflineSince)));
    }

    [Fact]
    public async Task RecordAsync_RetainedSignOfLife_DoesNotMoveTheSilenceClock()
    {
        using var engine = Engine();
        await HeardAsync(engine, "plug", T0);
        await SignOfLifeAsync(engine, "plug", T0.AddMinutes(5), retained: true);
        Assert.Equal(T0, (await RecordOfAsync("plug")).HeardAt);
    }
}
