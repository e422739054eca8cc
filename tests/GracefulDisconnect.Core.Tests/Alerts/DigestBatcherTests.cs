using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Alerts;

public class DigestBatcherTests
{
    private static readonly DigestThreshold ThirtySecondsThree = new(TimeSpan.FromSeconds(30), 3);

    private static long Sec(double seconds) => Instants.Noon.AddSeconds(seconds).UtcTicks;

    private static List<(DigestBatch<int> Batch, bool IsDigest)> CloseDue(DigestBatcher<int> batcher, long now)
    {
        var closed = new List<(DigestBatch<int>, bool)>();
        while (batcher.TryCloseDue(now, out var batch, out var isDigest))
        {
            closed.Add((batch, isDigest));
        }

        return closed;
    }

    [Fact]
    public void TryPeekClose_Empty_HasNothing()
    {
        var batcher = new DigestBatcher<int>(ThirtySecondsThree);

        Assert.False(batcher.TryPeekClose(out var closes));
        Assert.Equal(long.MaxValue, closes);
        Assert.False(batcher.TryCloseDue(long.MaxValue, out _, out var isDigest));
        Assert.False(isDigest);
        Assert.Equal(0, batcher.Held);
        Assert.Equal(ThirtySecondsThree, batcher.Threshold);
    }

    [Fact]
    public void Add_FirstNotification_OpensABatchClosingOneWindowLater()
    {
        var batcher = new DigestBatcher<int>(ThirtySecondsThree);

        batcher.Add("*", "a", 1, Sec(0));
        batcher.Add("*", "b", 2, Sec(29.999));

        Assert.True(batcher.TryPeekClose(out var closes));
        Assert.Equal(Sec(30), closes);
        Assert.Equal(2, batcher.Held);
        Assert.Empty(CloseDue(batcher, Sec(30) - 1));

        var (batch, isDigest) = Assert.Single(CloseDue(batcher, Sec(30)));
        Assert.False(isDigest);
        Assert.Equal(Sec(0), batch.OpenedTicks);
        Assert.Equal(Sec(30), batch.ClosesTicks);
        Assert.Equal([("a", 1), ("b", 2)], batch.Items);
        Assert.Equal(0, batcher.Held);
        Assert.False(batcher.TryPeekClose(out _));
    }

    [Fact]
    public void Add_ExactlyAtTheClose_StartsTheNextBatchOnceTheDueOneIsClosed()
    {
        var batcher = new DigestBatcher<int>(ThirtySecondsThree);
        batcher.Add("*", "a", 1, Sec(0));

        // The window is half-open: the caller closes what is due at 30s before adding what is decided at 30s.
        var first = Assert.Single(CloseDue(batcher, Sec(30)));
        batcher.Add("*", "b", 2, Sec(30));

        Assert.Equal([("a", 1)], first.Batch.Items);
        Assert.True(batcher.TryPeekClose(out var closes));
        Assert.Equal(Sec(60), closes);
    }

    [Fact]
    public void TryCloseDue_MinThingsReached_IsDigestWithDistinctThingsInFirstSeenOrder()
    {
        var batcher = new DigestBatcher<int>(ThirtySecondsThree);
        batcher.Add("*", "c", 1, Sec(0));
        batcher.Add("*", "a", 2, Sec(1));
        batcher.Add("*", "c", 3, Sec(2));
        batcher.Add("*", "b", 4, Sec(3));

        var (batch, isDigest) = Assert.Single(CloseDue(batcher, Sec(30)));

        Assert.True(isDigest);
        Assert.Equal(3, batch.ThingCount);
        Assert.Equal(["c", "a", "b"], batch.Things());
        Assert.Equal([1, 2, 3, 4], batch.Items.Select(item => item.Item));
    }

    [Fact]
    public void TryCloseDue_SameThingTwice_CountsOnceTowardsTheMinimum()
    {
        var batcher = new DigestBatcher<int>(ThirtySecondsThree);
        batcher.Add("*", "a", 1, Sec(0));
        batcher.Add("*", "a", 2, Sec(1));
        batcher.Add("*", "b", 3, Sec(2));

        var (batch, isDigest) = Assert.Single(CloseDue(batcher, Sec(30)));

        Assert.False(isDigest);
        Assert.Equal(2, batch.ThingCount);
        Assert.Equal(3, batch.Items.Count);
    }

