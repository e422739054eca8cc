using System.Collections.Concurrent;
using System.Reflection;
using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Alerts;

/// <summary>
/// Storm digests through the real <see cref="InMemoryScheduler"/> (as AddGracefulDisconnect wires it), on a fake clock:
/// a re-check held for its batch gives its slot back, so a storm far larger than
/// <see cref="GracefulDisconnectOptions.MaxConcurrentRechecks"/> fills one digest, and the slots all come back.
/// </summary>
public sealed class LiveDigestSchedulerTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly DateTimeOffset Due = Instants.Noon + Grace;
    private static readonly DateTimeOffset Closes = Due + Window;

    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public async Task Storm_200ThingsAtOnce_OneDigestOfAllWhenTheWindowCloses(int maxConcurrent)
    {
        await using var host = new SchedulerHost(maxConcurrent);
        var things = await host.StormAsync("t", 200, Instants.Noon);

        host.Time.SetUtcNow(Due);

        // Every re-check ran and is held: far more than the slots there are.
        await Eventually.TrueAsync(() => host.Alerts.HeldForDigest == things.Length, $"all {things.Length} held for the digest");
        Assert.Empty(host.Notifier.Sent);
        Assert.Equal(0, host.Scheduler.PendingCount);
        await Eventually.TrueAsync(() => host.FreeSlots == maxConcurrent, "every slot given back while held");

        host.Time.Advance(Window - TimeSpan.FromTicks(1));
        Assert.Empty(host.Notifier.Sent);
        host.Time.Advance(TimeSpan.FromTicks(1));

        await host.DecidedAsync(things.Length);
        var digest = Assert.Single(host.Notifier.Sent);
        Assert.Equal(NotificationKind.Digest, digest.Kind);
        Assert.Equal(things.Order(StringComparer.Ordinal), digest.Things.Order(StringComparer.Ordinal));
        Assert.Equal(Closes, digest.DecidedAt);
        Assert.Equal(Instants.Noon, digest.OfflineSince);
        Assert.All(host.Outcomes, o => Assert.Equal((RecheckResult.Notified, null), (o.Result, o.RetryAt)));
        Assert.Equal(0, host.Alerts.HeldForDigest);
        Assert.Equal(maxConcurrent, host.FreeSlots);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public async Task Storm_ThenRemindersThenAStormOneLargerThanTheSlots_EveryRecheckRunsAndTheSlotsComeBack(int maxConcurrent)
    {
        await using var host = new SchedulerHost(maxConcurrent, o =>
        {
            o.ReminderInterval = Interval;
            o.MaxReminders = 1;
        });
        var storm = await host.StormAsync("t", 200, Instants.Noon);
        host.Time.SetUtcNow(Due);
        await Eventually.TrueAsync(() => host.Alerts.HeldForDigest == storm.Length, "the storm held");
        host.Time.Advance(Window);

        // Every re-check asks to come back for its reminder, counted from the digest, and gives its slot back.
        await Eventually.TrueAsync(() => host.Scheduler.PendingCount == storm.Length, "a reminder re-check per device");
        await host.DecidedAsync(storm.Length);
        Assert.All(host.Outcomes, o => Assert.Equal((RecheckResult.Notified, Closes + Interval), (o.Result, o.RetryAt)));
        await Eventually.TrueAsync(() => host.FreeSlots == maxConcurrent, "every slot back");
        Assert.Equal(NotificationKind.Digest, Assert.Single(host.Notifier.Sent).Kind);

        host.Time.Advance(Interval - TimeSpan.FromTicks(1));
        Assert.Single(host.Notifier.Sent);
        host.Time.Advance(TimeSpan.FromTicks(1));

        await host.DecidedAsync(2 * storm.Length);
        Assert.All(host.Outcomes.Skip(storm.Length), o => Assert.Equal((RecheckResult.Reminded, null), (o.Result, o.RetryAt)));
        var reminders = host.Notifier.Sent.Where(n => n.Kind == NotificationKind.Reminder).ToArray();
        Assert.Equal(storm.Order(StringComparer.Ordinal), reminders.Select(r => r.ThingName).Order(StringComparer.Ordinal));
        Assert.All(reminders, r => Assert.Equal(Closes + Interval, r.DecidedAt));
        Assert.Equal(0, host.Scheduler.PendingCount);
        await Eventually.TrueAsync(() => host.FreeSlots == maxConcurrent, "every slot back after the reminders");

        // One more device than slots, with reads held: exactly the slots' worth run at once, then the rest.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Reader.Gate = gate;
        var readsBefore = host.Reader.Reads;
        var followUpAt = host.Time.GetUtcNow();
        var followUp = await host.StormAsync("f", maxConcurrent + 1, followUpAt);
        host.Time.Advance(Grace);

        await Eventually.TrueAsync(() => host.Reader.Reads == readsBefore + maxConcurrent, "a read per slot");
        Assert.Equal(0, host.FreeSlots);
        gate.SetResult();
        await Eventually.TrueAsync(() => host.Alerts.HeldForDigest == followUp.Length, "the follow-up storm held");
        Assert.Equal(readsBefore + followUp.Length, host.Reader.Reads);

        host.Time.Advance(Window);
        await host.DecidedAsync((2 * storm.Length) + followUp.Length);
        var told = host.Notifier.Sent.Skip(1 + storm.Length).ToArray();
        Assert.Equal(followUp, told.SelectMany(n => n.Kind == NotificationKind.Digest ? n.Things : new[] { n.ThingName }).Order(StringComparer.Ordinal));
        Assert.Equal(maxConcurrent + 1 >= 10 ? [NotificationKind.Digest] : Enumerable.Repeat(NotificationKind.Offline, followUp.Length), told.Select(n => n.Kind));
        await Eventually.TrueAsync(() => host.FreeSlots == maxConcurrent, "every slot back after the follow-up");
    }

    [Fact]
    public async Task Storm_SmallerThanTheMinimumButLargerThanTheSlots_AllReleasedTogetherAfterOneWindow()
    {
        await using var host = new SchedulerHost(2);
        var things = await host.StormAsync("t", 5, Instants.Noon);

        host.Time.SetUtcNow(Due);
        await Eventually.TrueAsync(() => host.Alerts.HeldForDigest == things.Length, "all held in one batch");
        host.Time.Advance(Window - TimeSpan.FromTicks(1));
        Assert.Empty(host.Notifier.Sent);
        host.Time.Advance(TimeSpan.FromTicks(1));

        await host.DecidedAsync(things.Length);
        Assert.Equal(things, host.Notifier.Sent.Select(n => n.ThingName).Order(StringComparer.Ordinal));
        Assert.All(host.Notifier.Sent, n => Assert.Equal((NotificationKind.Offline, Due), (n.Kind, n.DecidedAt)));
        await Eventually.TrueAsync(() => host.FreeSlots == 2, "every slot back");
    }

    /// <summary>The engine through AddGracefulDisconnect with its own in-memory scheduler; every device reads offline.</summary>
    private sealed class SchedulerHost : IAsyncDisposable
    {
        private static readonly FieldInfo Concurrency = typeof(InMemoryScheduler).GetField("_concurrency", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("InMemoryScheduler._concurrency not found");

        private readonly ConcurrentQueue<RecheckOutcome> _outcomes = new();
        private readonly ServiceProvider _provider;

        public SchedulerHost(int maxConcurrent, Action<GracefulDisconnectOptions>? configure = null)
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton(Reader);
            services
                .AddGracefulDisconnect(o =>
                {
                    o.GracePeriod = Grace;
                    o.MaxConcurrentRechecks = maxConcurrent;
                    o.Digest = new DigestThreshold(Window, 10);
                    o.NotifyAttempts = 1;
                    configure?.Invoke(o);
                })
                .UseShadowReader<FakeShadowReader>()
                .AddNotifier(Notifier)
                .DecorateRecheckHandler((_, inner) => new RecordingHandler(inner, _outcomes));
            _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
            Monitor = _provider.GetRequiredService<DisconnectMonitor>();
            Scheduler = Assert.IsType<InMemoryScheduler>(_provider.GetRequiredService<IScheduler>());
            Alerts = _provider.GetAlerts();
        }

        public FakeTimeProvider Time { get; } = new(Instants.Noon);

        public FakeShadowReader Reader { get; } = new();

        public RecordingNotifier Notifier { get; } = new();

        public DisconnectMonitor Monitor { get; }

        public InMemoryScheduler Scheduler { get; }

        public LiveAlerts Alerts { get; }

        /// <summary>Slots free now: with nothing running, every one of MaxConcurrentRechecks, never more.</summary>
        public int FreeSlots => ((SemaphoreSlim)Concurrency.GetValue(Scheduler)!).CurrentCount;

        /// <summary>Every re-check's outcome so far, in the order they were decided.</summary>
        public RecheckOutcome[] Outcomes => [.. _outcomes];

        /// <summary><paramref name="count"/> devices named prefix0, prefix1, ... go offline at <paramref name="at"/>.</summary>
        public async Task<string[]> StormAsync(string prefix, int count, DateTimeOffset at)
        {
            var things = Enumerable.Range(0, count).Select(i => $"{prefix}{i:D3}").ToArray();
            foreach (var thing in things)
            {
                Reader.Set(thing, new ConnectionSnapshot(false, at));
                await Monitor.OnEventAsync(new ConnectionEvent(thing, false, at));
            }

            return things;
        }

        /// <summary>Waits until <paramref name="count"/> re-checks in all have been decided (they then only hand back their slot).</summary>
        public Task DecidedAsync(int count)
            => Eventually.TrueAsync(() => _outcomes.Count >= count, $"{count} re-checks decided");

        public async ValueTask DisposeAsync()
        {
            // Whatever a failed test left held goes out first: the scheduler waits for its re-checks on disposal.
            await Alerts.DisposeAsync();
            await _provider.DisposeAsync();
        }
    }

    /// <summary>Records the outcome of each re-check as the scheduler receives it.</summary>
    private sealed class RecordingHandler(IRecheckHandler inner, ConcurrentQueue<RecheckOutcome> outcomes) : IRecheckHandler
    {
        public async ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
        {
            var outcome = await inner.RecheckAsync(trigger, cancellationToken);
            outcomes.Enqueue(outcome);
            return outcome;
        }
    }
}
