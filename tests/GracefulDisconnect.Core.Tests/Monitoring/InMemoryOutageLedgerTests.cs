using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Monitoring;

public class InMemoryOutageLedgerTests
{
    private static readonly OutageId First = new("t1", Instants.Noon);
    private static readonly OutageId Second = new("t1", Instants.Noon.AddHours(1));

    private static DeviceNotification NotificationOf(OutageId outage)
        => new(outage.ThingName, Instants.Noon, Instants.Noon.AddMinutes(5), TimeSpan.FromMinutes(5), outage.ToString(), "subject", "message");

    [Fact]
    public void TryClaim_FirstOutage_IsClaimed()
    {
        Assert.Equal(LedgerClaim.Claimed, new InMemoryOutageLedger().TryClaim(First));
    }

    [Fact]
    public void TryClaim_SameOutageTwice_IsAlreadyNotified()
    {
        var ledger = new InMemoryOutageLedger();
        ledger.TryClaim(First);

        Assert.Equal(LedgerClaim.AlreadyNotified, ledger.TryClaim(First));
        Assert.Equal(LedgerClaim.AlreadyNotified, ledger.TryClaim(new OutageId("t1", Instants.Noon.Ms(700))));
    }

    [Fact]
    public void TryClaim_NewerOutage_IsClaimed()
    {
        var ledger = new InMemoryOutageLedger();
        ledger.TryClaim(First);

        Assert.Equal(LedgerClaim.Claimed, ledger.TryClaim(Second));
    }

    [Fact]
    public void TryClaim_OlderOutageAfterNewer_IsOlderThanNotified()
    {
        var ledger = new InMemoryOutageLedger();
        ledger.TryClaim(Second);

        Assert.Equal(LedgerClaim.OlderThanNotified, ledger.TryClaim(First));
    }

    [Fact]
    public void TryClaim_OtherThing_IsIndependent()
    {
        var ledger = new InMemoryOutageLedger();
        ledger.TryClaim(Second);

        Assert.Equal(LedgerClaim.Claimed, ledger.TryClaim(new OutageId("t2", Instants.Noon)));
    }

    [Fact]
    public async Task TryClaimAsync_BehavesAsTryClaim()
    {
        var ledger = new InMemoryOutageLedger();

        Assert.Equal(LedgerClaim.Claimed, await ledger.TryClaimAsync(First, NotificationOf(First)));
        Assert.Equal(LedgerClaim.AlreadyNotified, await ledger.TryClaimAsync(First, NotificationOf(First)));
    }

    [Fact]
    public async Task ReleaseAsync_ClaimedOutage_CanBeClaimedAgain()
    {
        var ledger = new InMemoryOutageLedger();
        await ledger.TryClaimAsync(First, NotificationOf(First));

        await ledger.ReleaseAsync(First);

        Assert.Equal(LedgerClaim.Claimed, ledger.TryClaim(First));
        Assert.Equal(LedgerClaim.AlreadyNotified, ledger.TryClaim(First));
    }

    [Fact]
    public async Task MarkNotifiedAsync_ThenClaim_IsAlreadyNotified()
    {
        var ledger = new InMemoryOutageLedger();
        await ledger.TryClaimAsync(First, NotificationOf(First));

        await ledger.MarkNotifiedAsync(First);

        Assert.Equal(LedgerClaim.AlreadyNotified, ledger.TryClaim(First));
    }

    [Fact]
    public async Task ReleaseAsync_OutageNotHeld_ChangesNothing()
    {
        var ledger = new InMemoryOutageLedger();
        ledger.TryClaim(Second);

        await ledger.ReleaseAsync(First);

        Assert.Equal(LedgerClaim.AlreadyNotified, ledger.TryClaim(Second));
    }

    [Fact]
    public async Task ReleaseAsync_NewerClaimAfterNotifiedOutage_DoesNotForgetTheNotifiedOne()
    {
        // First was notified; Second's notification failed and was given back. A duplicate
        // re-check of First must still not be granted: it was already sent.
        var ledger = new InMemoryOutageLedger();
        ledger.TryClaim(First);
        await ledger.MarkNotifiedAsync(First);
        ledger.TryClaim(Second);

        await ledger.ReleaseAsync(Second);

        Assert.NotEqual(LedgerClaim.Claimed, ledger.TryClaim(First));
        Assert.Equal(LedgerClaim.Claimed, ledger.TryClaim(Second));
    }

    [Fact]
    public async Task TryClaim_ManyParallelClaimsOfOneOutage_ExactlyOneIsClaimed()
    {
        for (var round = 0; round < 20; round++)
        {
            var ledger = new InMemoryOutageLedger();
            using var start = new ManualResetEventSlim();
            var claims = Enumerable.Range(0, 16)
                .Select(_ => Task.Run(() =>
                {
                    start.Wait();
                    return ledger.TryClaim(new OutageId("t1", Instants.Noon.AddSeconds(round)));
                }))
                .ToArray();
            start.Set();

            var results = await Task.WhenAll(claims);

            Assert.Equal(1, results.Count(r => r == LedgerClaim.Claimed));
            Assert.All(results, r => Assert.NotEqual(LedgerClaim.OlderThanNotified, r));
        }
    }

    [Fact]
    public async Task TryClaim_ParallelClaimsOfDifferentOutages_NewestIsClaimedAndNoneTwice()
    {
        var ledger = new InMemoryOutageLedger();
        var outages = Enumerable.Range(0, 8).Select(i => new OutageId("t1", Instants.Noon.AddMinutes(i))).ToArray();
        using var start = new ManualResetEventSlim();
        var claims = outages.SelectMany(o => Enumerable.Repeat(o, 4))
            .Select(o => Task.Run(() =>
            {
                start.Wait();
                return (Outage: o, Claim: ledger.TryClaim(o));
            }))
            .ToArray();
        start.Set();

        var results = await Task.WhenAll(claims);

        Assert.All(outages, o => Assert.True(results.Count(r => r.Outage == o && r.Claim == LedgerClaim.Claimed) <= 1));
        Assert.Single(results, r => r.Outage == outages[^1] && r.Claim == LedgerClaim.Claimed);
        Assert.NotEqual(LedgerClaim.Claimed, ledger.TryClaim(outages[^1]));
    }
}
