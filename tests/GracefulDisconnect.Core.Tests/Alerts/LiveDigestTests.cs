using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Alerts;

public sealed class LiveDigestTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Due = Instants.Noon + AlertHarness.Grace;

    private static async Task<AlertHarness> StormAsync(Action<GracefulDisconnectOptions> configure, params string[] things)
    {
        var h = new AlertHarness(configure);
        for (var i = 0; i < things.Length; i++)
        {
            await h.DisconnectAsync(things[i], Instants.Noon.AddSeconds(i));
        }

        return h;
    }

    private static async Task<RecheckOutcome[]> CloseAsync(AlertHarness h, List<Task<RecheckOutcome>> held, TimeSpan? after = null)
    {
        h.Time.Advance(after ?? Window);
        return await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Storm_EnoughThings_OneDigestToEveryChannelAndEveryRecheckNotified()
    {
        var second = new RecordingNotifier();
        await using var h = new AlertHarness(o => o.Digest = new DigestThreshold(Window, 3), second);
        for (var i = 0; i < 4; i++)
        {
            await h.DisconnectAsync($"t{i}", Instants.Noon.AddSeconds(i));
        }

        h.Time.SetUtcNow(Due.AddSeconds(3));
        var held = h.StartDue();

        Assert.Equal(4, held.Count);
        Assert.All(held, task => Assert.False(task.IsCompleted));
        Assert.Empty(h.Notifier.Sent);

        h.Time.Advance(Window - TimeSpan.FromSeconds(1));
        Assert.Empty(h.Notifier.Sent);
        var outcomes = await CloseAsync(h, held, TimeSpan.FromSeconds(1));

        Assert.All(outcomes, o => Assert.Equal(RecheckResult.Notified, o.Result));
        foreach (var channel in new[] { h.Notifier, second })
        {
            var digest = Assert.Single(channel.Sent);
            Assert.Equal(NotificationKind.Digest, digest.Kind);
            Assert.Equal(["t0", "t1", "t2", "t3"], digest.Things);
            Assert.Equal("*@1767268800", digest.OutageId);
            Assert.Equal("*@1767268800#digest", digest.NotificationId);
            Assert.Equal(Instants.Noon, digest.OfflineSince);
            Assert.Equal("4 devices are offline", digest.Subject);
            Assert.Equal("4 devices went offline between 2026-01-01 12:00:00 +00:00 and 2026-01-01 12:00:03 +00:00: t0, t1, t2, t3.", digest.Message);
        }

        // Each outage is notified: a later duplicate re-check is a duplicate.
        await h.Scheduler.ScheduleAsync(new DisconnectTrigger("t2", Instants.Noon.AddSeconds(2)), h.Time.GetUtcNow());
        await h.RunDueAsync();
        Assert.Equal(RecheckResult.SkippedDuplicate, h.Outcomes[^1].Result);
        Assert.Single(h.Notifier.Sent);
    }

    [Fact]
    public async Task Storm_TooFewThings_ReleasedIndividuallyAfterTheWindow()
    {
        await using var h = await StormAsync(o => o.Digest = new DigestThreshold(Window, 3), "a", "b");
        h.Time.SetUtcNow(Due.AddSeconds(1));
        var held = h.StartDue();

        var outcomes = await CloseAsync(h, held);

        Assert.All(outcomes, o => Assert.Equal(RecheckResult.Notified, o.Result));
        Assert.Equal(["a", "b"], h.Notifier.Sent.Select(n => n.ThingName).Order());
        Assert.All(h.Notifier.Sent, n => Assert.Equal(NotificationKind.Offline, n.Kind));
    }

    [Fact]
    public async Task Storm_Groups_DigestPerGroupThatIsLargeEnough()
    {
        await using var h = await StormAsync(
            o =>
            {
                o.Digest = new DigestThreshold(Window, 3);
                o.DigestGroup = DigestGroups.NamePrefix();
            },
            "osaka-1",
            "osaka-2",
            "kyoto-1",
            "osaka-3");
        h.Time.SetUtcNow(Due.AddSeconds(3));
        var held = h.StartDue();

        await CloseAsync(h, held);

        var digest = Assert.Single(h.Sent(NotificationKind.Digest));
        Assert.Equal("osaka", digest.ThingName);
        Assert.Equal(["osaka-1", "osaka-2", "osaka-3"], digest.Things);
        Assert.Equal("kyoto-1", Assert.Single(h.Sent(NotificationKind.Offline)).ThingName);
    }

    [Fact]
    public async Task Storm_DecidedAfterTheBatchClosed_StartsANewBatch()
    {
        await using var h = await StormAsync(o => o.Digest = new DigestThreshold(Window, 2), "a", "b", "c");

        // Only a is due at first: its batch closes alone and a goes out as it is.
        h.Time.SetUtcNow(Due);
        await CloseAsync(h, h.StartDue());

        h.Time.SetUtcNow(Due.AddMinutes(2));
        var second = h.StartDue();
        Assert.Equal(2, second.Count);
        await CloseAsync(h, second);

        Assert.Equal("a", Assert.Single(h.Sent(NotificationKind.Offline)).ThingName);
        Assert.Equal(["b", "c"], Assert.Single(h.Sent(NotificationKind.Digest)).Things);
    }

    [Fact]
    public async Task Storm_DigestFails_EveryHeldRecheckFailsAndIsRetriedNoneLost()
    {
        await using var h = await StormAsync(o => o.Digest = new DigestThreshold(Window, 3), "t0", "t1", "t2");
        h.Time.SetUtcNow(Due.AddSeconds(2));
        var held = h.StartDue();
        h.Notifier.FailNext(2);

        var outcomes = await CloseAsync(h, held);

        Assert.All(outcomes, o =>
        {
            Assert.Equal(RecheckResult.Failed, o.Result);
            Assert.Equal(Due.AddSeconds(2) + Window + AlertHarness.RetryDelay, o.RetryAt);
        });
        Assert.Empty(h.Notifier.Sent);

        // The retries come due together, are held again, and go out as one digest.
        h.Time.SetUtcNow(outcomes[0].RetryAt!.Value);
        var retried = h.StartDue();
        Assert.Equal(3, retried.Count);
        var again = await CloseAsync(h, retried);

        Assert.All(again, o => Assert.Equal(RecheckResult.Notified, o.Result));
        var digest = Assert.Single(h.Notifier.Sent);
        Assert.Equal(["t0", "t1", "t2"], digest.Things.Order());
        Assert.Equal("*@1767268800#digest", digest.NotificationId);
    }

    [Fact]
    public async Task Storm_DigestOff_NotificationsAreNotHeld()
    {
        await using var h = await StormAsync(_ => { }, "t0", "t1", "t2");
        h.Time.SetUtcNow(Due.AddSeconds(2));

        var sent = h.StartDue();

        Assert.All(sent, task => Assert.True(task.IsCompletedSuccessfully));
        Assert.Equal(3, h.Sent(NotificationKind.Offline).Length);
    }

    [Fact]
    public async Task Storm_ManyRechecksAtOnceFromManyThreads_NoneLostOneDigest()
    {
        var things = Enumerable.Range(0, 200).Select(i => $"t{i}").ToArray();
        await using var h = new AlertHarness(o =>
        {
            o.Digest = new DigestThreshold(Window, 10);
            o.DigestListedThings = 3;
        });
        foreach (var thing in things)
        {
            h.Reader.Set(thing, new ConnectionSnapshot(false, Instants.Noon));
        }

        h.Time.SetUtcNow(Due);
        var held = things.Select(thing => Task.Run(async () => await h.Handler.RecheckAsync(new DisconnectTrigger(thing, Instants.Noon)))).ToArray();
        await Eventually.TrueAsync(() => h.Services.GetAlerts().HeldForDigest == things.Length);

        h.Time.Advance(Window);
        var outcomes = await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.All(outcomes, o => Assert.Equal(RecheckResult.Notified, o.Result));
        var digest = Assert.Single(h.Notifier.Sent);
        Assert.Equal(things.Order(), digest.Things.Order());
        Assert.EndsWith(" and 197 more.", digest.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Services.GetAlerts().HeldForDigest);
    }
}
