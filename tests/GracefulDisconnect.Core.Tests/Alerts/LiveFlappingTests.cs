using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Alerts;

public sealed class LiveFlappingTests
{
    private static async Task BlinkAsync(AlertHarness h, string thing, DateTimeOffset at)
    {
        await h.DisconnectAsync(thing, at);
        await h.ConnectAsync(thing, at.AddSeconds(10));
    }

    [Fact]
    public async Task Disconnects_ReachingTheThreshold_FlapOncePerEpisode()
    {
        await using var h = new AlertHarness(o => o.Flapping = FlapThreshold.Parse("3/10m"));

        for (var i = 0; i < 5; i++)
        {
            await BlinkAsync(h, "t1", Instants.Noon.AddMinutes(i));
        }

        var flapping = Assert.Single(h.Sent(NotificationKind.Flapping));
        Assert.Equal(3, flapping.Disconnects);
        Assert.Equal(Instants.Noon.AddMinutes(2), flapping.OfflineSince);
        Assert.Equal("t1@1767268920#flapping", flapping.NotificationId);
        Assert.Equal("t1 disconnected 3 times within 10m (latest at 2026-01-01 12:02:00 +00:00).", flapping.Message);

        // A quiet window ends the episode; the next one is told again.
        for (var i = 0; i < 3; i++)
        {
            await BlinkAsync(h, "t1", Instants.Noon.AddMinutes(30 + i));
        }

        Assert.Equal(2, h.Sent(NotificationKind.Flapping).Length);
    }

    [Fact]
    public async Task Disconnects_DuplicatedByTheSource_CountOnce()
    {
        await using var h = new AlertHarness(o => o.Flapping = FlapThreshold.Parse("3/10m"));

        await h.DisconnectAsync("t1", Instants.Noon);
        await h.DisconnectAsync("t1", Instants.Noon);
        await h.DisconnectAsync("t1", Instants.Noon.AddMinutes(1));
        await h.DisconnectAsync("t1", Instants.Noon.AddMinutes(1));

        Assert.Empty(h.Sent(NotificationKind.Flapping));
    }

    [Fact]
    public async Task FlappingOverrides_WithoutDefault_WatchOnlyTheirThings()
    {
        await using var h = new AlertHarness(o => o.FlappingOverrides["noisy"] = FlapThreshold.Parse("2/10m"));

        for (var i = 0; i < 3; i++)
        {
            await BlinkAsync(h, "noisy", Instants.Noon.AddMinutes(i));
            await BlinkAsync(h, "quiet", Instants.Noon.AddMinutes(i));
        }

        Assert.Equal("noisy", Assert.Single(h.Sent(NotificationKind.Flapping)).ThingName);
    }

    [Fact]
    public async Task Flapping_NotifierDown_ThrowsAfterSchedulingAndSendsWithTheNextEvent()
    {
        await using var h = new AlertHarness(o => o.Flapping = FlapThreshold.Parse("2/10m"));
        await BlinkAsync(h, "t1", Instants.Noon);
        h.Notifier.FailNext(2);

        await Assert.ThrowsAsync<AlertNotSentException>(() => h.DisconnectAsync("t1", Instants.Noon.AddMinutes(1)));

        Assert.Equal(2, h.Scheduler.Count);
        Assert.Empty(h.Sent(NotificationKind.Flapping));

        await h.ConnectAsync("t1", Instants.Noon.AddMinutes(2));

        Assert.Single(h.Sent(NotificationKind.Flapping));
    }

    [Fact]
    public async Task Flapping_Off_TracksNothing()
    {
        await using var h = new AlertHarness(_ => { });

        for (var i = 0; i < 10; i++)
        {
            await BlinkAsync(h, "t1", Instants.Noon.AddMinutes(i));
        }

        Assert.Empty(h.Notifier.Sent);
    }
}
