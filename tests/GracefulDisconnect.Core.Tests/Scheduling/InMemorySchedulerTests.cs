using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Scheduling;

/// <summary>
/// The monitor, the in-memory scheduler and the re-check handler together, on a fake clock. The
/// scheduler runs re-checks on the thread pool after its timer fires, so results are awaited with
/// <see cref="Eventually"/>.
/// </summary>
public sealed class InMemorySchedulerTests : IAsyncDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(Instants.Noon);
    private readonly FakeShadowReader _reader = new();
    private readonly RecordingNotifier _notifier = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MetricCollector<long> _rechecks;
    private readonly InMemoryScheduler _scheduler;
    private readonly DisconnectMonitor _monitor;

    public InMemorySchedulerTests()
    {
        _rechecks = new MetricCollector<long>(_meters, GracefulDisconnectMetrics.MeterName, "gracefuldisconnect.rechecks");
        var options = TestOptions.Create(o =>
        {
            o.GracePeriod = Grace;
            o.RetryDelay = RetryDelay;
            o.NotifyAttempts = 1;
            o.GracePeriodOverrides["slow"] = TimeSpan.FromDays(3);
        });
        var metrics = new GracefulDisconnectMetrics(_meters);
        var handler = new RecheckHandler(
            _reader, [_notifier], new InMemoryOutageLedger(), new NotificationFormatter(options), options, _time, NullLogger<RecheckHandler>.Instance, metrics);
        _scheduler = new InMemoryScheduler(handler, _time, options, NullLogger<InMemoryScheduler>.Instance, metrics);
        _monitor = new DisconnectMonitor(_scheduler, options, _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync();
        _rechecks.Dispose();
        _meters.Dispose();
    }

    private string[] Results() => [.. _rechecks.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!)];

    private Task ResultsCountAsync(int count) => Eventually.TrueAsync(() => _rechecks.GetMeasurementSnapshot().Count >= count, $"{count} re-checks decided");

    [Fact]
    public async Task OnEventAsync_Disconnect_IsPendingUntilDue()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));

        await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));
        _time.Advance(Grace - TimeSpan.FromTicks(1));

        Assert.Equal(1, _scheduler.PendingCount);
        Assert.Equal(0, _reader.Reads);
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task Advance_PastDue_RunsTheRecheckAndNotifiesOnce()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));

        _time.Advance(TimeSpan.FromMinutes(1));
        _time.Advance(TimeSpan.FromMinutes(4));

        await ResultsCountAsync(1);
        var notification = Assert.Single(_notifier.Sent);
        Assert.Equal(Instants.Noon + Grace, notification.DecidedAt);
        Assert.Equal(["notify"], Results());
        Assert.Equal(0, _scheduler.PendingCount);
    }

    [Fact]
    public async Task Advance_SameEventDeliveredTwice_NotifiesExactlyOnce()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        var disconnect = new ConnectionEvent("t1", false, Instants.Noon.Ms(451), Version: 2);

        await _monitor.OnEventAsync(disconnect);
        await _monitor.OnEventAsync(disconnect);
        Assert.Equal(2, _scheduler.PendingCount);
        _time.Advance(Grace + TimeSpan.FromSeconds(1));

        await ResultsCountAsync(2);
        Assert.Single(_notifier.Sent);
        Assert.Equal(["notify", "skip-duplicate"], Results().Order(StringComparer.Ordinal));
        Assert.Equal(0, _scheduler.PendingCount);
    }

    [Fact]
    public async Task Advance_ReconnectedBeforeDue_DoesNotNotify()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));
        _time.Advance(TimeSpan.FromMinutes(2));
        _reader.Set("t1", new ConnectionSnapshot(true, Instants.Noon.AddMinutes(2)));
        Assert.Null(await _monitor.OnEventAsync(new ConnectionEvent("t1", true, Instants.Noon.AddMinutes(2))));

        _time.Advance(TimeSpan.FromMinutes(3));

        await ResultsCountAsync(1);
        Assert.Equal(["skip-reconnected"], Results());
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task Advance_FlapThenLongOutage_NotifiesOnlyTheLongOutage()
    {
        await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));
        _time.Advance(TimeSpan.FromMinutes(1));
        await _monitor.OnEventAsync(new ConnectionEvent("t1", true, Instants.Noon.AddMinutes(1)));
        _time.Advance(TimeSpan.FromMinutes(1));
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon.AddMinutes(2)));
        await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon.AddMinutes(2)));

        _time.Advance(TimeSpan.FromMinutes(3));
        await ResultsCountAsync(1);
        _time.Advance(TimeSpan.FromMinutes(2));
        await ResultsCountAsync(2);

        Assert.Equal(["skip-superseded", "notify"], Results());
        Assert.Equal(Instants.Noon.AddMinutes(2), Assert.Single(_notifier.Sent).OfflineSince);
    }

    [Fact]
    public async Task OnEventAsync_LateEvent_RunsWithoutAdvancingTheClock()
    {
        _time.Advance(TimeSpan.FromMinutes(20));
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));

        var due = await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));

        Assert.Equal(Instants.Noon.AddMinutes(20), due);
        await Eventually.TrueAsync(() => _notifier.Count == 1);
        Assert.Equal(Instants.Noon.AddMinutes(20), _notifier.Sent[0].DecidedAt);
    }

    [Fact]
    public async Task Advance_SeveralThings_RunInDueOrder()
    {
        foreach (var (thing, minute) in new[] { ("c", 3), ("a", 1), ("b", 2) })
        {
            _reader.Set(thing, new ConnectionSnapshot(false, Instants.Noon.AddMinutes(minute)));
            await _monitor.OnEventAsync(new ConnectionEvent(thing, false, Instants.Noon.AddMinutes(minute)));
        }

        Assert.Equal(3, _scheduler.PendingCount);
        for (var i = 1; i <= 3; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(i == 1 ? 6 : 1));
            await Eventually.TrueAsync(() => _notifier.Count == i);
            Assert.Equal(3 - i, _scheduler.PendingCount);
        }

        Assert.Equal(["a", "b", "c"], _notifier.Sent.Select(n => n.ThingName));
    }

    [Fact]
    public async Task Advance_NotifierFailsOnce_RetriesAfterRetryDelay()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        _notifier.FailNext(1);
        await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));

        _time.Advance(Grace);
        await ResultsCountAsync(1);
        await Eventually.TrueAsync(() => _scheduler.PendingCount == 1, "the failed re-check is back on the heap");
        Assert.Empty(_notifier.Sent);

        _time.Advance(RetryDelay);
        await ResultsCountAsync(2);

        Assert.Equal(["failed", "notify"], Results());
        Assert.Equal(Instants.Noon + Grace + RetryDelay, Assert.Single(_notifier.Sent).DecidedAt);
    }

    [Fact]
    public async Task Advance_ReaderFailsOnce_RetriesAfterRetryDelay()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        _reader.Failure = new IOException("throttled");
        await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));

        _time.Advance(Grace);
        await ResultsCountAsync(1);
        await Eventually.TrueAsync(() => _scheduler.PendingCount == 1);
        _reader.Failure = null;
        _time.Advance(RetryDelay);

        await ResultsCountAsync(2);
        Assert.Single(_notifier.Sent);
        Assert.Equal(["failed", "notify"], Results());
    }

    [Fact]
    public async Task Advance_GraceLongerThanTheTimerLimit_StillRunsOnTime()
    {
        _reader.Set("slow", new ConnectionSnapshot(false, Instants.Noon));
        await _monitor.OnEventAsync(new ConnectionEvent("slow", false, Instants.Noon));

        for (var day = 0; day < 3; day++)
        {
            _time.Advance(TimeSpan.FromDays(1));
        }

        // The result is counted after the notifier returns: wait for the count, not for the notification.
        await ResultsCountAsync(1);
        Assert.Equal(Instants.Noon.AddDays(3), Assert.Single(_notifier.Sent).DecidedAt);
        Assert.Equal(["notify"], Results());
    }

    [Fact]
    public async Task ScheduleAsync_EarlierDueAfterLater_RearmsForTheEarlier()
    {
        _reader.Set("slow", new ConnectionSnapshot(false, Instants.Noon));
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        await _monitor.OnEventAsync(new ConnectionEvent("slow", false, Instants.Noon));
        await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));

        _time.Advance(Grace);

        await Eventually.TrueAsync(() => _notifier.Count == 1);
        Assert.Equal("t1", _notifier.Sent[0].ThingName);
        Assert.Equal(1, _scheduler.PendingCount);
    }

    [Fact]
    public async Task ScheduleAsync_DeliveredEarly_IsRescheduledForItsDueTime()
    {
        // A scheduler may deliver early: the handler answers not-yet-due and the trigger goes back on the heap.
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        await _scheduler.ScheduleAsync(new DisconnectTrigger("t1", Instants.Noon), Instants.Noon.AddMinutes(1));

        _time.Advance(TimeSpan.FromMinutes(1));
        await ResultsCountAsync(1);
        await Eventually.TrueAsync(() => _scheduler.PendingCount == 1);
        Assert.Equal(0, _reader.Reads);
        _time.Advance(TimeSpan.FromMinutes(4));
        await ResultsCountAsync(2);

        Assert.Equal(["not-yet-due", "notify"], Results());
        Assert.Equal(Instants.Noon + Grace, Assert.Single(_notifier.Sent).DecidedAt);
    }

    [Fact]
    public async Task ScheduleAsync_NoThingName_Throws()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await _scheduler.ScheduleAsync(new DisconnectTrigger(string.Empty, Instants.Noon), Instants.Noon));
    }

    [Fact]
    public async Task ScheduleAsync_AfterDispose_ThrowsObjectDisposed()
    {
        await _scheduler.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await _scheduler.ScheduleAsync(new DisconnectTrigger("t1", Instants.Noon), Instants.Noon));
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsHarmless()
    {
        await _scheduler.DisposeAsync();
        await _scheduler.DisposeAsync();
    }

    [Fact]
    public async Task DisposeAsync_PendingRechecks_AreDroppedWithoutRunning()
    {
        await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));

        await _scheduler.DisposeAsync();
        _time.Advance(Grace);

        Assert.Equal(0, _reader.Reads);
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task DisposeAsync_RecheckInFlight_WaitsForItToFinish()
    {
        using var entered = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var reader = new BlockingReader(entered, proceed, new ConnectionSnapshot(false, Instants.Noon));
        var options = TestOptions.Create(o => o.GracePeriod = Grace);
        var metrics = new GracefulDisconnectMetrics(_meters);
        var handler = new RecheckHandler(
            reader, [_notifier], new InMemoryOutageLedger(), new NotificationFormatter(options), options, _time, NullLogger<RecheckHandler>.Instance, metrics);
        var scheduler = new InMemoryScheduler(handler, _time, options, NullLogger<InMemoryScheduler>.Instance, metrics);
        await scheduler.ScheduleAsync(new DisconnectTrigger("t1", Instants.Noon), Instants.Noon + Grace);
        _time.Advance(Grace);
        await Eventually.TrueAsync(() => entered.IsSet, "the re-check is reading");

        var disposing = scheduler.DisposeAsync().AsTask();
        var finishedWhileReading = disposing.IsCompleted;
        proceed.Set();
        await disposing;

        Assert.False(finishedWhileReading, "DisposeAsync returned while a re-check was in flight");
        Assert.Single(_notifier.Sent);
    }

    // Blocks the re-check synchronously inside the read, the way a slow reader holds it in flight.
    private sealed class BlockingReader(ManualResetEventSlim entered, ManualResetEventSlim proceed, ConnectionSnapshot snapshot) : IShadowReader
    {
        public ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
        {
            entered.Set();
            proceed.Wait(TimeSpan.FromSeconds(5), CancellationToken.None);
            return ValueTask.FromResult<ConnectionSnapshot?>(snapshot);
        }
    }
}
