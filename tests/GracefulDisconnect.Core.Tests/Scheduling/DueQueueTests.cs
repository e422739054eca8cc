namespace GracefulDisconnect.Tests.Scheduling;

public class DueQueueTests
{
    [Fact]
    public void TryPeekDue_Empty_ReturnsFalse()
    {
        var queue = new DueQueue<int>();

        Assert.False(queue.TryPeekDue(out _));
        Assert.False(queue.TryDequeueDue(long.MaxValue, out _, out _));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void TryDequeueDue_NotYetDue_LeavesItQueued()
    {
        var queue = new DueQueue<string>();
        queue.Enqueue("a", 100);

        Assert.False(queue.TryDequeueDue(99, out _, out _));
        Assert.True(queue.TryPeekDue(out var due));
        Assert.Equal(100, due);
        Assert.True(queue.TryDequeueDue(100, out var item, out var dequeuedDue));
        Assert.Equal(("a", 100L), (item, dequeuedDue));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Enqueue_AcrossManySegments_GrowsAndKeepsOrder()
    {
        // 5,000 items span five 1,024-entry segments; ties on the due time must keep insertion order.
        var queue = new DueQueue<int>();
        for (var i = 0; i < 5000; i++)
        {
            queue.Enqueue(i, 1000 - (i % 10));
        }

        var order = new List<int>();
        while (queue.TryDequeueDue(long.MaxValue, out var item, out _))
        {
            order.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, 5000).OrderBy(i => 1000 - (i % 10)).ThenBy(i => i), order);
    }

    [Fact]
    public void TryDequeueDue_ShrinkingAndGrowingAgainAcrossSegments_KeepsOrder()
    {
        // Fill four segments, drain to below one (segments are given back), then refill: nothing is lost or reordered.
        var queue = new DueQueue<int>();
        var random = new Random(7);
        var model = new List<(long Due, int Item)>();
        var next = 0;
        foreach (var (add, take) in new[] { (4000, 3900), (3000, 100), (0, 2000), (2500, 0) })
        {
            for (var i = 0; i < add; i++)
            {
                var due = random.Next(0, 500);
                queue.Enqueue(next, due);
                model.Add((due, next++));
            }

            var expected = model.OrderBy(e => e.Due).ThenBy(e => e.Item).ToList();
            for (var i = 0; i < take; i++)
            {
                Assert.True(queue.TryDequeueDue(long.MaxValue, out var item, out var due));
                Assert.Equal(expected[i], (due, item));
            }

            model = expected.Skip(take).ToList();
            Assert.Equal(model.Count, queue.Count);
        }
    }

    [Fact]
    public void PendingRecheck_RoundTripsTheTrigger()
    {
        var withVersion = new DisconnectTrigger("t1", new DateTimeOffset(2026, 1, 1, 21, 0, 0, TimeSpan.FromHours(9)), 0);
        var withoutVersion = new DisconnectTrigger("t2", DateTimeOffset.UnixEpoch);

        Assert.Equal(withVersion, new PendingRecheck(withVersion).ToTrigger());
        Assert.Equal(TimeSpan.Zero, new PendingRecheck(withVersion).ToTrigger().DisconnectedAt.Offset);
        Assert.Null(new PendingRecheck(withoutVersion).ToTrigger().Version);
        Assert.Equal(long.MinValue + 1, new PendingRecheck(withVersion with { Version = long.MinValue + 1 }).ToTrigger().Version);
    }
}
