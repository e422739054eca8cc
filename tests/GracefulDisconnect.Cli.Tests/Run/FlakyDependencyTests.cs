using System.Collections.Concurrent;
using GracefulDisconnect.Cli.Run;
using static GracefulDisconnect.Cli.Tests.Run.RunWorkspace;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>
/// The engine of <c>run</c> in process, on the SQLite store and real time, with dependencies that fail:
/// a notifier failing half of the time (before or after delivering) and a shadow reader timing out.
/// Nothing is lost and, where the channel can tell, nothing is delivered twice.
/// </summary>
public sealed class FlakyDependencyTests
{
    private const int Outages = 20;

    [Fact]
    public async Task NotifierFailingEveryOtherAttempt_EachOutageIsDeliveredOnceAndConfirmed()
    {
        await using var run = new RunWorkspace();
        var notifier = new FlakyNotifier(inner: null, failAfterDelivering: false);
        var things = await DeliverOutagesAsync(run, [notifier]);

        await UntilSettledAsync(run, () => things.All(id => notifier.Delivered(id) >= 1), () => $"every outage delivered; {notifier}");

        Assert.All(things, id => Assert.Equal(1, notifier.Delivered(id)));
        Assert.True(notifier.Attempts >= 2 * Outages - 1, notifier.ToString());
    }

    [Fact]
    public async Task NotifierFailingAfterDeliveringEveryOtherTime_TheFileStillHoldsEachOutageOnce()
    {
        await using var run = new RunWorkspace();
        using var file = FileNotifier.Open(run.NotifyPath);

        // The worst failure for at-least-once delivery: the channel took the notification, then the call failed
        // (a timeout after the webhook answered). The engine must retry; the file notifier must not repeat itself.
        var notifier = new FlakyNotifier(file, failAfterDelivering: true);
        var things = await DeliverOutagesAsync(run, [notifier]);

        await UntilSettledAsync(run, () => things.All(id => notifier.Delivered(id) >= 1), () => $"every outage delivered; {notifier}");

        Assert.Contains(things, id => notifier.Delivered(id) > 1);
        var lines = run.NotificationLines();
        Assert.Equal(Outages, lines.Length);
        Assert.Equal(things.Order(), lines.Select(line => NotificationLine.TryReadId(line)!).Order());
    }

    [Fact]
    public async Task ShadowReaderTimingOut_RechecksAreRetried_EachOutageIsNotifiedOnce()
    {
        await using var run = new RunWorkspace();
        var reader = new TimingOutReader(failuresPerThing: 2);
        var notifier = new FlakyNotifier(inner: null, failAfterDelivering: false) { FailEvery = 0 };
        var things = await DeliverOutagesAsync(run, [notifier], reader);

        await UntilSettledAsync(run, () => things.All(id => notifier.Delivered(id) >= 1), () => $"every outage delivered; {notifier}; {reader.Reads} reads");

        Assert.All(things, id => Assert.Equal(1, notifier.Delivered(id)));
        Assert.True(reader.Reads >= 3 * Outages, $"{reader.Reads} reads");
    }

    private static async Task<string[]> DeliverOutagesAsync(RunWorkspace run, INotifier[] notifiers, TimingOutReader? reader = null)
    {
        var engine = await InProcessEngine.StartAsync(run.StorePath, notifiers, reader);
        await using (engine)
        {
            // A thing that comes back within the grace: never notified, whatever fails. Its reconnect is recorded
            // before its disconnect, so no delay of a loaded machine can make the outage look long.
            var t0 = Now();
            reader?.Online("blinks", t0.AddMilliseconds(100));
            await engine.DeliverAsync(new ConnectionEvent("blinks", true, t0.AddMilliseconds(100)));
            await engine.DeliverAsync(new ConnectionEvent("blinks", false, t0));

            var ids = new string[Outages];
            for (var i = 0; i < Outages; i++)
            {
                var thing = $"flaky-{i:00}";
                reader?.Offline(thing, t0);
                await engine.DeliverAsync(new ConnectionEvent(thing, false, t0));
                ids[i] = OutageId(thing, t0);
            }

            await UntilPastAsync(t0 + InProcessEngine.GracePeriod);
            await UntilAsync(
                () => run.Count("SELECT count(*) FROM device WHERE wake_at IS NOT NULL") == 0 && run.Count("SELECT count(*) FROM delivery WHERE delivered_at IS NULL") == 0,
                () => $"every re-check done and every notification confirmed\n{engine.Logs.AllText()}");
            return ids;
        }
    }

    private static async Task UntilSettledAsync(RunWorkspace run, Func<bool> delivered, Func<string> what)
    {
        await UntilAsync(delivered, what);
        Assert.Equal(Outages, run.Count("SELECT count(*) FROM delivery WHERE delivered_at IS NOT NULL"));
        Assert.Equal(0, run.Count("SELECT count(*) FROM delivery WHERE notification_id LIKE 'blinks@%'"));
    }

    /// <summary>Fails every <see cref="FailEvery"/>-th attempt over all calls, before delivering or just after.</summary>
    private sealed class FlakyNotifier(INotifier? inner, bool failAfterDelivering) : INotifier
    {
        private readonly ConcurrentDictionary<string, int> _delivered = new();
        private int _attempts;

        public int FailEvery { get; init; } = 2;

        public int Attempts => Volatile.Read(ref _attempts);

        public int Delivered(string outageId) => _delivered.GetValueOrDefault(outageId);

        public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            var fails = FailEvery > 0 && attempt % FailEvery == 1;
            if (fails && !failAfterDelivering)
            {
                throw new HttpRequestException($"Simulated failure of attempt {attempt}.");
            }

            if (inner is not null)
            {
                await inner.NotifyAsync(notification, cancellationToken);
            }

            _delivered.AddOrUpdate(notification.OutageId, 1, (_, count) => count + 1);
            if (fails)
            {
                throw new TaskCanceledException($"Simulated timeout after delivering, attempt {attempt}.");
            }
        }

        public override string ToString() => $"{Attempts} attempts, delivered {string.Join(", ", _delivered.Select(pair => $"{pair.Key}×{pair.Value}"))}";
    }

    /// <summary>A shadow reader whose first reads of each thing time out the way an HttpClient does.</summary>
    private sealed class TimingOutReader(int failuresPerThing) : IShadowReader
    {
        private readonly ConcurrentDictionary<string, ConnectionSnapshot> _states = new();
        private readonly ConcurrentDictionary<string, int> _reads = new();
        private int _total;

        public int Reads => Volatile.Read(ref _total);

        public void Offline(string thing, DateTimeOffset since) => _states[thing] = new ConnectionSnapshot(false, since);

        public void Online(string thing, DateTimeOffset since) => _states[thing] = new ConnectionSnapshot(true, since);

        public async ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _total);
            if (_reads.AddOrUpdate(thingName, 1, (_, count) => count + 1) <= failuresPerThing)
            {
                await Task.Delay(20, cancellationToken);
                throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 0.02 seconds elapsing.", new TimeoutException());
            }

            return _states.TryGetValue(thingName, out var state) ? state : null;
        }
    }
}
