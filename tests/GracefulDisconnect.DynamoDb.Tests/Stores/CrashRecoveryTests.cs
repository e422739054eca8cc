using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.DynamoDb.Tests.Stores;

/// <summary>
/// A process killed in the middle of its work leaves only what is in the table: its claims expire and are taken over,
/// and a commit whose outbox entries were never queued is queued by the next process that looks, exactly once.
/// </summary>
[Collection(DynaliteGroup.Name)]
public sealed class CrashRecoveryTests(DynaliteServer server)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ClaimDueAsync_ClaimerKilledBeforeCommitting_AnotherTakesTheDeviceAfterTheLeaseAndCommits()
    {
        var table = DynaliteServer.NewTable();
        var killed = await DynamoDbDeviceStore.OpenAsync(server.Options(table), server.NewClient());
        using var survivor = await DynamoDbDeviceStore.OpenAsync(server.Options(table, createTableIfMissing: false), server.NewClient());
        Assert.Empty(await killed.CommitAsync([new DeviceChange("t1", 0, "due", T0, [])]));

        Assert.Equal(["t1"], await killed.ClaimDueAsync(T0, Lease, 10));
        killed.Dispose();

        Assert.Empty(await survivor.ClaimDueAsync(T0 + Lease - TimeSpan.FromSeconds(1), Lease, 10));
        var later = T0 + Lease + TimeSpan.FromSeconds(1);
        Assert.Equal(["t1"], await survivor.ClaimDueAsync(later, Lease, 10));
        Assert.Empty(await survivor.ClaimDueAsync(later, Lease, 10));

        // The survivor's step commits (ending the claim) with a wake an hour on: not due before then.
        Assert.Empty(await survivor.CommitAsync([new DeviceChange("t1", 1, "rechecked", T0.AddHours(1), [])]));
        Assert.Empty(await survivor.ClaimDueAsync(T0.AddMinutes(59), Lease, 10));
        Assert.Equal(["t1"], await survivor.ClaimDueAsync(T0.AddHours(1), Lease, 10));
        Assert.Equal(new StoredDevice("t1", 2, "rechecked"), Assert.Single(await survivor.LoadAsync(["t1"])));
    }

    [Fact]
    public async Task ClaimDeliveriesAsync_SenderKilledBeforeCompleting_AnotherTakesTheMessageOverAfterTheLease()
    {
        var table = DynaliteServer.NewTable();
        var killed = await DynamoDbDeviceStore.OpenAsync(server.Options(table), server.NewClient());
        using var survivor = await DynamoDbDeviceStore.OpenAsync(server.Options(table, createTableIfMissing: false), server.NewClient());
        Assert.Empty(await killed.CommitAsync([new DeviceChange("t1", 0, "s", null, [new OutboxMessage("sms", "t1@1", "offline"), new OutboxMessage("sms", "t1@2", "later")])]));

        var claimed = await killed.ClaimDeliveriesAsync("sms", T0, Lease, 1);
        killed.Dispose();

        var first = Assert.Single(claimed);
        var other = Assert.Single(await survivor.ClaimDeliveriesAsync("sms", T0.AddSeconds(30), Lease, 10));
        Assert.Equal("t1@2", other.NotificationId);
        Assert.Empty(await survivor.ClaimDeliveriesAsync("sms", T0 + Lease - TimeSpan.FromSeconds(1), Lease, 10));
        var takenOver = Assert.Single(await survivor.ClaimDeliveriesAsync("sms", T0 + Lease + TimeSpan.FromSeconds(1), Lease, 10));
        Assert.Equal((first.Sequence, "t1@1", "offline", 0), (takenOver.Sequence, takenOver.NotificationId, takenOver.Payload, takenOver.Attempts));

        await survivor.CompleteDeliveryAsync(takenOver.Sequence);
        await survivor.CompleteDeliveryAsync(other.Sequence);
        Assert.Empty(await survivor.ClaimDeliveriesAsync("sms", T0.AddDays(1), Lease, 10));
        Assert.Equal(0, (await survivor.CountAsync()).Undelivered);
    }

    [Fact]
    public async Task ClaimDeliveriesAsync_CommitterKilledBeforeQueueing_TheEntriesAreQueuedOnceByAnotherProcess()
    {
        var table = DynaliteServer.NewTable();
        var time = await TableWithFakeClockAsync(table);
        using var first = await DynamoDbDeviceStore.OpenAsync(server.Options(table), server.NewClient(), time);
        using var second = await DynamoDbDeviceStore.OpenAsync(server.Options(table, createTableIfMissing: false), server.NewClient(), time);
        Assert.Empty(await first.CommitAsync([new DeviceChange("t1", 0, "v1", null, [new OutboxMessage("mail", "t1@0", "earlier")])]));
        var earlier = Assert.Single(await first.ClaimDeliveriesAsync("mail", T0, Lease, 10));
        await first.CompleteDeliveryAsync(earlier.Sequence);

        // What a process killed right after its device write leaves: the device at its new version, holding the
        // entries (one of them a notification already delivered), and no message items.
        using var client = server.NewClient();
        var change = new DeviceChange("t1", 1, "v2", null, [new OutboxMessage("mail", "t1@1", "offline"), new OutboxMessage("sms", "t1@1", "offline"), new OutboxMessage("mail", "t1@0", "earlier")]);
        await client.UpdateItemAsync(DeviceWrite.For(table, change, [9001, 9002, 9003], time.GetUtcNow()));
        Assert.Equal(new StoredDevice("t1", 2, "v2"), Assert.Single(await second.LoadAsync(["t1"])));

        // Young entries are left to their committer (it may still be queueing them).
        Assert.Empty(await second.ClaimDeliveriesAsync("mail", T0, Lease, 10));

        time.Advance(OutboxQueue.SweepAge + TimeSpan.FromSeconds(1));
        var now = time.GetUtcNow();
        var racing = await Task.WhenAll(
            second.ClaimDeliveriesAsync("mail", now, Lease, 10).AsTask(),
            first.ClaimDeliveriesAsync("mail", now, Lease, 10).AsTask());
        var mail = racing.SelectMany(batch => batch).ToList();
        var sms = await second.ClaimDeliveriesAsync("sms", now, Lease, 10);

        Assert.Equal([(9001L, "t1@1", "offline")], mail.Select(d => (d.Sequence, d.NotificationId, d.Payload)));
        Assert.Equal([(9002L, "t1@1")], sms.Select(d => (d.Sequence, d.NotificationId)));
        Assert.Equal(2, (await second.CountAsync()).Undelivered);
        var device = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = new AttributeValue { S = "d#t1" } }, ConsistentRead = true });
        Assert.False(device.Item.ContainsKey("outbox"), "the queued entries are removed from the device");
        Assert.False(device.Item.ContainsKey("outboxPending"));

        // The device goes on from its committed version.
        Assert.Empty(await second.CommitAsync([new DeviceChange("t1", 2, "v3", null, [])]));
    }

    [Fact]
    public async Task CompleteDeliveryAsync_WithRetention_SetsTheTimeToLiveOfTheMessageAndItsGuardOnly()
    {
        var table = DynaliteServer.NewTable();
        var time = await TableWithFakeClockAsync(table);
        var options = server.Options(table);
        options.DeliveredRetention = TimeSpan.FromDays(7);
        using var store = await DynamoDbDeviceStore.OpenAsync(options, server.NewClient(), time);
        Assert.Empty(await store.CommitAsync([new DeviceChange("t1", 0, "s", T0, [new OutboxMessage("ch", "t1@1", "p"), new OutboxMessage("ch", "t1@2", "p")])]));
        var claimed = await store.ClaimDeliveriesAsync("ch", T0, Lease, 10);

        await store.CompleteDeliveryAsync(claimed[0].Sequence);
        await store.RetryDeliveryAsync(claimed[1].Sequence, T0.AddMinutes(1));

        using var client = server.NewClient();
        var items = (await client.ScanAsync(new ScanRequest { TableName = table })).Items;
        var expiring = items.Where(item => item.ContainsKey("expiresAt")).ToDictionary(item => item["pk"].S, item => long.Parse(item["expiresAt"].N, System.Globalization.CultureInfo.InvariantCulture));
        var expected = (T0 + TimeSpan.FromDays(7)).ToUnixTimeSeconds();
        Assert.Equal(
            [($"m#{claimed[0].Sequence}", expected), ("n#2:ch#t1@1", expected)],
            expiring.Select(pair => (pair.Key, pair.Value)).OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }

    // The table is made on the system clock: creating one waits for it to become active on the store's clock.
    private async Task<FakeTimeProvider> TableWithFakeClockAsync(string table)
    {
        using (await DynamoDbDeviceStore.OpenAsync(server.Options(table), server.NewClient()))
        {
        }

        return new FakeTimeProvider(T0);
    }
}
