using GracefulDisconnect.Simulation;
using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Simulation;

/// <summary>The opt-in alerts of a replay, end to end through <see cref="FleetHistory"/>, in the order the sink sees them.</summary>
public class FleetHistoryAlertsTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    /// <summary>Everything the sink received, decisions and alerts, in order.</summary>
    private sealed class CollectingSink : IReplaySink
    {
        public List<object> All { get; } = [];

        public IEnumerable<ReplayDecision> Decisions => All.OfType<ReplayDecision>();

        public IEnumerable<ReplayNotification> Notifications => All.OfType<ReplayNotification>();

        public IEnumerable<ReplayNotification> Of(NotificationKind kind) => Notifications.Where(n => n.Kind == kind);

        public void OnDecision(in ReplayDecision decision) => All.Add(decision);

        public void OnNotification(in ReplayNotification notification) => All.Add(notification);
    }

    private static CollectingSink Replay(GracefulDisconnectOptions alerts, params ConnectionEvent[] events) => Replay(alerts, Grace, events);

    private static CollectingSink Replay(GracefulDisconnectOptions alerts, TimeSpan grace, IEnumerable<ConnectionEvent> events)
    {
        var sink = new CollectingSink();
        FleetHistory.Create(events).Replay(grace, alerts, sink);
        return sink;
    }

    private static DateTimeOffset M(double minutes) => Instants.Noon.AddMinutes(minutes);

    private static ConnectionEvent Down(double minutes, string thing = "t1", double? receivedMinutes = null)
        => new(thing, false, M(minutes), null, receivedMinutes is { } r ? M(r) : null);

    private static ConnectionEvent Up(double minutes, string thing = "t1", double? receivedMinutes = null)
        => new(thing, true, M(minutes), null, receivedMinutes is { } r ? M(r) : null);

    private static ReplayDecision Notify(string thing, double offlineSince, double decidedAt)
        => new(thing, RecheckResult.Notified, M(offlineSince), M(decidedAt), Grace);

    private static ReplayNotification Recovered(string thing, double offlineSince, double connectedAt, double? receivedAt = null)
        => new(NotificationKind.Recovered, thing, M(offlineSince), M(receivedAt ?? connectedAt), Grace)
        {
            OfflineFor = M(connectedAt) - M(offlineSince),
            RecoveredAt = M(connectedAt),
        };

    private static ReplayNotification Reminder(string thing, double offlineSince, double at, int number)
        => new(NotificationKind.Reminder, thing, M(offlineSince), M(at), Grace) { Reminder = number, OfflineFor = M(at) - M(offlineSince) };

    private static ReplayNotification Flapping(string thing, double at, int disconnects, double? receivedAt = null)
        => new(NotificationKind.Flapping, thing, M(at), M(receivedAt ?? at), Grace) { Disconnects = disconnects };

    private static readonly GracefulDisconnectOptions WithRecovery = new() { Alerts = { NotifyRecovery = true } };

    // ---- recovered ----

    [Fact]
    public void Replay_NotifiedOutageReconnects_RecoveredAtTheConnectWithExactOfflineFor()
    {
        var sink = Replay(WithRecovery, Down(0), Up(12.5));

        Assert.Equal<object>([Notify("t1", 0, 5), Recovered("t1", 0, 12.5)], sink.All);
        Assert.Equal(TimeSpan.FromMinutes(12.5), Assert.Single(sink.Of(NotificationKind.Recovered)).OfflineFor);
    }

    [Fact]
    public void Replay_ConnectDeliveredLate_RecoveredWhenItArrivesWithTheSourceTimes()
    {
        var sink = Replay(WithRecovery, Down(0), Up(12, receivedMinutes: 30));

        Assert.Equal<object>([Notify("t1", 0, 5), Recovered("t1", 0, 12, receivedAt: 30)], sink.All);
    }

    [Fact]
    public void Replay_OutageShorterThanGrace_NoRecovery()
    {
        var sink = Replay(WithRecovery, Down(0), Up(2));

        Assert.Equal<object>([new ReplayDecision("t1", RecheckResult.SkippedReconnected, M(0), M(5), Grace)], sink.All);
    }

    [Fact]
    public void Replay_DuplicateConnects_OneRecovery()
    {
        var sink = Replay(WithRecovery, Down(0), Up(12), Up(12), Up(12, receivedMinutes: 13), Up(20));

        Assert.Equal([Recovered("t1", 0, 12)], sink.Of(NotificationKind.Recovered));
    }

    [Fact]
    public void Replay_ConnectOlderThanTheOutageDeliveredAfterTheNotify_NoRecovery()
    {
        // A connect from before the outage (and one at its very instant), delivered late.
        var sink = Replay(WithRecovery, Down(10), Up(0, receivedMinutes: 20), Up(10, receivedMinutes: 21));

        Assert.Equal<object>([Notify("t1", 10, 15)], sink.All);
    }

    [Fact]
    public void Replay_NewerDisconnectWithoutAConnect_ClosesTheOutageSilentlyAndTheNewOneRecovers()
    {
        var sink = Replay(WithRecovery, Down(0), Down(20), Up(40));

        Assert.Equal<object>([Notify("t1", 0, 5), Notify("t1", 20, 25), Recovered("t1", 20, 40)], sink.All);
    }

    [Fact]
    public void Replay_DuplicateOfTheNotifiedDisconnect_DoesNotCloseTheOutage()
    {
        var sink = Replay(WithRecovery, Down(0), Down(0, receivedMinutes: 8), Up(12));

        Assert.Equal([Recovered("t1", 0, 12)], sink.Of(NotificationKind.Recovered));
    }

    [Fact]
    public void Replay_RecoveryOff_NoRecoveredLine()
    {
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { Flapping = new FlapThreshold(10, TimeSpan.FromHours(1)) } }, Down(0), Up(12));

        Assert.Empty(sink.Notifications);
    }

    // ---- reminders ----

    [Fact]
    public void Replay_LongOutage_RemindsEveryIntervalAfterTheNotifyUpToTheMaximum()
    {
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { ReminderInterval = TimeSpan.FromMinutes(10), MaxReminders = 3 } }, Down(0));

        Assert.Equal<object>(
            [Notify("t1", 0, 5), Reminder("t1", 0, 15, 1), Reminder("t1", 0, 25, 2), Reminder("t1", 0, 35, 3)],
            sink.All);
    }

    [Fact]
    public void Replay_LateNotify_RemindersCountFromTheDecisionNotTheOutage()
    {
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { ReminderInterval = TimeSpan.FromMinutes(10), MaxReminders = 2 } }, Down(0, receivedMinutes: 12));

        Assert.Equal<object>([Notify("t1", 0, 12), Reminder("t1", 0, 22, 1), Reminder("t1", 0, 32, 2)], sink.All);
    }

    [Fact]
    public void Replay_NoMaximum_RemindsUntilTheEndOfTheRecordingInclusive()
    {
        // The recording ends with another device's event at 00:55: the reminder due exactly then is sent, 01:05 is not.
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { ReminderInterval = TimeSpan.FromMinutes(10) } }, Down(0), Up(55, thing: "other"));

        Assert.Equal([15, 25, 35, 45, 55], sink.Of(NotificationKind.Reminder).Select(r => (r.DecidedAt - M(0)).TotalMinutes));
        Assert.Equal([1, 2, 3, 4, 5], sink.Of(NotificationKind.Reminder).Select(r => r.Reminder));
    }

    [Fact]
    public void Replay_NoMaximum_RecordingEndIncludesLateArrivals()
    {
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { ReminderInterval = TimeSpan.FromMinutes(10) } }, Down(0), Up(1, thing: "other", receivedMinutes: 26));

        Assert.Equal([15, 25], sink.Of(NotificationKind.Reminder).Select(r => (r.DecidedAt - M(0)).TotalMinutes));
    }

    [Fact]
    public void Replay_ReconnectDuringReminders_StopsAndTheRecoveryFollows()
    {
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { NotifyRecovery = true, ReminderInterval = TimeSpan.FromMinutes(10), MaxReminders = 10 } }, Down(0), Up(27));

        Assert.Equal<object>(
            [Notify("t1", 0, 5), Reminder("t1", 0, 15, 1), Reminder("t1", 0, 25, 2), Recovered("t1", 0, 27)],
            sink.All);
    }

    [Fact]
    public void Replay_ReconnectKnownToTheStateSourceButDeliveredLate_RemindersStopAndRecoveryComesAtDelivery()
    {
        var sink = Replay(
            new GracefulDisconnectOptions { Alerts = { NotifyRecovery = true, ReminderInterval = TimeSpan.FromMinutes(10), MaxReminders = 10 } },
            Down(0),
            Up(27, receivedMinutes: 50));

        Assert.Equal<object>(
            [Notify("t1", 0, 5), Reminder("t1", 0, 15, 1), Reminder("t1", 0, 25, 2), Recovered("t1", 0, 27, receivedAt: 50)],
            sink.All);
    }

    [Fact]
    public void Replay_ConnectDeliveredExactlyAtAReminder_DeliveryFirstSoNoReminder()
    {
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { NotifyRecovery = true, ReminderInterval = TimeSpan.FromMinutes(10), MaxReminders = 10 } }, Down(0), Up(25));

        Assert.Equal<object>([Notify("t1", 0, 5), Reminder("t1", 0, 15, 1), Recovered("t1", 0, 25)], sink.All);
    }

    [Fact]
    public void Replay_NewerOutage_OldSeriesStopsAndTheNewOneStartsFromItsNotify()
    {
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { ReminderInterval = TimeSpan.FromMinutes(10), MaxReminders = 2 } }, Down(0), Down(18));

        Assert.Equal<object>(
            [Notify("t1", 0, 5), Reminder("t1", 0, 15, 1), Notify("t1", 18, 23), Reminder("t1", 18, 33, 1), Reminder("t1", 18, 43, 2)],
            sink.All);
    }

    [Fact]
    public void Replay_OutageNotNotified_NoReminders()
    {
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { ReminderInterval = TimeSpan.FromMinutes(1), MaxReminders = 5 } }, Down(0), Up(3));

        Assert.Empty(sink.Notifications);
    }

    // ---- flapping ----

    // Down every 5 minutes for an hour, back up 2 minutes later each time (never offline for the grace period).
    private static IEnumerable<ConnectionEvent> FlappingHour(double startMinutes, string thing = "t1")
        => Enumerable.Range(0, 12).SelectMany(i => new[] { Down(startMinutes + (i * 5), thing), Up(startMinutes + (i * 5) + 2, thing) });

    [Fact]
    public void Replay_DeviceFlappingForAnHour_ExactlyOneFlappingAtTheSixthDisconnect()
    {
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { Flapping = FlapThreshold.Parse("6/1h") } }, Grace, FlappingHour(0));

        Assert.Equal([Flapping("t1", 25, 6)], sink.Notifications);
        Assert.DoesNotContain(sink.Decisions, d => d.Result == RecheckResult.Notified);
    }

    [Fact]
    public void Replay_FlappingWithDuplicateDeliveries_StillOneFlapping()
    {
        var events = FlappingHour(0).SelectMany(e => e.Connected ? [e] : new[] { e, e with { ReceivedAt = e.At.AddSeconds(30) } });

        var sink = Replay(new GracefulDisconnectOptions { Alerts = { Flapping = FlapThreshold.Parse("6/1h") } }, Grace, events);

        Assert.Equal([Flapping("t1", 25, 6)], sink.Notifications);
    }

    [Fact]
    public void Replay_FlappingAgainAfterAQuietWindow_SecondFlapping()
    {
        // The last disconnect of the first hour is at 00:55; the next hour starts at 01:55, exactly one window later.
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { Flapping = FlapThreshold.Parse("6/1h") } }, Grace, FlappingHour(0).Concat(FlappingHour(115)));

        Assert.Equal([Flapping("t1", 25, 6), Flapping("t1", 140, 6)], sink.Notifications);
    }

    [Fact]
    public void Replay_FlappingAgainWithoutAQuietWindow_NoSecondFlapping()
    {
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { Flapping = FlapThreshold.Parse("6/1h") } }, Grace, FlappingHour(0).Concat(FlappingHour(114)));

        Assert.Equal([Flapping("t1", 25, 6)], sink.Notifications);
    }

    [Fact]
    public void Replay_LateDisconnectCompletesTheWindow_FlappingAtItsDeliveryWithItsOwnTime()
    {
        var sink = Replay(
            new GracefulDisconnectOptions { Alerts = { Flapping = FlapThreshold.Parse("3/1h") } },
            Down(0), Up(1), Down(20), Up(21), Down(10, receivedMinutes: 30), Up(11, receivedMinutes: 30));

        Assert.Equal([Flapping("t1", 10, 3, receivedAt: 30)], sink.Notifications);
    }

    [Fact]
    public void Replay_TwoDevicesFlapping_OnePerDevice()
    {
        var sink = Replay(new GracefulDisconnectOptions { Alerts = { Flapping = FlapThreshold.Parse("6/1h") } }, Grace, FlappingHour(0, "a").Concat(FlappingHour(1, "b")));

        Assert.Equal([Flapping("a", 25, 6), Flapping("b", 26, 6)], sink.Notifications);
    }

    // ---- digest ----

    private static readonly GracefulDisconnectOptions Digest30s10 = new() { Alerts = { Digest = DigestThreshold.Parse("30s/10") } };

    [Fact]
    public void Replay_ThousandDevicesDropWithinAMinute_DigestsListEveryDeviceOnceAndNoNotifyIsLeftUnfolded()
    {
        var things = Enumerable.Range(0, 1000).Select(i => $"dev-{i:D4}").ToList();
        var events = things.Select((thing, i) => new ConnectionEvent(thing, false, Instants.Noon.AddMilliseconds(i * 60), null, null));

        var sink = Replay(Digest30s10, Grace, events);

        var notifies = sink.Decisions.Where(d => d.Result == RecheckResult.Notified).ToList();
        Assert.Equal(1000, notifies.Count);
        Assert.All(notifies, d => Assert.True(d.FoldedIntoDigest));

        // Decided from 00:05:00 to 00:05:59.94: the first batch takes those decided before 00:05:30, the second the rest.
        var digests = sink.Of(NotificationKind.Digest).ToList();
        Assert.Equal(2, digests.Count);
        Assert.Equal([M(5.5), M(6)], digests.Select(d => d.DecidedAt));
        Assert.Equal([M(0), M(0.5)], digests.Select(d => d.OfflineSince));
        Assert.All(digests, d => Assert.Equal("*", d.ThingName));
        Assert.Equal(things.Take(500), digests[0].Things!);
        Assert.Equal(things.Skip(500), digests[1].Things!);

        // Each digest comes right after the decisions folded into it.
        Assert.IsType<ReplayNotification>(sink.All[500]);
        Assert.IsType<ReplayNotification>(sink.All[^1]);
        Assert.Equal(things.Take(500), sink.All.Take(500).Cast<ReplayDecision>().Select(d => d.ThingName));
    }

    [Fact]
    public void Replay_FewerDevicesThanTheMinimum_ReleasedIndividuallyWhenTheWindowCloses()
    {
        var sink = Replay(Digest30s10, Down(0, "a"), Down(0.25, "b"), Down(0.25, "c"));

        Assert.Equal<object>([Notify("a", 0, 5), Notify("b", 0.25, 5.25), Notify("c", 0.25, 5.25)], sink.All);
        Assert.All(sink.Decisions, d => Assert.False(d.FoldedIntoDigest));
    }

    [Fact]
    public void Replay_DigestOn_SkipDecisionsAreNotHeld()
    {
        var sink = Replay(Digest30s10, Down(0, "a"), Down(0, "b"), Up(1, "b"));

        Assert.Equal([RecheckResult.SkippedReconnected, RecheckResult.Notified], sink.Decisions.Select(d => d.Result));
        Assert.Equal(["b", "a"], sink.Decisions.Select(d => d.ThingName));
    }

    [Fact]
    public void Replay_SameDeviceTwiceInOneWindow_CountsOnceTowardsTheMinimum()
    {
        // a notifies for two outages (00:05, 00:10:15) inside one 10-minute window; with b that is two devices, short of three.
        var alerts = new GracefulDisconnectOptions { Alerts = { Digest = DigestThreshold.Parse("10m/3") } };
        var sink = Replay(alerts, Down(0, "a"), Up(5.2, "a"), Down(5.25, "a"), Down(1, "b"));

        Assert.Empty(sink.Notifications);
        Assert.Equal<object>([Notify("a", 0, 5), Notify("b", 1, 6), Notify("a", 5.25, 10.25)], sink.All);
    }

    [Fact]
    public void Replay_DigestByPrefix_BigSiteDigestedSmallSiteReleasedIndividually()
    {
        var alerts = new GracefulDisconnectOptions { Alerts = { Digest = DigestThreshold.Parse("30s/10"), DigestGroup = DigestGroups.NamePrefix() } };
        var events = Enumerable.Range(0, 12).Select(i => Down(0, $"osaka-{i}"))
            .Concat(Enumerable.Range(0, 3).Select(i => Down(0, $"kyoto-{i}")));

        var sink = Replay(alerts, Grace, events);

        var digest = Assert.Single(sink.Of(NotificationKind.Digest));
        Assert.Equal("osaka", digest.ThingName);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"osaka-{i}"), digest.Things!);
        Assert.Equal(M(5.5), digest.DecidedAt);
        Assert.Equal(
            Enumerable.Range(0, 3).Select(i => $"kyoto-{i}"),
            sink.Decisions.Where(d => !d.FoldedIntoDigest).Select(d => d.ThingName));
        Assert.Equal(12, sink.Decisions.Count(d => d.FoldedIntoDigest));
    }

    [Fact]
    public void Replay_DigestByAttribute_UsesTheLookupAndFallback()
    {
        var gateway = new Dictionary<string, string> { ["s1"] = "gw-1", ["s2"] = "gw-1" };
        var alerts = new GracefulDisconnectOptions { Alerts = { Digest = DigestThreshold.Parse("30s/2"), DigestGroup = DigestGroups.ByAttribute(gateway.GetValueOrDefault, "none") } };

        var sink = Replay(alerts, Down(0, "s1"), Down(0, "s2"), Down(0, "s3"), Down(0, "s4"));

        Assert.Equal(["gw-1", "none"], sink.Of(NotificationKind.Digest).Select(d => d.ThingName));
        Assert.Equal([["s1", "s2"], ["s3", "s4"]], sink.Of(NotificationKind.Digest).Select(d => d.Things!));
    }

    // ---- order at equal virtual times: deliveries, digests closing, re-checks, reminders ----

    [Fact]
    public void Replay_NotifyDecidedExactlyAtTheClose_StartsTheNextBatch()
    {
        var alerts = new GracefulDisconnectOptions { Alerts = { Digest = DigestThreshold.Parse("30s/2") } };

        // a and b decided at 00:05:00 (batch closes 00:05:30); c and d decided at 00:05:30 exactly.
        var sink = Replay(alerts, Down(0, "a"), Down(0, "b"), Down(0.5, "c"), Down(0.5, "d"));

        Assert.Equal([["a", "b"], ["c", "d"]], sink.Of(NotificationKind.Digest).Select(d => d.Things!));
        Assert.Equal([M(5.5), M(6)], sink.Of(NotificationKind.Digest).Select(d => d.DecidedAt));
    }

    [Fact]
    public void Replay_RecheckAndReminderAtTheSameTime_RecheckFirst()
    {
        var alerts = new GracefulDisconnectOptions { Alerts = { ReminderInterval = TimeSpan.FromMinutes(5), MaxReminders = 1 } };

        // a notifies at 00:05 (reminder at 00:10); b notifies at 00:10.
        var sink = Replay(alerts, Down(0, "a"), Down(5, "b"));

        Assert.Equal<object>([Notify("a", 0, 5), Notify("b", 5, 10), Reminder("a", 0, 10, 1), Reminder("b", 5, 15, 1)], sink.All);
    }

    [Fact]
    public void Replay_DeliveryAndRecheckAtTheSameTime_FlappingBeforeTheDecision()
    {
        var alerts = new GracefulDisconnectOptions { Alerts = { Flapping = FlapThreshold.Parse("2/1h") } };

        // b's second disconnect is delivered at 00:05, when a is re-checked.
        var sink = Replay(alerts, Down(0, "a"), Down(1, "b"), Up(2, "b"), Down(5, "b"));

        Assert.Equal(Flapping("b", 5, 2), sink.All[0]);
        Assert.Equal(Notify("a", 0, 5), sink.All[1]);
    }

    [Fact]
    public void Replay_DigestCloseAndDeliveryAtTheSameTime_DeliveryFirst()
    {
        var alerts = new GracefulDisconnectOptions { Alerts = { Digest = DigestThreshold.Parse("30s/2"), Flapping = FlapThreshold.Parse("2/1h") } };

        // The digest of a and b closes at 00:05:30, when x's second disconnect is delivered.
        var sink = Replay(alerts, Down(0, "a"), Down(0, "b"), Down(5, "x"), Up(5.1, "x"), Down(5.5, "x"), Up(5.6, "x"));

        var flapping = sink.All.FindIndex(o => o is ReplayNotification { Kind: NotificationKind.Flapping });
        var digest = sink.All.FindIndex(o => o is ReplayNotification { Kind: NotificationKind.Digest });
        Assert.True(flapping >= 0 && flapping < digest, string.Join("\n", sink.All));
    }

    [Fact]
    public void Replay_DigestAndRemindersTogether_SinkSeesVirtualTimeOrder()
    {
        // Reminders every minute, digest window 10m: a's first reminder (00:06) is due before the digest closes (00:15).
        var alerts = new GracefulDisconnectOptions { Alerts = { Digest = DigestThreshold.Parse("10m/2"), ReminderInterval = TimeSpan.FromMinutes(1), MaxReminders = 2 } };

        var sink = Replay(alerts, Down(0, "a"), Down(0, "b"));

        var times = sink.Notifications.Select(n => n.DecidedAt).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(4, sink.Of(NotificationKind.Reminder).Count());
        Assert.Single(sink.Of(NotificationKind.Digest));
    }

    // ---- settings ----

    [Fact]
    public void Replay_AlertsNone_SameAsReplayWithoutAlerts()
    {
        var events = new[] { Down(0), Up(12), Down(13), Up(14), Down(20, "b"), Down(20, "b", receivedMinutes: 40), Up(3, "c", receivedMinutes: 1), Down(4, "c") };
        var history = FleetHistory.Create(events);
        var withoutAlerts = new CollectingSink();
        var none = new CollectingSink();

        history.Replay(Grace, withoutAlerts);
        history.Replay(Grace, new GracefulDisconnectOptions(), none);

        Assert.NotEmpty(none.All);
        Assert.Equal(withoutAlerts.All, none.All);
        Assert.Empty(none.Notifications);
    }

    [Fact]
    public void Replay_AlertsWithoutDigest_DecisionsUnchanged()
    {
        var events = FlappingHour(0).Concat([Down(0, "b"), Up(30, "b"), Down(40, "c")]).ToList();
        var history = FleetHistory.Create(events);
        var plain = new CollectingSink();
        var alerted = new CollectingSink();

        history.Replay(Grace, plain);
        history.Replay(Grace, new GracefulDisconnectOptions { Alerts = { NotifyRecovery = true, ReminderInterval = TimeSpan.FromMinutes(7), Flapping = FlapThreshold.Parse("3/1h") } }, alerted);

        Assert.Equal(plain.Decisions, alerted.Decisions);
        Assert.NotEmpty(alerted.Notifications);
    }

    // The live engine's limits (GracefulDisconnectOptionsValidator), not replay's own: replay accepts what run does.
    public static TheoryData<GracefulDisconnectOptions, string> InvalidAlerts => new()
    {
        { new GracefulDisconnectOptions { Alerts = { ReminderInterval = TimeSpan.FromSeconds(59) } }, "Alerts:ReminderInterval: must be between 00:01:00 and 30.00:00:00, not 00:00:59" },
        { new GracefulDisconnectOptions { Alerts = { ReminderInterval = TimeSpan.Zero } }, "Alerts:ReminderInterval: must be between 00:01:00 and 30.00:00:00, not 00:00:00" },
        { new GracefulDisconnectOptions { Alerts = { MaxReminders = 3 } }, "Alerts:MaxReminders: needs Alerts:ReminderInterval" },
        { new GracefulDisconnectOptions { Alerts = { ReminderInterval = TimeSpan.FromMinutes(1), MaxReminders = 0 } }, "Alerts:MaxReminders: must be between 1 and 1000, not 0" },
        { new GracefulDisconnectOptions { Alerts = { ReminderInterval = TimeSpan.FromMinutes(1), MaxReminders = -2 } }, "Alerts:MaxReminders: must be between 1 and 1000, not -2" },
        { new GracefulDisconnectOptions { Alerts = { Flapping = new FlapThreshold(1, TimeSpan.FromHours(1)) } }, "Alerts:Flapping: a flap threshold counts 2 to 10000 disconnects, not 1." },
        { new GracefulDisconnectOptions { Alerts = { Flapping = new FlapThreshold(3, TimeSpan.FromDays(31)) } }, "Alerts:Flapping: a flap window is 1s to 30d, not 31.00:00:00." },
        { new GracefulDisconnectOptions { Alerts = { Digest = new DigestThreshold(TimeSpan.FromHours(2), 10) } }, "Alerts:Digest: a digest window is 1s to 1h (every notification waits that long), not 02:00:00." },
        { new GracefulDisconnectOptions { Alerts = { Digest = new DigestThreshold(TimeSpan.FromSeconds(30), 1) } }, "Alerts:Digest: a digest needs 2 to 1000000 things, not 1." },
    };

    [Theory]
    [MemberData(nameof(InvalidAlerts))]
    public void Replay_InvalidAlerts_ThrowsNamingTheSetting(GracefulDisconnectOptions alerts, string message)
    {
        var history = FleetHistory.Create([Down(0)]);
        var sink = new CollectingSink();

        var exception = Assert.Throws<ArgumentException>(() => history.Replay(Grace, alerts, sink));

        Assert.Equal("options", exception.ParamName);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.Empty(sink.All);
    }

    [Fact]
    public void Replay_FlappingOverrideForOneThing_WatchesThatThingOnly_AsTheLiveEngineDoes()
    {
        var alerts = new GracefulDisconnectOptions();
        alerts.Alerts.FlappingOverrides["a"] = FlapThreshold.Parse("6/1h");

        var sink = Replay(alerts, Grace, FlappingHour(0, "a").Concat(FlappingHour(1, "b")));

        Assert.Equal(["a"], sink.Of(NotificationKind.Flapping).Select(n => n.ThingName));
    }

    [Fact]
    public void Replay_NullAlertsOrGrouping_Throws()
    {
        var history = FleetHistory.Create([Down(0)]);

        Assert.Throws<ArgumentNullException>(() => history.Replay(Grace, null!, new CollectingSink()));
        Assert.Throws<ArgumentException>(() => history.Replay(Grace, new GracefulDisconnectOptions { Alerts = { Digest = DigestThreshold.Parse("30s/2"), DigestGroup = null! } }, new CollectingSink()));
    }

    [Fact]
    public void StableFor_FlappingBackAndForth_OneOfflineAndOneRecovery()
    {
        var alerts = new GracefulDisconnectOptions { Alerts = { NotifyRecovery = true, StableFor = TimeSpan.FromMinutes(5) } };

        var sink = Replay(alerts, Down(0), Up(10), Down(10.5), Up(12), Down(12.5), Up(14));

        Assert.Equal(
            [
                Notify("t1", 0, 5),
                new ReplayDecision("t1", RecheckResult.SkippedReconnected, M(10.5), M(15.5), Grace),
                new ReplayDecision("t1", RecheckResult.SkippedReconnected, M(12.5), M(17.5), Grace),
                Recovered("t1", 0, connectedAt: 14, receivedAt: 19),
            ],
            sink.All);
    }

    [Fact]
    public void StableFor_DropAfterAWholeStableFor_RecoveryThenANewOutage()
    {
        var alerts = new GracefulDisconnectOptions { Alerts = { NotifyRecovery = true, StableFor = TimeSpan.FromMinutes(5) } };

        var sink = Replay(alerts, Down(0), Up(10), Down(20));

        Assert.Equal([Notify("t1", 0, 5), Recovered("t1", 0, connectedAt: 10, receivedAt: 15), Notify("t1", 20, 25)], sink.All);
    }
}
