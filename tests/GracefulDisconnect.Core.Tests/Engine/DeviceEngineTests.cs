using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Engine;

/// <summary>The live engine over a store: the outbox per channel, and two engines (processes) on one store.</summary>
public sealed class DeviceEngineTests : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = Instants.Noon;

    private readonly FakeTimeProvider _time = new(T0);
    private readonly GracefulDisconnectMetrics _metrics = new();
    private readonly Microsoft.Extensions.Options.IOptions<GracefulDisconnectOptions> _options = TestOptions.Create(o =>
    {
        o.GracePeriod = Grace;
        o.NotifyRetryDelay = TimeSpan.FromSeconds(1);
        o.RetryDelay = TimeSpan.FromMinutes(1);
        o.Alerts.NotifyRecovery = true;
    });

    public void Dispose() => _metrics.Dispose();

    private DeviceEngine Engine(IDeviceStore store, params INotifier[] notifiers)
        => new(store, null, notifiers, _options, new NotificationFormatter(_options), _time, _metrics);

    private static string Outage(string thing, DateTimeOffset at) => new OutageId(thing, at).ToString();

    private void At(DateTimeOffset at) => _time.SetUtcNow(at);

    [Fact]
    public async Task DeliverAsync_OneChannelFailing_TheOtherIsSentOnceAndTheFailingOneRetriesAloneWithBackoff()
    {
        var store = new InMemoryDeviceStore();
        var good = new RecordingNotifier();
        var bad = new FlakyNotifier(_time) { FailuresLeft = 4 };
        using var engine = Engine(store, good, bad);
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        At(T0 + Grace);
        await engine.RunDueAsync();

        await engine.DeliverAsync();
        Assert.Single(good.Sent);
        Assert.Single(bad.Attempts);

        // Attempt n + 1 comes no earlier than half of 1 s × 2^(n-1) after attempt n fails, and no later than all of it.
        for (var failed = 1; failed <= 4; failed++)
        {
            var last = bad.Attempts[^1];
            var backoff = TimeSpan.FromSeconds(Math.Pow(2, failed - 1));
            At(last + (backoff / 2) - TimeSpan.FromMilliseconds(1));
            await engine.DeliverAsync();
            Assert.Equal(failed, bad.Attempts.Count);
            At(last + backoff);
            await engine.DeliverAsync();
            Assert.Equal(failed + 1, bad.Attempts.Count);
        }

        // The fifth attempt went through; from now on neither channel hears of this outage again.
        Assert.Equal([Outage("t1", T0)], bad.Sent.Select(n => n.NotificationId));
        for (var minute = 1; minute <= 10; minute++)
        {
            At(_time.GetUtcNow().AddMinutes(1));
            await engine.DeliverAsync();
        }

        Assert.Equal([Outage("t1", T0)], good.Sent.Select(n => n.NotificationId));
        Assert.Equal(5, bad.Attempts.Count);
        Assert.Equal(new DeviceStoreCounts(0, 0, Offline: 0), (await store.CountAsync()) with { Offline = 0 }); // nothing left to do, however many are offline
    }

    [Fact]
    public async Task DeliverAsync_FailingChannel_LaterMessagesWaitBehindTheFailedOne()
    {
        var store = new InMemoryDeviceStore();
        var good = new RecordingNotifier();
        var bad = new FlakyNotifier(_time) { DownUntil = T0.AddMinutes(5) };
        using var engine = Engine(store, good, bad);
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        At(T0 + Grace);
        await engine.RunDueAsync();
        await engine.DeliverAsync();
        At(T0.AddMinutes(1));
        await engine.RecordAsync([new ConnectionEvent("t1", true, T0.AddMinutes(1))]);
        await engine.DeliverAsync();

        Assert.Equal([NotificationKind.Offline, NotificationKind.Recovered], good.Sent.Select(n => n.Kind));
        Assert.Empty(bad.Sent);

        for (var seconds = 70; seconds <= 900; seconds += 10)
        {
            At(T0.AddSeconds(seconds));
            await engine.DeliverAsync();
        }

        // Never "back online" before "offline" on the channel that was down.
        Assert.Equal([NotificationKind.Offline, NotificationKind.Recovered], bad.Sent.Select(n => n.Kind));
        Assert.Equal(2, good.Sent.Count);
    }

    [Fact]
    public async Task DeliverAsync_ChannelBackingOff_ANewerMessageWaitsForTheOlderOne()
    {
        var store = new InMemoryDeviceStore();
        var good = new RecordingNotifier();
        var bad = new FlakyNotifier(_time) { FailuresLeft = 1 };
        using var engine = Engine(store, good, bad);
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        At(T0 + Grace);
        await engine.RunDueAsync();
        await engine.DeliverAsync();

        // "Offline" failed once and backs off (0.5 to 1 s); the device comes back 100 ms later, the channel too.
        At(T0 + Grace + TimeSpan.FromMilliseconds(100));
        await engine.RecordAsync([new ConnectionEvent("t1", true, T0 + Grace + TimeSpan.FromMilliseconds(50))]);
        await engine.DeliverAsync();
        for (var ms = 200; ms <= 5000; ms += 100)
        {
            At(T0 + Grace + TimeSpan.FromMilliseconds(ms));
            await engine.DeliverAsync();
        }

        Assert.Equal([NotificationKind.Offline, NotificationKind.Recovered], good.Sent.Select(n => n.Kind));
        Assert.Equal([NotificationKind.Offline, NotificationKind.Recovered], bad.Sent.Select(n => n.Kind));
    }

    [Fact]
    public async Task DeliverAsync_EveryChannelFailingForAWhile_LosesNothingAcrossARestart()
    {
        var store = new InMemoryDeviceStore();
        var first = new FlakyNotifier(_time) { DownUntil = T0.AddMinutes(10) };
        var second = new RecordingNotifier();
        second.FailNext(int.MaxValue);
        var engine = Engine(store, first, second);
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0), new ConnectionEvent("t2", false, T0.AddSeconds(5))]);
        At(T0 + Grace + TimeSpan.FromSeconds(5));
        await engine.RunDueAsync();

        for (var seconds = 40; seconds <= 300; seconds += 10)
        {
            At(T0.AddSeconds(seconds));
            await engine.DeliverAsync();
        }

        Assert.Empty(first.Sent);
        Assert.Empty(second.Sent);
        Assert.Equal(4, (await store.CountAsync()).Undelivered);

        // The process restarts while both channels are still down; they come back later.
        engine.Dispose();
        second.FailNext(0);
        using var restarted = Engine(store, new FlakyNotifier(_time) { DownUntil = T0.AddMinutes(10) }, second);
        for (var seconds = 310; seconds <= 1200; seconds += 10)
        {
            At(T0.AddSeconds(seconds));
            await restarted.DeliverAsync();
        }

        Assert.Equal([Outage("t1", T0), Outage("t2", T0.AddSeconds(5))], second.Sent.Select(n => n.NotificationId).Order(StringComparer.Ordinal));
        Assert.Equal(new DeviceStoreCounts(0, 0, Offline: 0), (await store.CountAsync()) with { Offline = 0 }); // nothing left to do, however many are offline
    }

    [Fact]
    public async Task RecordAsync_AnotherEngineCommitsTheSameDeviceMeanwhile_RedoesTheStepOnTheNewerRecord()
    {
        var shared = new InMemoryDeviceStore();
        var interleaving = new InterleavingStore(shared);
        var notifier = new RecordingNotifier();
        using var a = Engine(interleaving, notifier);
        using var b = Engine(shared, notifier);

        // A records a disconnect; while it decides, B records the reconnect that followed it and commits first.
        interleaving.BeforeNextCommit = () => b.RecordAsync([new ConnectionEvent("t1", true, T0.AddSeconds(5))]).AsTask();
        await a.RecordAsync([new ConnectionEvent("t1", false, T0)]);

        // A's commit conflicted; redone on B's record the disconnect is older than the known connect: nothing to write.
        Assert.Equal(1, interleaving.Commits);
        var stored = Assert.Single(await shared.LoadAsync(["t1"]));
        Assert.Equal(1, stored.Version);
        var record = GracefulDisconnect.Engine.DeviceRecordCodec.Read("t1", stored.State);
        Assert.Null(record.Pending);
        Assert.True(record.Last!.Value.Connected);
        At(T0.AddMinutes(5));
        await a.RunDueAsync();
        await b.RunDueAsync();
        await a.DeliverAsync();
        Assert.Empty(notifier.Sent);
        Assert.Equal(new DeviceStoreCounts(0, 0, Offline: 0), (await shared.CountAsync()) with { Offline = 0 }); // nothing left to do, however many are offline
    }

    [Fact]
    public async Task RunDueAsync_AnotherEngineRecordsTheReconnectMeanwhile_NotifiesNothing()
    {
        var shared = new InMemoryDeviceStore();
        var interleaving = new InterleavingStore(shared);
        var notifier = new RecordingNotifier();
        using var a = Engine(interleaving, notifier);
        using var b = Engine(shared, notifier);
        await b.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        At(T0.AddMinutes(1));

        // A's re-check has loaded the record (still offline) when B records the reconnect (after the grace).
        interleaving.BeforeNextCommit = () => b.RecordAsync([new ConnectionEvent("t1", true, T0.AddSeconds(50))]).AsTask();
        await a.RunDueAsync();
        await a.DeliverAsync();
        await b.DeliverAsync();

        // A redid its step on B's record: the outage is told once, as the recovery notice of a late re-check (B's
        // step), never as "offline" for a device both knew was back.
        var sent = Assert.Single(notifier.Sent);
        Assert.Equal((NotificationKind.Recovered, Outage("t1", T0)), (sent.Kind, sent.OutageId));
    }

    [Fact]
    public async Task RunDueAsync_TwoEnginesAtOnce_EachDueDeviceIsReCheckedByOneAndEachOutageNotifiedOnce()
    {
        var shared = new InMemoryDeviceStore();
        var notifier = new RecordingNotifier();
        using var a = Engine(shared, notifier);
        using var b = Engine(shared, notifier);
        var things = Enumerable.Range(0, 200).Select(i => $"t{i}").ToList();
        await a.RecordAsync([.. things.Where((_, i) => i % 2 == 0).Select(t => new ConnectionEvent(t, false, T0))]);
        await b.RecordAsync([.. things.Where((_, i) => i % 2 == 1).Select(t => new ConnectionEvent(t, false, T0))]);
        At(T0 + Grace);

        var stepped = await Task.WhenAll(Task.Run(() => a.RunDueAsync()), Task.Run(() => b.RunDueAsync()));
        await Task.WhenAll(Task.Run(() => a.DeliverAsync()), Task.Run(() => b.DeliverAsync()));

        Assert.Equal(200, stepped.Sum());
        Assert.Equal(200, notifier.Sent.Count);
        Assert.Equal(things.Select(t => Outage(t, T0)).Order(StringComparer.Ordinal), notifier.Sent.Select(n => n.NotificationId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RecordAsync_TwoEnginesRacingOnTheSameDevices_EachOutageNotifiedOnceAndNoEventLost()
    {
        var shared = new InMemoryDeviceStore();
        var notifier = new RecordingNotifier();
        using var a = Engine(shared, notifier);
        using var b = Engine(shared, notifier);
        var things = Enumerable.Range(0, 50).Select(i => $"t{i}").ToList();

        // Both processes receive every event (a source delivering twice), in batches, at the same time.
        for (var round = 0; round < 4; round++)
        {
            var at = T0.AddMinutes(round * 10);
            At(at);
            var batch = things.Select(t => new ConnectionEvent(t, round % 2 == 1, at)).ToList();
            await Task.WhenAll(Task.Run(() => a.RecordAsync(batch).AsTask()), Task.Run(() => b.RecordAsync([.. Enumerable.Reverse(batch)]).AsTask()));
            At(at + Grace);
            await Task.WhenAll(Task.Run(() => a.RunDueAsync()), Task.Run(() => b.RunDueAsync()));
            await Task.WhenAll(Task.Run(() => a.DeliverAsync()), Task.Run(() => b.DeliverAsync()));
        }

        // Rounds 0 and 2 are outages (offline, then the recovery in rounds 1 and 3); every id exactly once.
        var ids = notifier.Sent.Select(n => n.NotificationId).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        var expected = things.SelectMany(t => new[] { T0, T0.AddMinutes(20) }.SelectMany(start => new[] { Outage(t, start), Outage(t, start) + "#recovered" }));
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        // Per device: two events and two re-checks committed once each; the other engine's duplicate changed nothing.
        Assert.All(await shared.LoadAsync(things), d => Assert.Equal(6, d.Version));
    }

    /// <summary>A channel that fails a number of times, or until a time, and records when it was tried.</summary>
    private sealed class FlakyNotifier(TimeProvider time) : INotifier
    {
        private readonly Lock _lock = new();

        public int FailuresLeft { get; set; }

        public DateTimeOffset DownUntil { get; init; } = DateTimeOffset.MinValue;

        public List<DateTimeOffset> Attempts { get; } = [];

        public List<DeviceNotification> Sent { get; } = [];

        public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                Attempts.Add(time.GetUtcNow());
                if (FailuresLeft > 0 || time.GetUtcNow() < DownUntil)
                {
                    FailuresLeft--;
                    throw new InvalidOperationException("channel down");
                }

                Sent.Add(notification);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A store that lets another process commit right before this one's next commit (what a race looks like).</summary>
    private sealed class InterleavingStore(IDeviceStore inner) : IDeviceStore
    {
        public Func<Task>? BeforeNextCommit { get; set; }

        public int Commits { get; private set; }

        public ValueTask<IReadOnlyList<StoredDevice>> LoadAsync(IReadOnlyCollection<string> thingNames, CancellationToken cancellationToken = default)
            => inner.LoadAsync(thingNames, cancellationToken);

        public async ValueTask<IReadOnlyCollection<string>> CommitAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken = default)
        {
            Commits++;
            if (BeforeNextCommit is { } interleave)
            {
                BeforeNextCommit = null;
                await interleave();
            }

            return await inner.CommitAsync(changes, cancellationToken);
        }

        public ValueTask<IReadOnlyList<string>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
            => inner.ClaimDueAsync(now, lease, max, cancellationToken);

        public ValueTask<IReadOnlyList<PendingDelivery>> ClaimDeliveriesAsync(string channel, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
            => inner.ClaimDeliveriesAsync(channel, now, lease, max, cancellationToken);

        public ValueTask CompleteDeliveryAsync(long sequence, CancellationToken cancellationToken = default)
            => inner.CompleteDeliveryAsync(sequence, cancellationToken);

        public ValueTask RetryDeliveryAsync(long sequence, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
            => inner.RetryDeliveryAsync(sequence, retryAt, cancellationToken);

        public ValueTask<IReadOnlyList<ListedDevice>> ListByStatusAsync(DeviceStatusQuery query, CancellationToken cancellationToken = default)
            => inner.ListByStatusAsync(query, cancellationToken);

        public ValueTask<DeviceStoreCounts> CountAsync(CancellationToken cancellationToken = default)
            => inner.CountAsync(cancellationToken);
    }
}
