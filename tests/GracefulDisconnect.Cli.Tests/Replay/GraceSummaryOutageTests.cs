using FsCheck.Xunit;
using GracefulDisconnect.Cli.Replay;
using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Cli.Tests.Replay;

/// <summary>One verdict per outage, so the table adds up; extra re-checks of an outage count as skip-duplicate.</summary>
public sealed class GraceSummaryOutageTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    [Fact]
    public void OnDecision_SkippedOutageReCheckedTwice_IsOneOutageAndOneDuplicate()
    {
        var summary = new GraceSummary(Grace);

        summary.OnDecision(Decision("t1", RecheckResult.SkippedReconnected, Start));
        summary.OnDecision(Decision("t1", RecheckResult.SkippedReconnected, Start));

        Assert.Equal(1, summary.Outages);
        Assert.Equal(1, summary.Count(RecheckResult.SkippedReconnected));
        Assert.Equal(1, summary.Count(RecheckResult.SkippedDuplicate));
    }

    [Fact]
    public void OnDecision_NotifiedThenDuplicate_DelayCountedOnce()
    {
        var summary = new GraceSummary(Grace);

        summary.OnDecision(Decision("t1", RecheckResult.Notified, Start));
        summary.OnDecision(Decision("t1", RecheckResult.SkippedDuplicate, Start, late: TimeSpan.FromHours(1)));

        Assert.Equal(1, summary.Outages);
        Assert.Equal(1, summary.Count(RecheckResult.Notified));
        Assert.Equal(1, summary.Count(RecheckResult.SkippedDuplicate));
        Assert.Equal(Grace, summary.DelayPercentile(100));
        Assert.Equal(1, summary.Messages);
    }

    [Fact]
    public void OnDecision_SkipThenNotifyOfTheSameOutage_IsANotifiedOutageAndTheSkipADuplicate()
    {
        var summary = new GraceSummary(Grace);

        summary.OnDecision(Decision("t1", RecheckResult.SkippedSuperseded, Start));
        summary.OnDecision(Decision("t1", RecheckResult.Notified, Start, late: TimeSpan.FromMinutes(1)));

        Assert.Equal(1, summary.Outages);
        Assert.Equal(1, summary.Count(RecheckResult.Notified));
        Assert.Equal(0, summary.Count(RecheckResult.SkippedSuperseded));
        Assert.Equal(1, summary.Count(RecheckResult.SkippedDuplicate));
        Assert.Equal(Grace + TimeSpan.FromMinutes(1), summary.DelayPercentile(50));
    }

    [Fact]
    public void OnDecision_DuplicateOfAnOlderOutageThanTheNotifiedOne_IsNotAnOutageOfItsOwn()
    {
        var summary = new GraceSummary(Grace);

        summary.OnDecision(Decision("t1", RecheckResult.Notified, Start.AddMinutes(10)));
        summary.OnDecision(Decision("t1", RecheckResult.SkippedDuplicate, Start));

        Assert.Equal(1, summary.Outages);
        Assert.Equal(1, summary.Count(RecheckResult.SkippedDuplicate));
    }

    [Property(MaxTest = 200)]
    public bool OnDecision_AnySequence_VerdictColumnsAddUpToOutagesAndDuplicatesToTheRest(byte[] picks)
    {
        RecheckResult[] verdicts = [RecheckResult.Notified, RecheckResult.SkippedReconnected, RecheckResult.SkippedSuperseded, RecheckResult.SkippedUnknownThing, RecheckResult.SkippedDuplicate];
        var summary = new GraceSummary(Grace);
        var notified = new HashSet<int>();
        foreach (var pick in picks)
        {
            // Four things, three outages each; like the ledger, at most one notify per outage.
            var outage = pick % 12;
            var verdict = verdicts[pick / 12 % verdicts.Length];
            if (verdict == RecheckResult.Notified && !notified.Add(outage))
            {
                verdict = RecheckResult.SkippedDuplicate;
            }

            summary.OnDecision(Decision($"t{outage % 4}", verdict, Start.AddMinutes(outage / 4)));
        }

        var decided = summary.Count(RecheckResult.Notified) + summary.Count(RecheckResult.SkippedReconnected)
            + summary.Count(RecheckResult.SkippedSuperseded) + summary.Count(RecheckResult.SkippedUnknownThing);
        return decided == summary.Outages
            && decided + summary.Count(RecheckResult.SkippedDuplicate) == picks.Length
            && summary.Count(RecheckResult.Notified) == notified.Count;
    }

    private static ReplayDecision Decision(string thing, RecheckResult result, DateTimeOffset offlineSince, TimeSpan late = default)
        => new(thing, result, offlineSince, offlineSince + Grace + late, Grace);
}
