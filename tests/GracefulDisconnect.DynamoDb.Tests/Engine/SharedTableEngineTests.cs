using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.DynamoDb.Tests.Engine;

/// <summary>
/// Several engines (processes) on one table: any of them may receive any event of any device, each outage is
/// notified once per channel, and a process that dies leaves its claims to the others once its lease expires.
/// </summary>
[Collection(DynaliteGroup.Name)]
public sealed class SharedTableEngineTests(DynaliteServer server)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    // DeviceEngine's claim lease, plus a second.
    private static readonly TimeSpan PastTheLease = TimeSpan.FromSeconds(61);

    private readonly ConcurrentQueue<(string Channel, DeviceNotification Notification)> _seen = new();

    [Fact]
    public async Task TwoEngines_EventsOfEachDeviceSplitBetweenThem_EachOutageIsNotifiedExactlyOncePerChannel()
    {
        var table = await EngineProcess.NewTableAsync(server);
        var time = new FakeTimeProvider(T0.AddSeconds(1));
        using var a = await EngineProcess.StartAsync(server, table, time, Channel("pager"), Channel("mail"));
        using var b = await EngineProcess.StartAsync(server, table, time, Channel("pager"), Channel("mail"));
        var engines = new[] { a, b };
        var random = new Random(14);
        var (disconnects, reconnects) = (new[] { new List<ConnectionEvent>(), [] }, new[] { new List<ConnectionEvent>(), [] });
        var down = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 150; i++)
        {
            var thing = $"dev-{i:000}";
            var first = random.Next(2);
            disconnects[first].Add(new ConnectionEvent(thing, false, T0, 1));
            if (random.Next(2) == 0)
            {
                // A blip: the reconnect reaches the other process.
                reconnects[1 - first].Add(new ConnectionEvent(thing, true, T0.AddSeconds(20), 2));
            }
            else
            {
                down.Add(thing);
            }
        }

        await RecordConcurrentlyAsync(engines, disconnects);
        time.Advance(TimeSpan.FromSeconds(30));
        await RecordConcurrentlyAsync(engines, reconnects);
        time.Advance(EngineProcess.Grace);
        await DrainAsync(engines, a.Store);

        foreach (var channel in new[] { "pager", "mail" })
        {
            var sent = _seen.Where(s => s.Channel == channel).Select(s => s.Notification).ToList();
            Assert.All(sent, n => Assert.Equal(NotificationKind.Offline, n.Kind));
            Assert.Equal(down.Order(StringComparer.Ordinal), sent.Select(n => n.ThingName).Order(StringComparer.Ordinal));
        }

        Assert.Equal(down.Count, (await a.Store.CountAsync()).Offline);
    }

    [Fact]
    public async Task ProcessKilledAfterClaimingDueReChecks_AnotherStepsThemAfterTheLease()
    {
        var table = await EngineProcess.NewTableAsync(server);
        var time = new FakeTimeProvider(T0.AddSeconds(1));
        var killed = await EngineProcess.StartAsync(server, table, time, Channel("pager"));
        using var survivor = await EngineProcess.StartAsync(server, table, time, Channel("pager"));
        await killed.Engine.RecordAsync([new ConnectionEvent("t1", false, T0, 1), new ConnectionEvent("t2", false, T0, 1)]);
        time.Advance(EngineProcess.Grace);

        // What RunDueAsync claims first; the process dies before committing the step.
        Assert.Equal(2, (await killed.Store.ClaimDueAsync(time.GetUtcNow(), TimeSpan.FromMinutes(1), 100)).Count);
        killed.Dispose();

        Assert.Equal(0, await survivor.Engine.RunDueAsync());
        time.Advance(PastTheLease);
        Assert.Equal(2, await survivor.Engine.RunDueAsync());
        Assert.Equal(2, await survivor.Engine.DeliverAsync());

        Assert.Equal(["t1", "t2"], _seen.Select(s => s.Notification.ThingName).Order(StringComparer.Ordinal));
        Assert.Equal(new DeviceStoreCounts(0, 0, Offline: 0), (await survivor.Store.CountAsync()) with { Offline = 0 });
    }

    private RecordingNotifier Channel(string name) => new(name, _seen);

    private static Task RecordConcurrentlyAsync(EngineProcess[] engines, List<ConnectionEvent>[] events)
        => Task.WhenAll(engines.Select((process, i) => Task.Run(async () =>
        {
            foreach (var batch in events[i].Chunk(25))
            {
                await process.Engine.RecordAsync(batch);
            }
        })));

    // Both processes run their loops at once until nothing is left to do.
    private static async Task DrainAsync(EngineProcess[] engines, DynamoDbDeviceStore store)
    {
        for (var pass = 0; pass < 50; pass++)
        {
            await Task.WhenAll(engines.Select(e => e.Engine.RunDueAsync()));
            await Task.WhenAll(engines.Select(e => e.Engine.DeliverAsync()));
            if (await store.CountAsync() is { Waking: 0, Undelivered: 0 })
            {
                return;
            }
        }

        Assert.Fail($"work left after 50 passes: {await store.CountAsync()}");
    }
}
