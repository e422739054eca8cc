using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Alerts;

/// <summary>
/// What happens to a device while its offline notification is held for a digest, as replay shows it: the outage counts
/// as notified once the batch is sent, so a reconnect meanwhile is told right after the digest, a newer disconnect
/// meanwhile closes the outage silently, and reminders count from the send.
/// </summary>
public sealed class LiveHeldChangeTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly DateTimeOffset Due = Instants.Noon + AlertHarness.Grace;
    private static readonly DateTimeOffset Closes = Due + Window;
    private static readonly string[] Things = ["t0", "t1", "t2", "t3"];

    private static AlertHarness Harness(Action<GracefulDisconnectOptions> configure)
        => new(o =>
        {
            o.Digest = new DigestThreshold(Window, 3);
            configure(o);
        });

    /// <summary>Four devices drop at noon; their re-checks run when due and are held for one digest.</summary>
    private static async Task<List<Task<RecheckOutcome>>> HoldAsync(AlertHarness h)
    {
        foreach (var thing in Things)
        {
            await h.DisconnectAsync(thing, Instants.Noon);
        }

        h.Time.SetUtcNow(Due);
        var held = h.StartDue();
        Assert.Equal(Things.Length, held.Count);
        Assert.Equal(Things.Length, h.Services.GetAlerts().HeldForDigest);
        return held;
    }

    /// <summary>Moves the clock to the batch's close and waits for every held re-check.</summary>
    private static async Task<RecheckOutcome[]> CloseAsync(AlertHarness h, List<Task<RecheckOutcome>> held)
    {
        Assert.Empty(h.Notifier.Sent);
        h.Time.SetUtcNow(Closes);
        return await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static RecheckOutcome OutcomeOf(RecheckOutcome[] outcomes, string thing)
        => Assert.Single(outcomes, o => o.Notification?.ThingName == thing);

    [Fact]
    public async Task Connect_WhileHeld_RecoveredForThatDeviceRightAfterTheDigestAndNoReminders()
    {
        await using var h = Harness(o =>
        {
            o.NotifyRecovery = true;
            o.ReminderInterval = Interval;
            o.MaxReminders = 1;
        });
        var held = await HoldAsync(h);
        var back = Due.AddSeconds(10);
        h.Time.SetUtcNow(back);
        await h.ConnectAsync("t1", back);

        var outcomes = await CloseAsync(h, held);

        Assert.All(outcomes, o => Assert.Equal(RecheckResult.Notified, o.Result));
        Assert.Equal([NotificationKind.Digest, NotificationKind.Recovered], h.Notifier.Sent.Select(n => n.Kind));

        // t1 was offline past its grace period: it is in the digest, and its recovery follows it.
        Assert.Equal(Things, h.Notifier.Sent[0].Things.Order(StringComparer.Ordinal));
        var recovered = h.Notifier.Sent[1];
        Assert.Equal(("t1", Instants.Noon), (recovered.ThingName, recovered.OfflineSince));
        Assert.Equal(back - Instants.Noon, recovered.OfflineFor);
        Assert.Equal(Closes, recovered.DecidedAt);
        Assert.Equal("t1@1767268800#recovered", recovered.NotificationId);

        // No reminder series for t1; the others still have theirs, counted from the digest.
        Assert.Null(OutcomeOf(outcomes, "t1").RetryAt);
        Assert.All(Things.Except(["t1"]), thing => Assert.Equal(Closes + Interval, OutcomeOf(outcomes, thing).RetryAt));
        Assert.Equal(3, h.Services.GetAlerts().OpenOutages);

        await h.AdvanceAsync(TimeSpan.FromHours(3));
        Assert.Equal(["t0", "t2", "t3"], h.Sent(NotificationKind.Reminder).Select(r => r.ThingName).Order(StringComparer.Ordinal));

        // A later connect of t1 finds nothing open: no second recovery.
        await h.ConnectAsync("t1");
        Assert.Single(h.Sent(NotificationKind.Recovered));
    }

    [Fact]
    public async Task Connect_WhileHeld_OthersRecoverOnlyWithTheirOwnConnect()
    {
        await using var h = Harness(o => o.NotifyRecovery = true);
        var held = await HoldAsync(h);
        h.Time.SetUtcNow(Due.AddSeconds(10));
        await h.ConnectAsync("t1");

        await CloseAsync(h, held);
        Assert.Equal(["t1"], h.Sent(NotificationKind.Recovered).Select(r => r.ThingName));

        await h.AdvanceAsync(TimeSpan.FromMinutes(10));
        await h.ConnectAsync("t2");

        var recovered = h.Sent(NotificationKind.Recovered);
        Assert.Equal(["t1", "t2"], recovered.Select(r => r.ThingName));
        Assert.Equal(Closes + TimeSpan.FromMinutes(10) - Instants.Noon, recovered[1].OfflineFor);
        Assert.Equal(2, h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task Connect_WhileHeldRecoveryOff_NoRecoveredAndNoRemindersForThatDevice()
    {
        await using var h = Harness(o =>
        {
            o.ReminderInterval = Interval;
            o.MaxReminders = 2;
        });
        var held = await HoldAsync(h);
        h.Time.SetUtcNow(Due.AddSeconds(10));
        await h.ConnectAsync("t1");

        var outcomes = await CloseAsync(h, held);

        Assert.Equal(NotificationKind.Digest, Assert.Single(h.Notifier.Sent).Kind);
        Assert.Null(OutcomeOf(outcomes, "t1").RetryAt);

        // Even a reminder re-check for t1 delivered anyway (a scheduler may) finds nothing to remind of.
        await h.Scheduler.ScheduleAsync(new DisconnectTrigger("t1", Instants.Noon), Closes + Interval);

        await h.AdvanceAsync(TimeSpan.FromHours(5));

        Assert.Empty(h.Sent(NotificationKind.Recovered));
        var reminders = h.Sent(NotificationKind.Reminder);
        Assert.DoesNotContain(reminders, r => r.ThingName == "t1");
        Assert.Equal(6, reminders.Length);
        Assert.Equal(0, h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task Connect_WhileHeldButOlderThanTheOutage_IsNoRecoveryAndRemindersGoOn()
    {
        await using var h = Harness(o =>
        {
            o.NotifyRecovery = true;
            o.ReminderInterval = Interval;
        });
        var held = await HoldAsync(h);

        // A connect from before the outage, delivered late.
        await h.Monitor.OnEventAsync(new ConnectionEvent("t1", true, Instants.Noon.AddSeconds(-1)));

        var outcomes = await CloseAsync(h, held);

        Assert.Empty(h.Sent(NotificationKind.Recovered));
        Assert.All(outcomes, o => Assert.Equal(Closes + Interval, o.RetryAt));
        Assert.Equal(4, h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task NewerDisconnect_WhileHeld_OldOutageClosedSilentlyEvenWhenAConnectArrivesLater()
    {
        await using var h = Harness(o =>
        {
            o.NotifyRecovery = true;
            o.ReminderInterval = Interval;
        });
        var held = await HoldAsync(h);

        // t1 came back and dropped again; only the second disconnect reached us.
        h.Time.SetUtcNow(Due.AddSeconds(10));
        await h.DisconnectAsync("t1", Due.AddSeconds(5));

        var outcomes = await CloseAsync(h, held);
        Assert.Equal(NotificationKind.Digest, Assert.Single(h.Notifier.Sent).Kind);
        Assert.Null(OutcomeOf(outcomes, "t1").RetryAt);
        Assert.Equal(3, h.Services.GetAlerts().OpenOutages);

        // Back for good before the new outage's grace period ends: its re-check skips it.
        h.Time.SetUtcNow(Due.AddMinutes(1));
        await h.ConnectAsync("t1");
        await h.AdvanceAsync(TimeSpan.FromHours(2));

        Assert.Empty(h.Sent(NotificationKind.Recovered));
        Assert.DoesNotContain(h.Notifier.Sent, n => n.ThingName == "t1");
        Assert.Contains(h.Outcomes, o => o.Result == RecheckResult.SkippedReconnected);
        Assert.Equal(3, h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task NewerDisconnect_WhileHeldAndTheNewOutageLasts_OnlyTheNewOneIsNotifiedAndReminded()
    {
        await using var h = Harness(o =>
        {
            o.NotifyRecovery = true;
            o.ReminderInterval = Interval;
            o.MaxReminders = 1;
        });
        var held = await HoldAsync(h);
        var again = Due.AddSeconds(5);
        h.Time.SetUtcNow(Due.AddSeconds(10));
        await h.DisconnectAsync("t1", again);

        await CloseAsync(h, held);

        // The new outage's re-check is held too, in a batch of its own (too small for a digest).
        h.Time.SetUtcNow(again + AlertHarness.Grace);
        var heldAgain = Assert.Single(h.StartDue());
        h.Time.Advance(Window);
        Assert.Equal(RecheckResult.Notified, (await heldAgain.WaitAsync(TimeSpan.FromSeconds(5))).Result);
        await h.AdvanceAsync(TimeSpan.FromHours(2));
        await h.ConnectAsync("t1");

        // The new outage goes out alone (a batch of one), and only it has a reminder and a recovery.
        var t1 = h.Notifier.Sent.Where(n => n.ThingName == "t1").ToArray();
        Assert.Equal([NotificationKind.Offline, NotificationKind.Reminder, NotificationKind.Recovered], t1.Select(n => n.Kind));
        Assert.All(t1, n => Assert.Equal(again, n.OfflineSince));
        Assert.Equal(again + AlertHarness.Grace + Window + Interval, t1[1].DecidedAt);
    }

    [Fact]
    public async Task NewerDisconnectThenConnect_WhileHeld_NoRecoveredForTheOldOutage()
    {
        await using var h = Harness(o => o.NotifyRecovery = true);
        var held = await HoldAsync(h);
        h.Time.SetUtcNow(Due.AddSeconds(10));
        await h.DisconnectAsync("t1", Due.AddSeconds(5));
        h.Time.SetUtcNow(Due.AddSeconds(20));
        await h.ConnectAsync("t1");

        await CloseAsync(h, held);

        Assert.Empty(h.Sent(NotificationKind.Recovered));
        Assert.Equal(3, h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task ConnectThenNewerDisconnect_WhileHeld_RecoveredAtTheConnect()
    {
        await using var h = Harness(o => o.NotifyRecovery = true);
        var held = await HoldAsync(h);
        var back = Due.AddSeconds(5);
        h.Time.SetUtcNow(back);
        await h.ConnectAsync("t1");
        h.Time.SetUtcNow(Due.AddSeconds(20));
        await h.DisconnectAsync("t1");

        await CloseAsync(h, held);

        var recovered = Assert.Single(h.Sent(NotificationKind.Recovered));
        Assert.Equal(("t1", back - Instants.Noon), (recovered.ThingName, recovered.OfflineFor));
        Assert.Equal(3, h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task Reminders_WithDigest_CountFromTheBatchCloseNotTheDecision()
    {
        await using var h = Harness(o =>
        {
            o.ReminderInterval = Interval;
            o.MaxReminders = 2;
        });
        var held = await HoldAsync(h);

        var outcomes = await CloseAsync(h, held);
        Assert.All(outcomes, o => Assert.Equal(Closes + Interval, o.RetryAt));

        // An hour after the decision is not yet an hour after the send.
        await h.AdvanceAsync(Due + Interval - h.Time.GetUtcNow());
        Assert.Empty(h.Sent(NotificationKind.Reminder));

        await h.AdvanceAsync(TimeSpan.FromHours(3));

        var reminders = h.Sent(NotificationKind.Reminder);
        Assert.Equal(8, reminders.Length);
        Assert.All(reminders, r => Assert.Equal(Closes + (Interval * r.Reminder), r.DecidedAt));
        Assert.Equal(Things, reminders.Where(r => r.Reminder == 1).Select(r => r.ThingName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reminders_BatchTooSmallForADigest_CountFromItsSendAfterTheWindow()
    {
        await using var h = new AlertHarness(o =>
        {
            o.Digest = new DigestThreshold(Window, 3);
            o.ReminderInterval = Interval;
            o.MaxReminders = 1;
        });
        await h.DisconnectAsync("t1", Instants.Noon);
        h.Time.SetUtcNow(Due);
        var held = h.StartDue();

        var outcome = Assert.Single(await CloseAsync(h, held));
        Assert.Equal(Closes + Interval, outcome.RetryAt);
        await h.AdvanceAsync(TimeSpan.FromHours(2));

        var offline = Assert.Single(h.Sent(NotificationKind.Offline));
        Assert.Equal(Due, offline.DecidedAt);
        Assert.Equal(Closes + Interval, Assert.Single(h.Sent(NotificationKind.Reminder)).DecidedAt);
    }
}
