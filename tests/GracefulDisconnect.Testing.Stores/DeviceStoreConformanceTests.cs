namespace GracefulDisconnect.Testing.Stores;

/// <summary>
/// What every <see cref="IDeviceStore"/> must do, as the engine relies on it: optimistic commits per device, due
/// wakes claimed by one caller at a time, and an outbox per (channel, notification) that is delivered until
/// acknowledged. A store's test project derives from this class and says how to make a fresh, empty store.
/// </summary>
/// <remarks>
/// Times are whole seconds, so a store that keeps milliseconds (or seconds) passes; leases are never probed at their
/// exact end. Two-writer tests use <see cref="OpenSecondAsync"/>: a store shared between processes returns a second
/// connection to the same data, the in-memory store the same instance.
/// </remarks>
public abstract class DeviceStoreConformanceTests : IAsyncLifetime
{
    /// <summary>2026-01-01T12:00:00Z, the time the tests start from.</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The lease the tests claim with.</summary>
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly List<IDeviceStore> _opened = [];

    /// <summary>Creates a fresh, empty store.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IDeviceStore> CreateStoreAsync();

    /// <summary>Opens a second store over the same data as <paramref name="first"/> (another process's view); by default the same instance.</summary>
    /// <param name="first">A store made by <see cref="CreateStoreAsync"/>.</param>
    /// <returns>The second store.</returns>
    protected virtual Task<IDeviceStore> OpenSecondAsync(IDeviceStore first) => Task.FromResult(first);

