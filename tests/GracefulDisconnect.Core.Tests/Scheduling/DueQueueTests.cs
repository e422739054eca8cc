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
    public void Enqueue_BeyondCapacity_GrowsAndKeepsOrder()
    {
        var queue = new DueQueue<int>(capacity: 4);
        for (var i = 0; i < 100; i++)
        {
            queue.Enqueue(i, 1000 - (i % 10));
        }

        var order = new List<int>();
        while (queue.TryDequeueDue(long.MaxValue, out var item, out _))
        {
            order.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, 100).OrderBy(i => 1000 - (i % 10)).ThenBy(i => i), order);
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
