using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Monitoring;

public class InMemoryOutageLedgerPropertyTests
{
    /// <summary>Claims of a few outages of a few things, each repeated, in one arbitrary order.</summary>
    public sealed record ClaimSequence(IReadOnlyList<OutageId> Claims);

    /// <summary>Many duplicate claims of one outage, raced from several threads.</summary>
    public sealed record DuplicateRace(int Claims, int Threads);

    public static class Arbitraries
    {
        public static Arbitrary<ClaimSequence> ClaimSequences() => Arb.From(
            from outages in Gen.ListOf(
                from thing in Gen.Elements("t1", "t2", "t3")
                from second in Gen.Choose(0, 20)
                from repeats in Gen.Choose(1, 4)
                select (Outage: new OutageId(thing, Instants.Noon.AddSeconds(second).AddMilliseconds(repeats * 100)), Repeats: repeats))
            from order in Gen.Shuffle(outages.SelectMany(o => Enumerable.Repeat(o.Outage, o.Repeats)))
            select new ClaimSequence(order));

        public static Arbitrary<DuplicateRace> DuplicateRaces() => Arb.From(
            from claims in Gen.Choose(2, 64)
            from threads in Gen.Choose(2, 8)
            select new DuplicateRace(claims, threads));
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public void TryClaim_AnyOrderOfDuplicateClaims_GrantsEachOutageAtMostOnceAndNeverAfterANewerOne(ClaimSequence sequence)
    {
        var ledger = new InMemoryOutageLedger();
        var granted = new HashSet<OutageId>();
        var newestGranted = new Dictionary<string, long>(StringComparer.Ordinal);

        foreach (var outage in sequence.Claims)
        {
            var claim = ledger.TryClaim(outage);

            var newest = newestGranted.GetValueOrDefault(outage.ThingName, long.MinValue);
            // An outage older than one already granted is over, whether or not it was itself notified.
            var expected = outage.StartedAtEpochSeconds < newest ? LedgerClaim.OlderThanNotified
                : granted.Contains(outage) ? LedgerClaim.AlreadyNotified
                : LedgerClaim.Claimed;
            Assert.Equal(expected, claim);
            if (claim == LedgerClaim.Claimed)
            {
                granted.Add(outage);
                newestGranted[outage.ThingName] = outage.StartedAtEpochSeconds;
            }
        }

        // The newest outage of every thing was granted exactly once, whatever the order.
        foreach (var newest in sequence.Claims.GroupBy(o => o.ThingName).Select(g => g.MaxBy(o => o.StartedAtEpochSeconds)))
        {
            Assert.Contains(newest, granted);
        }
    }

    [Property(MaxTest = 50, Arbitrary = [typeof(Arbitraries)])]
    public void TryClaim_RacingDuplicateClaims_GrantsExactlyOne(DuplicateRace race)
    {
        var ledger = new InMemoryOutageLedger();
        var outage = new OutageId("t1", Instants.Noon);
        var claimed = 0;

        Parallel.For(0, race.Claims, new ParallelOptions { MaxDegreeOfParallelism = race.Threads }, _ =>
        {
            if (ledger.TryClaim(outage) == LedgerClaim.Claimed)
            {
                Interlocked.Increment(ref claimed);
            }
        });

        Assert.Equal(1, claimed);
    }
}