    /// <inheritdoc/>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        foreach (var store in _opened.Distinct())
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    [Fact]
    public async Task LoadAsync_UnknownDevices_ReturnsNothing()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("known", 0, "k"));

        var loaded = await store.LoadAsync(["unknown-1", "unknown-2"]);

        Assert.Empty(loaded);
        var empty = await NewAsync();
        Assert.Empty(await empty.LoadAsync(["known", "unknown-1"]));
    }

    [Fact]
    public async Task LoadAsync_SomeKnown_ReturnsExactlyTheStoredOnes()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("a", 0, "state of a"), Change("b", 0, "state of b"));

        var loaded = await store.LoadAsync(["a", "missing", "b"]);

        Assert.Equal([("a", 1L, "state of a"), ("b", 1L, "state of b")], loaded.Select(d => (d.ThingName, d.Version, d.State)).OrderBy(d => d.ThingName, StringComparer.Ordinal));
    }

    [Fact]
    public async Task CommitAsync_ExpectedVersionZero_CreatesVersionOne()
    {
        var store = await NewAsync();

        var conflicts = await store.CommitAsync([Change("t1", 0, "{\"s\":1}")]);

        Assert.Empty(conflicts);
        var stored = Assert.Single(await store.LoadAsync(["t1"]));
        Assert.Equal(new StoredDevice("t1", 1, "{\"s\":1}"), stored);
    }

    [Fact]
    public async Task CommitAsync_LoadedVersion_WritesTheNextVersion()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("t1", 0, "one"));
        await CommitAllAsync(store, Change("t1", 1, "two"));
        await CommitAllAsync(store, Change("t1", 2, "three ✓ ünïcödé \"quoted\""));

        var stored = Assert.Single(await store.LoadAsync(["t1"]));

        Assert.Equal(new StoredDevice("t1", 3, "three ✓ ünïcödé \"quoted\""), stored);
    }

    [Fact]
    public async Task CommitAsync_StaleExpectedVersion_IsAConflictThatWritesNothingWhileTheOtherChangesAreWritten()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("stale", 0, "v1", T0), Change("fresh", 0, "v1"));
        await CommitAllAsync(store, Change("stale", 1, "v2", T0));

        var conflicts = await store.CommitAsync(
        [
            Change("stale", 1, "lost", T0.AddHours(-1), Message("ch", "stale@1")),
            Change("fresh", 1, "v2", null, Message("ch", "fresh@1")),
            Change("new", 0, "v1", null, Message("ch", "new@1")),
        ]);

        Assert.Equal(["stale"], conflicts);
        var loaded = (await store.LoadAsync(["stale", "fresh", "new"])).ToDictionary(d => d.ThingName, StringComparer.Ordinal);
        Assert.Equal(new StoredDevice("stale", 2, "v2"), loaded["stale"]);
        Assert.Equal(new StoredDevice("fresh", 2, "v2"), loaded["fresh"]);
        Assert.Equal(new StoredDevice("new", 1, "v1"), loaded["new"]);
        Assert.Equal(["fresh@1", "new@1"], (await ClaimAllAsync(store, "ch", T0)).Select(d => d.NotificationId));

        // The stale change's wake time was not written either: the device is still due at T0, not an hour before.
        Assert.Empty(await store.ClaimDueAsync(T0.AddSeconds(-1), Lease, 10));
        Assert.Equal(["stale"], await store.ClaimDueAsync(T0, Lease, 10));
    }

    [Fact]
    public async Task CommitAsync_ExpectedVersionZeroForAStoredDevice_IsAConflict()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("t1", 0, "first"));

        var conflicts = await store.CommitAsync([Change("t1", 0, "second", null, Message("ch", "t1@1"))]);

        Assert.Equal(["t1"], conflicts);
        Assert.Equal(new StoredDevice("t1", 1, "first"), Assert.Single(await store.LoadAsync(["t1"])));
        Assert.Empty(await store.ClaimDeliveriesAsync("ch", T0, Lease, 10));
    }

    [Fact]
    public async Task CommitAsync_ExpectedVersionAheadOfTheStoredOne_IsAConflict()
    {
        var store = await NewAsync();

        var conflicts = await store.CommitAsync([Change("t1", 5, "from the future")]);

        Assert.Equal(["t1"], conflicts);
        Assert.Empty(await store.LoadAsync(["t1"]));
    }

    [Fact]
    public async Task CommitAsync_TwoWritersRacingOnOneDevice_ExactlyOneWinsEachRound()
    {
        var first = await NewAsync();
        var second = await OpenSecondAsync(first);
        Track(second);
        await CommitAllAsync(first, Change("contested", 0, "start"));

        const int Rounds = 25;
        for (var round = 0; round < Rounds; round++)
        {
            var version = Assert.Single(await first.LoadAsync(["contested"])).Version;
            Assert.Equal(Assert.Single(await second.LoadAsync(["contested"])).Version, version);
            using var start = new ManualResetEventSlim();
            var a = Task.Run(async () =>
            {
                start.Wait();
                return await first.CommitAsync([Change("contested", version, $"a{round}", null, Message("ch", $"a{round}"))]);
            });
            var b = Task.Run(async () =>
            {
                start.Wait();
                return await second.CommitAsync([Change("contested", version, $"b{round}", null, Message("ch", $"b{round}"))]);
            });
            start.Set();
            var results = await Task.WhenAll(a, b);

            Assert.Equal(1, results.Count(conflicts => conflicts.Count == 0));
            Assert.Equal(1, results.Count(conflicts => conflicts.SequenceEqual(["contested"])));
            var winner = results[0].Count == 0 ? $"a{round}" : $"b{round}";
            Assert.Equal(new StoredDevice("contested", version + 1, winner), Assert.Single(await first.LoadAsync(["contested"])));
            var sent = await ClaimAllAsync(first, "ch", T0);
            Assert.Equal([winner], sent.Select(d => d.NotificationId));
            await first.CompleteDeliveryAsync(sent[0].Sequence);
        }

        Assert.Equal(Rounds + 1, Assert.Single(await second.LoadAsync(["contested"])).Version);
    }

    [Fact]
    public async Task ClaimDueAsync_SomeDue_ReturnsOnlyTheDueOnesEarliestFirst()
    {
        var store = await NewAsync();
        await CommitAllAsync(
            store,
            Change("later", 0, "s", T0.AddSeconds(30)),
            Change("due-second", 0, "s", T0.AddSeconds(-10)),
            Change("due-now", 0, "s", T0),
            Change("due-first", 0, "s", T0.AddMinutes(-5)),
            Change("never", 0, "s", null));

        var claimed = await store.ClaimDueAsync(T0, Lease, 10);

        Assert.Equal(["due-first", "due-second", "due-now"], claimed);
    }

    [Fact]
    public async Task ClaimDueAsync_MoreDueThanMax_ReturnsTheEarliestMax()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, [.. Enumerable.Range(0, 7).Select(i => Change($"t{i}", 0, "s", T0.AddSeconds(-i)))]);

        var first = await store.ClaimDueAsync(T0, Lease, 3);
        var second = await store.ClaimDueAsync(T0, Lease, 3);
        var third = await store.ClaimDueAsync(T0, Lease, 3);

        Assert.Equal(["t6", "t5", "t4"], first);
        Assert.Equal(["t3", "t2", "t1"], second);
        Assert.Equal(["t0"], third);
    }

    [Fact]
    public async Task ClaimDueAsync_ClaimedDevice_IsNotReturnedAgainUntilTheLeaseExpires()
    {
        var store = await NewAsync();
        var other = await OpenSecondAsync(store);
        Track(other);
        await CommitAllAsync(store, Change("t1", 0, "s", T0));

        Assert.Equal(["t1"], await store.ClaimDueAsync(T0, Lease, 10));
        Assert.Empty(await store.ClaimDueAsync(T0, Lease, 10));
        Assert.Empty(await other.ClaimDueAsync(T0.AddSeconds(30), Lease, 10));
        Assert.Empty(await other.ClaimDueAsync(T0 + Lease - TimeSpan.FromSeconds(1), Lease, 10));

        // The claimer died: after the lease anyone may take it over, once.
        var later = T0 + Lease + TimeSpan.FromSeconds(1);
        Assert.Equal(["t1"], await other.ClaimDueAsync(later, Lease, 10));
        Assert.Empty(await store.ClaimDueAsync(later, Lease, 10));
    }

    [Fact]
    public async Task ClaimDueAsync_AfterACommitOfTheClaimedDevice_TheClaimIsOver()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("t1", 0, "s", T0), Change("t2", 0, "s", T0));
        Assert.Equal(["t1", "t2"], (await store.ClaimDueAsync(T0, Lease, 10)).Order(StringComparer.Ordinal));

        // t1 committed with a wake that is still due: due again at once. t2 committed with a later wake: due then.
        await CommitAllAsync(store, Change("t1", 1, "s2", T0), Change("t2", 1, "s2", T0.AddSeconds(20)));

        Assert.Equal(["t1"], await store.ClaimDueAsync(T0.AddSeconds(1), Lease, 10));
        Assert.Empty(await store.ClaimDueAsync(T0.AddSeconds(19), Lease, 10));
        Assert.Equal(["t2"], await store.ClaimDueAsync(T0.AddSeconds(20), Lease, 10));
    }

    [Fact]
    public async Task ClaimDueAsync_WakeOfNull_IsNeverClaimed()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("t1", 0, "s", T0), Change("t2", 0, "s", null));
        await CommitAllAsync(store, Change("t1", 1, "s", null));

        Assert.Empty(await store.ClaimDueAsync(T0, Lease, 10));
        Assert.Empty(await store.ClaimDueAsync(DateTimeOffset.MaxValue.AddYears(-1), Lease, 10));
        Assert.Equal(new DeviceStoreCounts(0, 0, 0), await store.CountAsync());
    }

    [Fact]
    public async Task ClaimDueAsync_WakeMovedEarlierOrLater_IsDueAtTheNewTimeOnly()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("earlier", 0, "s", T0.AddMinutes(10)), Change("later", 0, "s", T0));
        await CommitAllAsync(store, Change("earlier", 1, "s", T0), Change("later", 1, "s", T0.AddMinutes(10)));

        Assert.Equal(["earlier"], await store.ClaimDueAsync(T0, Lease, 10));

        // The claim of "earlier" has expired by then and it is still due: it comes first again.
        Assert.Equal(["earlier", "later"], await store.ClaimDueAsync(T0.AddMinutes(10), Lease, 10));
    }

    [Fact]
    public async Task ClaimDueAsync_TwoClaimersRacing_EachDeviceGoesToExactlyOne()
    {
        var first = await NewAsync();
        var second = await OpenSecondAsync(first);
        Track(second);
        await CommitAllAsync(first, [.. Enumerable.Range(0, 40).Select(i => Change($"t{i}", 0, "s", T0.AddSeconds(-i)))]);

        using var start = new ManualResetEventSlim();
        async Task<List<string>> Claim(IDeviceStore store)
        {
            start.Wait();
            var mine = new List<string>();
            while (await store.ClaimDueAsync(T0, Lease, 3) is { Count: > 0 } batch)
            {
                mine.AddRange(batch);
            }

            return mine;
        }

        var a = Task.Run(() => Claim(first));
        var b = Task.Run(() => Claim(second));
        start.Set();
        var results = await Task.WhenAll(a, b);

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ClaimDeliveriesAsync_MessagesOfSeveralCommits_ComePerChannelInCommitOrder()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("t1", 0, "s", null, Message("sms", "t1@1"), Message("mail", "t1@1")));
        await CommitAllAsync(store, Change("t2", 0, "s", null, Message("mail", "t2@1"), Message("mail", "t2@1#recovered"), Message("sms", "t2@1")));
        await CommitAllAsync(store, Change("t1", 1, "s", null, Message("mail", "t1@1#recovered")));

        var mail = await store.ClaimDeliveriesAsync("mail", T0, Lease, 10);
        var sms = await store.ClaimDeliveriesAsync("sms", T0, Lease, 10);

        Assert.Equal(["t1@1", "t2@1", "t2@1#recovered", "t1@1#recovered"], mail.Select(d => d.NotificationId));
        Assert.Equal(["t1@1", "t2@1"], sms.Select(d => d.NotificationId));
        Assert.All(mail, d => Assert.Equal("mail", d.Channel));
        Assert.All(sms, d => Assert.Equal("sms", d.Channel));
        Assert.All(mail.Concat(sms), d => Assert.Equal(0, d.Attempts));
        Assert.Equal($"payload of t2@1#recovered", mail[2].Payload);
        Assert.True(mail.Zip(mail.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence), "sequences grow in commit order");
        Assert.Empty(await store.ClaimDeliveriesAsync("teams", T0, Lease, 10));
    }

    [Fact]
    public async Task ClaimDeliveriesAsync_MoreThanMax_ReturnsTheOldestMax()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("t1", 0, "s", null, [.. Enumerable.Range(0, 5).Select(i => Message("ch", $"n{i}"))]));

        var first = await store.ClaimDeliveriesAsync("ch", T0, Lease, 2);
        var second = await store.ClaimDeliveriesAsync("ch", T0, Lease, 2);
        var third = await store.ClaimDeliveriesAsync("ch", T0, Lease, 2);

        Assert.Equal(["n0", "n1"], first.Select(d => d.NotificationId));
        Assert.Equal(["n2", "n3"], second.Select(d => d.NotificationId));
        Assert.Equal(["n4"], third.Select(d => d.NotificationId));
    }

    [Fact]
    public async Task CommitAsync_SameChannelAndNotificationIdTwice_IsKeptOnce()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("t1", 0, "s", null, Message("ch", "t1@1"), Message("other", "t1@1")));
        await CommitAllAsync(store, Change("t1", 1, "s", null, Message("ch", "t1@1"), Message("ch", "t1@2")));

        Assert.Equal(["t1@1", "t1@2"], (await ClaimAllAsync(store, "ch", T0)).Select(d => d.NotificationId));
        Assert.Equal(["t1@1"], (await ClaimAllAsync(store, "other", T0)).Select(d => d.NotificationId));
        Assert.Equal(3, (await store.CountAsync()).Undelivered);
    }

    [Fact]
    public async Task CommitAsync_NotificationAlreadyAcknowledged_IsNotOfferedAgain()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("t1", 0, "s", null, Message("ch", "t1@1")));
        var delivery = Assert.Single(await store.ClaimDeliveriesAsync("ch", T0, Lease, 10));
        await store.CompleteDeliveryAsync(delivery.Sequence);

        // A step redone after a conflict, or a second process deciding the same notification, commits it again.
        await CommitAllAsync(store, Change("t1", 1, "s", null, Message("ch", "t1@1")));

        Assert.Empty(await store.ClaimDeliveriesAsync("ch", T0.AddDays(1), Lease, 10));
    }

    [Fact]
    public async Task CompleteDeliveryAsync_Acknowledged_IsNeverOfferedAgain()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("t1", 0, "s", null, Message("ch", "t1@1"), Message("ch", "t1@1#recovered")));
        var claimed = await store.ClaimDeliveriesAsync("ch", T0, Lease, 10);

        await store.CompleteDeliveryAsync(claimed[0].Sequence);

        Assert.Empty(await store.ClaimDeliveriesAsync("ch", T0, Lease, 10));
        var afterLease = await store.ClaimDeliveriesAsync("ch", T0 + Lease + TimeSpan.FromSeconds(1), Lease, 10);
        Assert.Equal(["t1@1#recovered"], afterLease.Select(d => d.NotificationId));
        Assert.DoesNotContain(await store.ClaimDeliveriesAsync("ch", T0.AddDays(30), Lease, 10), d => d.NotificationId == "t1@1");
        Assert.Equal(1, (await store.CountAsync()).Undelivered);
    }

    [Fact]
    public async Task RetryDeliveryAsync_FailedAttempt_IsOfferedAgainOnlyAtRetryAtWithOneMoreAttempt()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("t1", 0, "s", null, Message("ch", "t1@1")));
        var first = Assert.Single(await store.ClaimDeliveriesAsync("ch", T0, Lease, 10));
        Assert.Equal(0, first.Attempts);

        // Retry before the lease would end: the retry time decides, not the lease.
        await store.RetryDeliveryAsync(first.Sequence, T0.AddSeconds(10));
        Assert.Empty(await store.ClaimDeliveriesAsync("ch", T0.AddSeconds(9), Lease, 10));
        var second = Assert.Single(await store.ClaimDeliveriesAsync("ch", T0.AddSeconds(10), Lease, 10));
        Assert.Equal((first.Sequence, "t1@1", first.Payload, 1), (second.Sequence, second.NotificationId, second.Payload, second.Attempts));

        // Retry after the lease would end: still not before its time.
        await store.RetryDeliveryAsync(second.Sequence, T0.AddMinutes(5));
        Assert.Empty(await store.ClaimDeliveriesAsync("ch", T0.AddMinutes(4), Lease, 10));
        var third = Assert.Single(await store.ClaimDeliveriesAsync("ch", T0.AddMinutes(6), Lease, 10));
        Assert.Equal(2, third.Attempts);
        Assert.Equal(1, (await store.CountAsync()).Undelivered);
    }

    [Fact]
    public async Task RetryDeliveryAsync_OneChannelFailing_DoesNotHoldBackAnotherChannel()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, Change("t1", 0, "s", null, Message("failing", "t1@1"), Message("working", "t1@1")));
        var failing = Assert.Single(await store.ClaimDeliveriesAsync("failing", T0, Lease, 10));
        await store.RetryDeliveryAsync(failing.Sequence, T0.AddHours(1));

        var working = Assert.Single(await store.ClaimDeliveriesAsync("working", T0, Lease, 10));

        Assert.Equal("t1@1", working.NotificationId);
        Assert.Equal(0, working.Attempts);
        await store.CompleteDeliveryAsync(working.Sequence);
        Assert.Empty(await store.ClaimDeliveriesAsync("working", T0.AddDays(1), Lease, 10));
        Assert.Single(await store.ClaimDeliveriesAsync("failing", T0.AddHours(1), Lease, 10));
    }

    [Fact]
    public async Task ClaimDeliveriesAsync_ClaimedMessage_IsNotOfferedAgainWithinItsLeaseAndIsTakenOverAfter()
    {
        var store = await NewAsync();
        var other = await OpenSecondAsync(store);
        Track(other);
        await CommitAllAsync(store, Change("t1", 0, "s", null, Message("ch", "t1@1")));

        var claimed = Assert.Single(await store.ClaimDeliveriesAsync("ch", T0, Lease, 10));
        Assert.Empty(await store.ClaimDeliveriesAsync("ch", T0, Lease, 10));
        Assert.Empty(await other.ClaimDeliveriesAsync("ch", T0 + Lease - TimeSpan.FromSeconds(1), Lease, 10));

        // The sender died without completing or retrying: another takes the message over after the lease, once.
        var later = T0 + Lease + TimeSpan.FromSeconds(1);
        var takenOver = Assert.Single(await other.ClaimDeliveriesAsync("ch", later, Lease, 10));
        Assert.Equal((claimed.Sequence, claimed.NotificationId, claimed.Payload), (takenOver.Sequence, takenOver.NotificationId, takenOver.Payload));
        Assert.Empty(await store.ClaimDeliveriesAsync("ch", later, Lease, 10));
        await other.CompleteDeliveryAsync(takenOver.Sequence);
        Assert.Equal(0, (await store.CountAsync()).Undelivered);
    }

    [Fact]
    public async Task ClaimDeliveriesAsync_TwoSendersRacing_EachMessageGoesToExactlyOne()
    {
        var first = await NewAsync();
        var second = await OpenSecondAsync(first);
        Track(second);
        await CommitAllAsync(first, Change("t1", 0, "s", null, [.. Enumerable.Range(0, 30).Select(i => Message("ch", $"n{i}"))]));

        using var start = new ManualResetEventSlim();
        async Task<List<long>> Claim(IDeviceStore store)
        {
            start.Wait();
            var mine = new List<long>();
            while (await store.ClaimDeliveriesAsync("ch", T0, Lease, 2) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(d => d.Sequence));
            }

            return mine;
        }

        var a = Task.Run(() => Claim(first));
        var b = Task.Run(() => Claim(second));
        start.Set();
        var results = await Task.WhenAll(a, b);

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(30, all.Count);
        Assert.Equal(30, all.Distinct().Count());
    }

    [Fact]
    public async Task CountAsync_CountsDevicesWithAWakeAndUndeliveredMessages()
    {
        var store = await NewAsync();
        Assert.Equal(new DeviceStoreCounts(0, 0, 0), await store.CountAsync());

        await CommitAllAsync(
            store,
            Change("waking-1", 0, "s", T0, Message("a", "n1"), Message("b", "n1")),
            Change("waking-2", 0, "s", T0.AddDays(1)),
            Change("idle", 0, "s", null, Message("a", "n2")));
        Assert.Equal(new DeviceStoreCounts(2, 3, 0), await store.CountAsync());

        // Claims change nothing; a commit without a wake, a completed and a retried message do.
        Assert.Single(await store.ClaimDueAsync(T0, Lease, 10));
        Assert.Equal(new DeviceStoreCounts(2, 3, 0), await store.CountAsync());
        await CommitAllAsync(store, Change("waking-1", 1, "s", null));
        var a = await store.ClaimDeliveriesAsync("a", T0, Lease, 10);
        await store.CompleteDeliveryAsync(a[0].Sequence);
        await store.RetryDeliveryAsync(a[1].Sequence, T0.AddMinutes(1));
        Assert.Equal(new DeviceStoreCounts(1, 2, 0), await store.CountAsync());
    }

    [Fact]
    public async Task ListByStatusAsync_OfflineOldestFirst_ListsOnlyDevicesWhoseCommittedStatusIsOffline()
    {
        var store = await NewAsync();
        await CommitAllAsync(
            store,
            WithStatus(Change("down-recent", 0, "r"), offline: true, T0.AddMinutes(-1)),
            WithStatus(Change("down-long", 0, "l"), offline: true, T0.AddDays(-2)),
            WithStatus(Change("up", 0, "u"), offline: false, T0.AddDays(-3)),
            Change("unknown", 0, "no status"));

        var offline = await store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, Max: 10));
        var online = await store.ListByStatusAsync(new DeviceStatusQuery(Offline: false, Max: 10));

        Assert.Equal(
            [new ListedDevice(new StoredDevice("down-long", 1, "l"), new DeviceStatus(true, T0.AddDays(-2))), new ListedDevice(new StoredDevice("down-recent", 1, "r"), new DeviceStatus(true, T0.AddMinutes(-1)))],
            offline);
        Assert.Equal([new ListedDevice(new StoredDevice("up", 1, "u"), new DeviceStatus(false, T0.AddDays(-3)))], online);
    }

    [Fact]
    public async Task ListByStatusAsync_AfterACommit_ListsTheDeviceByItsNewStatusOnly()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, WithStatus(Change("t1", 0, "v1"), offline: true, T0), WithStatus(Change("t2", 0, "v1"), offline: true, T0));
        await CommitAllAsync(store, WithStatus(Change("t1", 1, "v2"), offline: false, T0.AddMinutes(5)), Change("t2", 1, "v2 without status"));

        // A conflicting change writes no status either.
        Assert.Equal(["t1"], await store.CommitAsync([WithStatus(Change("t1", 1, "lost"), offline: true, T0.AddMinutes(9))]));

        Assert.Empty(await store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, Max: 10)));
        var online = Assert.Single(await store.ListByStatusAsync(new DeviceStatusQuery(Offline: false, Max: 10)));
        Assert.Equal(new ListedDevice(new StoredDevice("t1", 2, "v2"), new DeviceStatus(false, T0.AddMinutes(5))), online);
        Assert.Equal(0, (await store.CountAsync()).Offline);
    }

    [Fact]
    public async Task ListByStatusAsync_PagesInEitherOrder_ListEveryDeviceOnceWithTiesByOrdinalName()
    {
        var store = await NewAsync();

        // Names whose ordinal order differs from a culture's ("B" < "a" < "b"), five of them at one instant.
        string[] tied = ["b", "B", "a", "A-1", "_"];
        var changes = tied.Select(thing => WithStatus(Change(thing, 0, thing), offline: true, T0)).ToList();
        changes.Add(WithStatus(Change("early", 0, "early"), offline: true, T0.AddSeconds(-1)));
        changes.Add(WithStatus(Change("late", 0, "late"), offline: true, T0.AddSeconds(1)));
        changes.Add(WithStatus(Change("online", 0, "online"), offline: false, T0));
        await CommitAllAsync(store, [.. changes]);
        string[] ascending = ["early", .. tied.Order(StringComparer.Ordinal), "late"];

        foreach (var newestFirst in new[] { false, true })
        {
            var seen = new List<string>();
            DeviceStatusCursor? after = null;
            for (var page = 0; page < 10; page++)
            {
                var listed = await store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, Max: 2) { NewestFirst = newestFirst, After = after });
                Assert.True(listed.Count <= 2);
                if (listed.Count == 0)
                {
                    break;
                }

                seen.AddRange(listed.Select(device => device.Device.ThingName));
                after = listed[^1].Cursor;
            }

            Assert.Equal(newestFirst ? ascending.Reverse() : ascending, seen);
        }
    }

    [Fact]
    public async Task ListByStatusAsync_AfterTheLastDevice_ReturnsNothing()
    {
        var store = await NewAsync();
        await CommitAllAsync(store, WithStatus(Change("only", 0, "s"), offline: true, T0));

        var first = Assert.Single(await store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, Max: 5)));

        Assert.Empty(await store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, Max: 5) { After = first.Cursor }));
        Assert.Empty(await store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, Max: 5) { After = first.Cursor, NewestFirst = true }));
        Assert.Empty(await store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, Max: 5) { After = new DeviceStatusCursor(T0.AddDays(1), "") }));
        Assert.Single(await store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, Max: 5) { After = new DeviceStatusCursor(T0.AddDays(1), ""), NewestFirst = true }));
    }

    [Fact]
    public async Task CountAsync_Offline_CountsDevicesWhoseCommittedStatusIsOffline()
    {
        var store = await NewAsync();
        await CommitAllAsync(
            store,
            WithStatus(Change("down-1", 0, "s"), offline: true, T0),
            WithStatus(Change("down-2", 0, "s", T0.AddMinutes(5)), offline: true, T0),
            WithStatus(Change("up", 0, "s"), offline: false, T0),
            Change("unknown", 0, "s"));

        Assert.Equal(new DeviceStoreCounts(1, 0, 2), await store.CountAsync());
        await CommitAllAsync(store, WithStatus(Change("down-1", 1, "s"), offline: false, T0.AddMinutes(1)));
        Assert.Equal(new DeviceStoreCounts(1, 0, 1), await store.CountAsync());
    }

    /// <summary>The change with a status.</summary>
    protected static DeviceChange WithStatus(DeviceChange change, bool offline, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change with { Status = new DeviceStatus(offline, since) };
    }

    /// <summary>One device's change.</summary>
    protected static DeviceChange Change(string thing, long expectedVersion, string state, DateTimeOffset? wakeAt = null, params OutboxMessage[] outbox)
        => new(thing, expectedVersion, state, wakeAt, outbox);

    /// <summary>An outbox message whose payload names it.</summary>
    protected static OutboxMessage Message(string channel, string notificationId) => new(channel, notificationId, $"payload of {notificationId}");

    /// <summary>Commits and requires that nothing conflicted.</summary>
    protected static async Task CommitAllAsync(IDeviceStore store, params DeviceChange[] changes)
    {
        ArgumentNullException.ThrowIfNull(store);
        var conflicts = await store.CommitAsync(changes);
        Assert.Empty(conflicts);
    }

    /// <summary>Claims every message of a channel due at <paramref name="now"/>.</summary>
    protected static async Task<List<PendingDelivery>> ClaimAllAsync(IDeviceStore store, string channel, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        var all = new List<PendingDelivery>();
        while (await store.ClaimDeliveriesAsync(channel, now, Lease, 100) is { Count: > 0 } batch)
        {
            all.AddRange(batch);
        }

        return all;
    }

    private async Task<IDeviceStore> NewAsync()
    {
        var store = await CreateStoreAsync();
        Track(store);
        return store;
    }

    private void Track(IDeviceStore store) => _opened.Add(store);
}
