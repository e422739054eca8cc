using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace GracefulDisconnect.Tests.Scheduling;

public class DueQueuePropertyTests
{
    /// <summary>Enqueue (a due time, with many ties) or dequeue whatever is due at a time.</summary>
    public sealed record Operation(bool Enqueue, long Ticks);

    public sealed record OperationList(IReadOnlyList<Operation> Operations);

    public static class Arbitraries
    {
        public static Arbitrary<OperationList> OperationLists() => Arb.From(
            Gen.ListOf(
                Gen.Frequency(
                    (3, Gen.Choose(0, 40).Select(due => new Operation(true, due))),
                    (1, Gen.Choose(-1, 45).Select(now => new Operation(false, now)))))
            .Select(ops => new OperationList(ops)));
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public void TryDequeueDue_AnyEnqueues_DequeuesInDueThenInsertionOrder(OperationList list)
    {
        var queue = new DueQueue<int>();
        var expected = new List<(long Due, int Sequence)>();
        var sequence = 0;
        foreach (var op in list.Operations.Where(o => o.Enqueue))
        {
            queue.Enqueue(sequence, op.Ticks);
            expected.Add((op.Ticks, sequence++));
        }

        var actual = new List<(long Due, int Sequence)>();
        while (queue.TryDequeueDue(long.MaxValue, out var item, out var due))
        {
            actual.Add((due, item));
        }

        Assert.Equal(expected.OrderBy(e => e.Due).ThenBy(e => e.Sequence), actual);
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public void TryDequeueDue_InterleavedWithEnqueues_AlwaysReturnsTheEarliestDueItem(OperationList list)
    {
        var queue = new DueQueue<int>();
        var model = new List<(long Due, int Sequence)>();
        var sequence = 0;
        foreach (var op in list.Operations)
        {
            if (op.Enqueue)
            {
                queue.Enqueue(sequence, op.Ticks);
                model.Add((op.Ticks, sequence++));
                continue;
            }

            while (true)
            {
                var next = model.Count == 0 ? ((long, int)?)null : model.OrderBy(e => e.Due).ThenBy(e => e.Sequence).First();
                var dueNow = next is { } n && n.Item1 <= op.Ticks;
                Assert.Equal(dueNow, queue.TryDequeueDue(op.Ticks, out var item, out var due));
                if (!dueNow)
                {
                    break;
                }

                Assert.Equal(next!.Value, (due, item));
                model.Remove(next.Value);
            }

            Assert.Equal(model.Count, queue.Count);
        }
    }
}
