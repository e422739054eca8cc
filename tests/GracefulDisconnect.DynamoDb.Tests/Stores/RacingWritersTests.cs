namespace GracefulDisconnect.DynamoDb.Tests.Stores;

/// <summary>Writers in separate processes (a client each) on one table: the conditional write on the version lets exactly one commit of a version win.</summary>
[Collection(DynaliteGroup.Name)]
public sealed class RacingWritersTests(DynaliteServer server)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CommitAsync_ThreeWritersRacingOnOneDeviceInMultiDeviceCommits_ExactlyOneWinsAndTheirOwnDevicesAreWritten()
    {
        var table = DynaliteServer.NewTable();
        using var setup = await DynamoDbDeviceStore.OpenAsync(server.Options(table), server.NewClient());
        var writers = new List<DynamoDbDeviceStore>();
        for (var i = 0; i < 3; i++)
        {
            writers.Add(await DynamoDbDeviceStore.OpenAsync(server.Options(table, createTableIfMissing: false), server.NewClient()));
        }

        try
        {
            Assert.Empty(await setup.CommitAsync([new DeviceChange("contested", 0, "start", null, [])]));
            for (var round = 0; round < 10; round++)
            {
                var version = Assert.Single(await setup.LoadAsync(["contested"])).Version;
                using var start = new ManualResetEventSlim();
                var attempts = writers.Select((writer, w) => Task.Run(async () =>
                {
                    start.Wait();
                    return await writer.CommitAsync(
                    [
                        new DeviceChange($"own-{w}-{round}", 0, "mine", null, [new OutboxMessage("ch", $"own-{w}-{round}", "p")]),
                        new DeviceChange("contested", version, $"w{w}r{round}", T0, [new OutboxMessage("ch", $"w{w}r{round}", "p")]),
                    ]);
                })).ToList();
                start.Set();
                var results = await Task.WhenAll(attempts);

                var winners = Enumerable.Range(0, writers.Count).Where(w => results[w].Count == 0).ToList();
                var winner = Assert.Single(winners);
                Assert.All(Enumerable.Range(0, writers.Count).Where(w => w != winner), w => Assert.Equal(["contested"], results[w]));
                Assert.Equal(new StoredDevice("contested", version + 1, $"w{winner}r{round}"), Assert.Single(await setup.LoadAsync(["contested"])));

                // Every writer's own device went in; only the winner's message of the contested device was queued.
                Assert.Equal(writers.Count, (await setup.LoadAsync([.. Enumerable.Range(0, writers.Count).Select(w => $"own-{w}-{round}")])).Count);
                var sent = new List<PendingDelivery>();
                while (await setup.ClaimDeliveriesAsync("ch", T0, TimeSpan.FromMinutes(1), 100) is { Count: > 0 } batch)
                {
                    sent.AddRange(batch);
                }

                Assert.Equal(
                    [$"w{winner}r{round}", .. Enumerable.Range(0, writers.Count).Select(w => $"own-{w}-{round}")],
                    sent.Select(d => d.NotificationId).OrderBy(id => id.StartsWith("own", StringComparison.Ordinal) ? 1 : 0).ThenBy(id => id, StringComparer.Ordinal));
                foreach (var delivery in sent)
                {
                    await setup.CompleteDeliveryAsync(delivery.Sequence);
                }
            }
        }
        finally
        {
            writers.ForEach(writer => writer.Dispose());
        }
    }
}
