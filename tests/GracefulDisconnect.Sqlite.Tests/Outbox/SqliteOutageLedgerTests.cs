using System.Text.Json;

namespace GracefulDisconnect.Sqlite.Tests.Outbox;

public sealed class SqliteOutageLedgerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TestProcess.Epoch;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task TryClaimAsync_FollowsTheInMemoryLedgerRules()
    {
        await using var process = TestProcess.Create(_database.Path);
        var ledger = process.Ledger;

        Assert.Equal(LedgerClaim.Claimed, await ledger.TryClaimAsync(Outage("t1", T0), Notification("t1", T0)));
        Assert.Equal(LedgerClaim.AlreadyNotified, await ledger.TryClaimAsync(Outage("t1", T0), Notification("t1", T0)));

        // Same second, reported in milliseconds by another source: the same outage.
        Assert.Equal(LedgerClaim.AlreadyNotified, await ledger.TryClaimAsync(Outage("t1", T0.AddMilliseconds(451)), Notification("t1", T0)));
        Assert.Equal(LedgerClaim.OlderThanNotified, await ledger.TryClaimAsync(Outage("t1", T0.AddMinutes(-1)), Notification("t1", T0)));
        Assert.Equal(LedgerClaim.Claimed, await ledger.TryClaimAsync(Outage("t2", T0), Notification("t2", T0)));
        Assert.Equal(LedgerClaim.Claimed, await ledger.TryClaimAsync(Outage("t1", T0.AddMinutes(1)), Notification("t1", T0.AddMinutes(1))));
        Assert.Equal(LedgerClaim.OlderThanNotified, await ledger.TryClaimAsync(Outage("t1", T0), Notification("t1", T0)));
    }

    [Fact]
    public async Task MarkNotifiedAsync_ClaimedOutage_IsSentAndStaysADuplicate()
    {
        await using var process = TestProcess.Create(_database.Path);
        var outage = Outage("t1", T0);
        await process.Ledger.TryClaimAsync(outage, Notification("t1", T0));

        await process.Ledger.MarkNotifiedAsync(outage);

        Assert.Equal(OutboxStatus.Sent, (await process.Outbox.FindAsync(outage))!.Status);
        Assert.Equal(LedgerClaim.AlreadyNotified, await process.Ledger.TryClaimAsync(outage, Notification("t1", T0)));
    }

    [Fact]
    public async Task ReleaseAsync_ClaimedOutage_CanBeClaimedAgainAndStaysInTheOutbox()
    {
        await using var process = TestProcess.Create(_database.Path);
        var outage = Outage("t1", T0);
        await process.Ledger.TryClaimAsync(outage, Notification("t1", T0));

        await process.Ledger.ReleaseAsync(outage);

        var released = await process.Outbox.FindAsync(outage);
        Assert.Equal(OutboxStatus.Released, released!.Status);
        Assert.Equal(1, released.Attempts);
        Assert.InRange(released.NextAttemptTicks, T0.AddSeconds(0.5).UtcTicks, T0.AddSeconds(1).UtcTicks);
        Assert.Equal(LedgerClaim.Claimed, await process.Ledger.TryClaimAsync(outage, Notification("t1", T0, "second try")));
        var reclaimed = await process.Outbox.FindAsync(outage);
        Assert.Equal(OutboxStatus.Claimed, reclaimed!.Status);
        Assert.Equal("second try", Deserialize(reclaimed.NotificationJson).Subject);
    }

    [Fact]
    public async Task ReleaseAsync_SentOutage_ChangesNothing()
    {
        await using var process = TestProcess.Create(_database.Path);
        var outage = Outage("t1", T0);
        await process.Ledger.TryClaimAsync(outage, Notification("t1", T0));
        await process.Ledger.MarkNotifiedAsync(outage);

        await process.Ledger.ReleaseAsync(outage);

        Assert.Equal(OutboxStatus.Sent, (await process.Outbox.FindAsync(outage))!.Status);
        Assert.Equal(LedgerClaim.AlreadyNotified, await process.Ledger.TryClaimAsync(outage, Notification("t1", T0)));
    }

    [Fact]
    public async Task TryClaimAsync_StoresTheWholeNotification()
    {
        await using var process = TestProcess.Create(_database.Path);
        var notification = Notification("t1", T0);

        await process.Ledger.TryClaimAsync(Outage("t1", T0), notification);

        var stored = await process.Outbox.FindAsync(Outage("t1", T0));
        Assert.Equal(notification, Deserialize(stored!.NotificationJson));
    }

    [Fact]
    public async Task Restart_AnswersFromTheFile()
    {
        await using (var first = TestProcess.Create(_database.Path))
        {
            await first.Ledger.TryClaimAsync(Outage("t1", T0), Notification("t1", T0));
            await first.Ledger.MarkNotifiedAsync(Outage("t1", T0));
            await first.Ledger.TryClaimAsync(Outage("t2", T0), Notification("t2", T0));
        }

        await using var second = TestProcess.Create(_database.Path);
        Assert.Equal(LedgerClaim.AlreadyNotified, await second.Ledger.TryClaimAsync(Outage("t1", T0), Notification("t1", T0)));
        Assert.Equal(LedgerClaim.OlderThanNotified, await second.Ledger.TryClaimAsync(Outage("t1", T0.AddMinutes(-5)), Notification("t1", T0)));

        // Claimed by the process that died: the outbox delivers it, a re-check must not send it again.
        Assert.Equal(LedgerClaim.AlreadyNotified, await second.Ledger.TryClaimAsync(Outage("t2", T0), Notification("t2", T0)));
        Assert.Equal(LedgerClaim.Claimed, await second.Ledger.TryClaimAsync(Outage("t1", T0.AddHours(1)), Notification("t1", T0.AddHours(1))));
    }

    [Fact]
    public async Task TryClaimAsync_ConcurrentClaimsOfOneOutage_GrantOnlyOne()
    {
        await using var process = TestProcess.Create(_database.Path);
        var outage = Outage("t1", T0);

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () => await process.Ledger.TryClaimAsync(outage, Notification("t1", T0)))));

        Assert.Single(claims, c => c == LedgerClaim.Claimed);
        Assert.Equal(15, claims.Count(c => c == LedgerClaim.AlreadyNotified));
    }

    internal static OutageId Outage(string thing, DateTimeOffset startedAt) => new(thing, startedAt);

    internal static DeviceNotification Notification(string thing, DateTimeOffset startedAt, string? subject = null)
        => new(thing, startedAt, startedAt.AddMinutes(5), TimeSpan.FromMinutes(5), Outage(thing, startedAt).ToString(), subject ?? $"{thing} is offline", $"{thing} has been offline since {startedAt:o}.");

    private static DeviceNotification Deserialize(string json)
        => JsonSerializer.Deserialize(json, OutboxJsonContext.Default.DeviceNotification)!;
}
