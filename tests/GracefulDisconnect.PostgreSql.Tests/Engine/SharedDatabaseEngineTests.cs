using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.PostgreSql.Tests.Engine;

/// <summary>
/// Several engines (processes) on one database: any of them may receive any event of any device, each outage is
/// notified once per channel, and a process that dies leaves its claims to the others once its lease expires.
/// </summary>
[Collection(PostgresServerGroup.Name)]
public sealed class SharedDatabaseEngineTests(PostgresServer server)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    // DeviceEngine's claim lease, plus a second.
    private static readonly TimeSpan PastTheLease = TimeSpan.FromSeconds(61);

    private readonly ConcurrentQueue<(string Channel, DeviceNotification Notification)> _seen = new();

    [Fact]
    public async Task TwoEngines_EventsOfEachDeviceSplitBetweenThem_EachOutageIsNotifiedExactlyOncePerChannel()
    {
        var schema = PostgresServer.NewSchema();
        var time = new FakeTimeProvider(T0.AddSeconds(1));
        await using var a = await EngineProcess.StartAsync(server, schema, time, Channel("pager"), Channel("mail"));
        await using var b = await EngineProcess.StartAsync(server, schema, time, Channel("pager"), Channel("mail"));
        var engines = new[] { a, b };
        var random = new Random(14);
        var (disconnects, reconnects) = (new[] { new List<ConnectionEvent>(), [] }, new[] { new List<ConnectionEvent>(), [] });
        var down = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 300; i++)
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
    }

    [Fact]
    public async Task ProcessKilledMidSend_AnotherTakesOverAfterTheLease_AndTheChannelThatAcknowledgedIsNotSentAgain()
    {
        var schema = PostgresServer.NewSchema();
        var time = new FakeTimeProvider(T0.AddSeconds(1));
        var stuckPager = new RecordingNotifier("pager", _seen) { Hangs = true };
        await using var killed = await EngineProcess.StartAsync(server, schema, time, stuckPager, Channel("mail"));
        await using var survivor = await EngineProcess.StartAsync(server, schema, time, Channel("pager"), Channel("mail"));
        await killed.Engine.RecordAsync([new ConnectionEvent("t1", false, T0, 1)]);
        time.Advance(EngineProcess.Grace);
        Assert.Equal(1, await killed.Engine.RunDueAsync());

        // The killed process sends by mail, then hangs in the pager's call and is never heard of again.
        using var kill = new CancellationTokenSource();
        var hanging = killed.Engine.DeliverAsync(kill.Token);
        try
        {
            await Eventually.TrueAsync(() => stuckPager.Started == 1 && _seen.Any(s => s.Channel == "mail"), "the mail to go and the pager to hang");

            // Within its lease the pager's message is the killed process's; after it, the survivor's, once.
            Assert.Equal(0, await survivor.Engine.DeliverAsync());
            time.Advance(PastTheLease);
            Assert.Equal(1, await survivor.Engine.DeliverAsync());
            Assert.Equal(0, await survivor.Engine.DeliverAsync());
            time.Advance(PastTheLease);
            Assert.Equal(0, await survivor.Engine.DeliverAsync());

            Assert.Equal(["mail", "pager"], _seen.Select(s => s.Channel).Order(StringComparer.Ordinal));
            Assert.All(_seen, s => Assert.Equal(new OutageId("t1", T0).ToString(), s.Notification.OutageId));
            Assert.Equal(new DeviceStoreCounts(0, 0, Offline: 0), (await survivor.Store.CountAsync()) with { Offline = 0 }); // nothing left to do, however many are offline
        }
        finally
        {
            // The "killed" process's hanging send ends with the test, whatever it asserted.
            await kill.CancelAsync();
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hanging);
    }

    [Fact]
    public async Task ProcessKilledAfterClaimingDueReChecks_AnotherStepsThemAfterTheLease()
    {
        var schema = PostgresServer.NewSchema();
        var time = new FakeTimeProvider(T0.AddSeconds(1));
        await using var killed = await EngineProcess.StartAsync(server, schema, time, Channel("pager"));
        await using var survivor = await EngineProcess.StartAsync(server, schema, time, Channel("pager"));
        await killed.Engine.RecordAsync([new ConnectionEvent("t1", false, T0, 1), new ConnectionEvent("t2", false, T0, 1)]);
        time.Advance(EngineProcess.Grace);

        // What RunDueAsync claims first; the process dies before committing the step.
        Assert.Equal(2, (await killed.Store.ClaimDueAsync(time.GetUtcNow(), TimeSpan.FromMinutes(1), 100)).Count);

        Assert.Equal(0, await survivor.Engine.RunDueAsync());
        time.Advance(PastTheLease);
        Assert.Equal(2, await survivor.Engine.RunDueAsync());
        Assert.Equal(2, await survivor.Engine.DeliverAsync());

        Assert.Equal(["t1", "t2"], _seen.Select(s => s.Notification.ThingName).Order(StringComparer.Ordinal));
        Assert.Equal(new DeviceStoreCounts(0, 0, Offline: 0), (await survivor.Store.CountAsync()) with { Offline = 0 }); // nothing left to do, however many are offline
    }

    [Fact]
    public async Task ServerRestartingUnderLoad_TransientErrorsRetriedByTheCaller_NothingLostNothingTwice()
    {
        var schema = PostgresServer.NewSchema();
        var time = new FakeTimeProvider(T0.AddSeconds(1));
        await using var a = await EngineProcess.StartAsync(server, schema, time, Channel("pager"));
        await using var b = await EngineProcess.StartAsync(server, schema, time, Channel("pager"));
        var random = new Random(57);
        var perEngine = new[] { new List<ConnectionEvent>(), [] };
        var down = new HashSet<string>(StringComparer.Ordinal);
        const int Devices = 2000;
        for (var i = 0; i < Devices; i++)
        {
            var thing = $"dev-{i:0000}";
            perEngine[random.Next(2)].Add(new ConnectionEvent(thing, false, T0, 1));
            if (i % 2 == 0)
            {
                perEngine[random.Next(2)].Add(new ConnectionEvent(thing, true, T0.AddMilliseconds(500), 2));
            }
            else
            {
                down.Add(thing);
            }
        }

        var transient = 0;
        var batchesDone = 0;
        async Task ProduceAsync(EngineProcess process, List<ConnectionEvent> events)
        {
            foreach (var batch in events.Chunk(25))
            {
                await EngineProcess.RetryTransientAsync(async () => { await process.Engine.RecordAsync(batch); return true; }, () => Interlocked.Increment(ref transient));
                Interlocked.Increment(ref batchesDone);
                await Task.Delay(15);
            }
        }

        async Task RestartWhileLoadedAsync()
        {
            await Eventually.TrueAsync(() => Volatile.Read(ref batchesDone) >= 10, "the load to start");
            await server.RestartAsync();
        }

        var totalBatches = perEngine.Sum(e => (e.Count + 24) / 25);
        await Task.WhenAll(ProduceAsync(a, perEngine[0]), ProduceAsync(b, perEngine[1]), RestartWhileLoadedAsync());
        Assert.True(Volatile.Read(ref batchesDone) == totalBatches);
        Assert.True(transient > 0, "the restart cut connections in use or pooled, and the callers saw transient errors");

        time.Advance(EngineProcess.Grace);
        await DrainAsync([a, b], a.Store);

        Assert.Equal(Devices, (await a.Store.LoadAsync([.. Enumerable.Range(0, Devices).Select(i => $"dev-{i:0000}")])).Count);
        var sent = _seen.Select(s => s.Notification).ToList();
        Assert.All(sent, n => Assert.Equal(NotificationKind.Offline, n.Kind));
        Assert.Equal(down.Order(StringComparer.Ordinal), sent.Select(n => n.ThingName).Order(StringComparer.Ordinal));
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
    private static async Task DrainAsync(EngineProcess[] engines, PostgreSqlDeviceStore store)
    {
        for (var pass = 0; pass < 50; pass++)
        {
            await Task.WhenAll(engines.Select(e => EngineProcess.RetryTransientAsync(() => e.Engine.RunDueAsync())));
            await Task.WhenAll(engines.Select(e => EngineProcess.RetryTransientAsync(() => e.Engine.DeliverAsync())));
            if (await store.CountAsync() is { Waking: 0, Undelivered: 0 })
            {
                return;
            }
        }

        Assert.Fail($"work left after 50 passes: {await store.CountAsync()}");
    }
}
