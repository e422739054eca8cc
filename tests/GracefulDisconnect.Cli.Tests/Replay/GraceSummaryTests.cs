using GracefulDisconnect.Cli.Replay;
using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Cli.Tests.Replay;

public sealed class GraceSummaryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    [Fact]
    public void OnDecision_CountsEachResultAndDistinctOutagesByThingAndSecond()
    {
        var summary = new GraceSummary(Grace);

        summary.OnDecision(Decision("t1", RecheckResult.Notified, Start.AddMilliseconds(100), Grace));
        summary.OnDecision(Decision("t1", RecheckResult.SkippedDuplicate, Start.AddMilliseconds(900), Grace));
        summary.OnDecision(Decision("t1", RecheckResult.SkippedSuperseded, Start.AddSeconds(1), Grace));
        summary.OnDecision(Decision("t2", RecheckResult.SkippedReconnected, Start, Grace));
        summary.OnDecision(Decision("t3", RecheckResult.SkippedUnknownThing, Start, Grace));

        Assert.Equal(Grace, summary.GracePeriod);
        Assert.Equal(4, summary.Outages);
        Assert.Equal(1, summary.Count(RecheckResult.Notified));
        Assert.Equal(1, summary.Count(RecheckResult.SkippedDuplicate));
        Assert.Equal(1, summary.Count(RecheckResult.SkippedSuperseded));
        Assert.Equal(1, summary.Count(RecheckResult.SkippedReconnected));
        Assert.Equal(1, summary.Count(RecheckResult.SkippedUnknownThing));
    }

    [Fact]
    public void DelayPercentile_NoNotification_IsNull()
    {
        var summary = new GraceSummary(Grace);
        summary.OnDecision(Decision("t1", RecheckResult.SkippedReconnected, Start, Grace));

        Assert.Null(summary.DelayPercentile(50));
        Assert.Null(summary.DelayPercentile(95));
    }

    [Theory]
    [InlineData(new[] { 7 }, 50, 7)]
    [InlineData(new[] { 7 }, 95, 7)]
    [InlineData(new[] { 20, 5 }, 50, 5)]
    [InlineData(new[] { 20, 5 }, 95, 20)]
    [InlineData(new[] { 3, 1, 2 }, 50, 2)]
    [InlineData(new[] { 1, 2, 3, 4 }, 50, 2)]
    [InlineData(new[] { 1, 2, 3, 4 }, 0, 1)]
    [InlineData(new[] { 1, 2, 3, 4 }, 100, 4)]
    public void DelayPercentile_NearestRankOfNotifyDelays(int[] delayMinutes, double percentile, int expectedMinutes)
    {
        var summary = new GraceSummary(Grace);
        for (var i = 0; i < delayMinutes.Length; i++)
        {
            summary.OnDecision(Decision($"t{i}", RecheckResult.Notified, Start, TimeSpan.FromMinutes(delayMinutes[i])));
        }

        summary.OnDecision(Decision("skipped", RecheckResult.SkippedReconnected, Start, TimeSpan.FromDays(9)));

        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), summary.DelayPercentile(percentile));
    }

    [Fact]
    public void DelayPercentile_TwentyValues_MedianIsTenthP95IsNineteenth()
    {
        var summary = new GraceSummary(Grace);
        foreach (var minutes in Enumerable.Range(1, 20).Reverse())
        {
            summary.OnDecision(Decision($"t{minutes}", RecheckResult.Notified, Start, TimeSpan.FromMinutes(minutes)));
        }

        Assert.Equal(TimeSpan.FromMinutes(10), summary.DelayPercentile(50));
        Assert.Equal(TimeSpan.FromMinutes(19), summary.DelayPercentile(95));
    }

    private static ReplayDecision Decision(string thing, RecheckResult result, DateTimeOffset offlineSince, TimeSpan delay)
        => new(thing, result, offlineSince, offlineSince + delay, Grace);
}
