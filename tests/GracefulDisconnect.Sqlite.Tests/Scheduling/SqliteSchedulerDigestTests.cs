using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace GracefulDisconnect.Sqlite.Tests.Scheduling;

/// <summary>
/// Storm digests through the SQLite scheduler and the whole engine on the store: a re-check held for its batch gives
/// its slot back (the scheduler counts it as waiting), so a storm far larger than MaxConcurrentRechecks fills one
/// digest, and the waiting count returns to zero once the batch is sent.
/// </summary>
public sealed class SqliteSchedulerDigestTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TestProcess.Epoch;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private static readonly FieldInfo WaitingField = typeof(SqliteScheduler).GetField("_waiting", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("SqliteScheduler._waiting not found");

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public async Task Storm_200ThingsAtOnce_AllHeldTogetherThenOneDigestAndNothingLeftWaiting(int maxConcurrent)
    {
        await using var process = await StartAsync(maxConcurrent);
        using var decisions = Decisions(process);
        var things = await StormAsync(process, "t", 200, T0);

        process.Time.Advance(Grace);

        // Every re-check runs and waits for the batch: far more in flight than slots, all of them waiting.
        await Eventually.TrueAsync(() => Waiting(process) == things.Length, () => $"all {things.Length} waiting (waiting {Waiting(process)}, in flight {process.Scheduler.InFlightCount})");
        Assert.Equal(things.Length, process.Scheduler.InFlightCount);
        Assert.Empty(process.Notifier.Sent);

        process.Time.Advance(Window);

        await Eventually.TrueAsync(() => process.Scheduler.InFlightCount == 0, () => $"every re-check to finish (in flight {process.Scheduler.InFlightCount})");
        var digest = Assert.Single(process.Notifier.Sent);
        Assert.Equal(NotificationKind.Digest, digest.Kind);
        Assert.Equal(things, digest.Things.Order(StringComparer.Ordinal));
        Assert.Equal(T0 + Grace + Window, digest.DecidedAt);
        Assert.Equal(0, Waiting(process));

        // Each re-check ran once: none started again from a row read while it was still in flight.
        Assert.Equal(things.Select(_ => "notify"), decisions.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!));
        await Eventually.TrueAsync(async () => (await process.Scheduler.Queries.CountAsync(0, default)).Pending == 0, "every row deleted");
        foreach (var thing in things.Take(5))
        {
            Assert.Equal(OutboxStatus.Sent, (await process.Outbox.FindAsync(new OutageId(thing, T0)))!.Status);
        }

        // The slots are all there: a storm one larger than them runs, is held and goes out.
        var followUp = await StormAsync(process, "f", maxConcurrent + 1, process.Time.GetUtcNow());
        process.Time.Advance(Grace);
        await Eventually.TrueAsync(() => Waiting(process) == followUp.Length, () => $"the follow-up waiting (waiting {Waiting(process)})");
        process.Time.Advance(Window);
        await Eventually.TrueAsync(() => process.Scheduler.InFlightCount == 0 && process.Notifier.Sent.Count > 1, "the follow-up to finish");

        var told = process.Notifier.Sent.Skip(1).ToArray();
        Assert.Equal(followUp, told.SelectMany(n => n.Kind == NotificationKind.Digest ? n.Things : new[] { n.ThingName }).Order(StringComparer.Ordinal));
        Assert.Equal(0, Waiting(process));
    }

    [Fact]
    public async Task Storm_DigestFails_HeldRechecksGiveBackWaitingAndAreRetriedIntoTheNextDigest()
    {
        // Both attempts of the first digest fail.
        var notifier = new RecordingNotifier { Fails = attempt => attempt <= 2 };
        await using var process = await StartAsync(
            3,
            notifier,
            o =>
            {
                o.NotifyAttempts = 2;
                o.NotifyRetryDelay = TimeSpan.Zero;
            },

            // The outbox backs off longer than the re-checks' retry delay, so the re-checks retry first (with its
            // default backoff of 5 s and a retry delay of 1 min, the outbox would send each one on its own instead).
            s =>
            {
                s.OutboxInitialBackoff = TimeSpan.FromHours(1);
                s.OutboxMaxBackoff = TimeSpan.FromHours(1);
            });
        using var decisions = Decisions(process);
        var things = await StormAsync(process, "t", 20, T0);

        process.Time.Advance(Grace);
        await Eventually.TrueAsync(() => Waiting(process) == things.Length, () => $"all waiting (waiting {Waiting(process)})");
        process.Time.Advance(Window);

        // Failed: the rows stay, due again after the retry delay, and no re-check is left counted as waiting.
        await Eventually.TrueAsync(() => notifier.Attempts == 2 && process.Scheduler.InFlightCount == 0, "the failed digest and every re-check to finish");
        Assert.Equal(0, Waiting(process));
        Assert.Empty(notifier.Sent);
        Assert.Equal(things.Length, (await process.Scheduler.Queries.CountAsync(0, default)).Pending);

        // All retries come due at once (the clock stands still meanwhile, so they all join the next batch).
        process.Time.Advance(RetryDelay);
        await Eventually.TrueAsync(() => Waiting(process) == things.Length, () => $"the retries held again (waiting {Waiting(process)})");
        process.Time.Advance(Window);
        await Eventually.TrueAsync(() => notifier.Sent.Count == 1 && process.Scheduler.InFlightCount == 0, "the second digest");

        Assert.Equal(things, Assert.Single(notifier.Sent).Things.Order(StringComparer.Ordinal));
        Assert.Equal(0, Waiting(process));
        Assert.Equal(
            things.Select(_ => "failed").Concat(things.Select(_ => "notify")),
            decisions.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!));
    }

    private static MetricCollector<long> Decisions(TestProcess process)
        => new(process.Services.GetRequiredService<IMeterFactory>(), GracefulDisconnectMetrics.MeterName, "gracefuldisconnect.rechecks");

    private static int Waiting(TestProcess process) => (int)WaitingField.GetValue(process.Scheduler)!;

    private Task<TestProcess> StartAsync(int maxConcurrent, RecordingNotifier? notifier = null, Action<GracefulDisconnectOptions>? engine = null, Action<SqliteStoreOptions>? store = null)
        => TestProcess.Create(
            _database.Path,
            notifier: notifier,
            engine: o =>
            {
                o.GracePeriod = Grace;
                o.RetryDelay = RetryDelay;
                o.MaxConcurrentRechecks = maxConcurrent;
                o.Digest = new DigestThreshold(Window, 10);
                engine?.Invoke(o);
            },

            store: s =>
            {
                // Longer than the window: with a lease shorter than it, the outbox sends held notifications itself.
                s.OutboxLease = TimeSpan.FromMinutes(5);
                store?.Invoke(s);
            }).StartAsync();

    /// <summary><paramref name="count"/> devices go offline at <paramref name="at"/>: recorded in the store, then handed to the monitor.</summary>
    private static async Task<string[]> StormAsync(TestProcess process, string prefix, int count, DateTimeOffset at)
    {
        var things = Enumerable.Range(0, count).Select(i => $"{prefix}{i:D3}").ToArray();
        await Task.WhenAll(things.Select(async thing =>
        {
            var disconnect = new ConnectionEvent(thing, false, at);
            await process.Recorder.RecordAsync(disconnect);
            await process.Monitor.OnEventAsync(disconnect);
        }));
        return things;
    }
}