    [Fact]
    public void Add_Groups_EachHasItsOwnBatchAndCloseTime()
    {
        var batcher = new DigestBatcher<int>(ThirtySecondsThree);
        batcher.Add("osaka", "osaka-1", 1, Sec(0));
        batcher.Add("kyoto", "kyoto-1", 2, Sec(10));
        batcher.Add("osaka", "osaka-2", 3, Sec(20));
        batcher.Add("osaka", "osaka-3", 4, Sec(25));
        batcher.Add("kyoto", "kyoto-2", 5, Sec(35));

        Assert.Equal(5, batcher.Held);
        var osaka = Assert.Single(CloseDue(batcher, Sec(30)));
        Assert.Equal("osaka", osaka.Batch.Group);
        Assert.True(osaka.IsDigest);
        Assert.Equal(2, batcher.Held);

        Assert.True(batcher.TryPeekClose(out var closes));
        Assert.Equal(Sec(40), closes);
        var kyoto = Assert.Single(CloseDue(batcher, Sec(40)));
        Assert.Equal("kyoto", kyoto.Batch.Group);
        Assert.False(kyoto.IsDigest);
        Assert.Equal([("kyoto-1", 2), ("kyoto-2", 5)], kyoto.Batch.Items);
    }

    [Fact]
    public void TryCloseDue_LongAfter_ClosesEveryDueBatchInOpeningOrder()
    {
        var batcher = new DigestBatcher<int>(ThirtySecondsThree);
        batcher.Add("b", "b1", 1, Sec(0));
        batcher.Add("a", "a1", 2, Sec(5));
        batcher.Add("c", "c1", 3, Sec(40));

        var closed = CloseDue(batcher, long.MaxValue);

        Assert.Equal(["b", "a", "c"], closed.Select(c => c.Batch.Group));
    }

    [Fact]
    public void Add_NearTheEndOfTime_ClosesAtTheLastInstantInsteadOfOverflowing()
    {
        var batcher = new DigestBatcher<int>(ThirtySecondsThree);
        var late = DateTimeOffset.MaxValue.UtcTicks - TimeSpan.FromSeconds(10).Ticks;

        batcher.Add("*", "a", 1, late);

        Assert.True(batcher.TryPeekClose(out var closes));
        Assert.Equal(DateTimeOffset.MaxValue.UtcTicks, closes);
    }

    [Fact]
    public void AddAndClose_RandomStream_NothingLostNothingDuplicatedEachItemInItsWindow()
    {
        var random = new Random(42);
        var threshold = new DigestThreshold(TimeSpan.FromSeconds(10), 2);
        var batcher = new DigestBatcher<int>(threshold);
        var closed = new List<DigestBatch<int>>();
        var now = Sec(0);
        for (var i = 0; i < 2000; i++)
        {
            now += TimeSpan.FromMilliseconds(random.Next(0, 3000)).Ticks;
            closed.AddRange(CloseDue(batcher, now).Select(c => c.Batch));
            batcher.Add($"g{random.Next(5)}", $"t{random.Next(20)}", i, now);
        }

        closed.AddRange(CloseDue(batcher, long.MaxValue).Select(c => c.Batch));

        Assert.Equal(0, batcher.Held);
        Assert.Equal(Enumerable.Range(0, 2000), closed.SelectMany(b => b.Items.Select(item => item.Item)).Order());
        Assert.All(closed, b => Assert.Equal(b.OpenedTicks + threshold.Window.Ticks, b.ClosesTicks));

        // No two batches of one group overlap in time.
        foreach (var group in closed.GroupBy(b => b.Group))
        {
            var ordered = group.OrderBy(b => b.OpenedTicks).ToList();
            Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.True(pair.Second.OpenedTicks >= pair.First.ClosesTicks));
        }
    }
}
