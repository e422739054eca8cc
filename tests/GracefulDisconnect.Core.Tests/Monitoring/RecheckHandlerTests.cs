using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Monitoring;

public sealed class RecheckHandlerTests : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);
    private static readonly DisconnectTrigger Trigger = new("t1", Instants.Noon);
    private static readonly DateTimeOffset Due = Instants.Noon + Grace;

    private readonly FakeTimeProvider _time = new(Due);
    private readonly FakeShadowReader _reader = new();
    private readonly RecordingNotifier _notifier = new();
    private readonly InMemoryOutageLedger _ledger = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MetricCollector<long> _rechecks;
    private readonly RecheckHandler _handler;

    public RecheckHandlerTests()
    {
        _rechecks = new MetricCollector<long>(_meters, GracefulDisconnectMetrics.MeterName, "gracefuldisconnect.rechecks");
        _handler = CreateHandler([_notifier]);
    }

    public void Dispose()
    {
        _rechecks.Dispose();
        _meters.Dispose();
    }

    private RecheckHandler CreateHandler(INotifier[] notifiers, Action<GracefulDisconnectOptions>? configure = null)
    {
        var options = TestOptions.Create(o =>
        {
            o.GracePeriod = Grace;
            o.RetryDelay = RetryDelay;

            // One attempt per channel: these tests are about what the re-check does once sending has failed.
            o.NotifyAttempts = 1;
            configure?.Invoke(o);
        });
        return new RecheckHandler(
            _reader,
            notifiers,
            _ledger,
            new NotificationFormatter(options),
            options,
            _time,
            NullLogger<RecheckHandler>.Instance,
            new GracefulDisconnectMetrics(_meters));
    }

    private string[] RecordedResults() => [.. _rechecks.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!)];

    [Fact]
    public async Task RecheckAsync_StillOfflineSameOutage_NotifiesOnce()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));

        var outcome = await _handler.RecheckAsync(Trigger);

        Assert.Equal(RecheckResult.Notified, outcome.Result);
        Assert.Null(outcome.RetryAt);
        var notification = Assert.Single(_notifier.Sent);
        Assert.Same(notification, outcome.Notification);
        Assert.Equal("t1", notification.ThingName);
        Assert.Equal(Instants.Noon, notification.OfflineSince);
        Assert.Equal(Due, notification.DecidedAt);
        Assert.Equal(Grace, notification.GracePeriod);
        Assert.Equal("t1@1767268800", notification.OutageId);
        Assert.Equal("t1 is offline", notification.Subject);
    }

    [Fact]
    public async Task RecheckAsync_Reconnected_SkipsWithoutNotifying()
    {
        _reader.Set("t1", new ConnectionSnapshot(true, Instants.Noon.AddMinutes(1)));

        var outcome = await _handler.RecheckAsync(Trigger);

        Assert.Equal(new RecheckOutcome(RecheckResult.SkippedReconnected), outcome);
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RecheckAsync_NewerOutage_SkipsAsSuperseded()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon.AddMinutes(2)));

        var outcome = await _handler.RecheckAsync(Trigger);

        Assert.Equal(new RecheckOutcome(RecheckResult.SkippedSuperseded), outcome);
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RecheckAsync_UnknownThing_SkipsAsUnknown()
    {
        var outcome = await _handler.RecheckAsync(Trigger);

        Assert.Equal(new RecheckOutcome(RecheckResult.SkippedUnknownThing), outcome);
        Assert.Equal(1, _reader.Reads);
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RecheckAsync_SameOutageTwice_SecondIsDuplicate()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        await _handler.RecheckAsync(Trigger);
        _time.Advance(TimeSpan.FromMinutes(1));

        var outcome = await _handler.RecheckAsync(new DisconnectTrigger("t1", Instants.Noon.Ms(400)));

        Assert.Equal(new RecheckOutcome(RecheckResult.SkippedDuplicate), outcome);
        Assert.Single(_notifier.Sent);
    }

    [Fact]
    public async Task RecheckAsync_LaterOutageAlreadyNotified_SkipsAsSuperseded()
    {
        // A stale read says the old outage is still on, but a newer outage of the thing was already notified.
        _ledger.TryClaim(new OutageId("t1", Instants.Noon.AddMinutes(1)));
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));

        var outcome = await _handler.RecheckAsync(Trigger);

        Assert.Equal(new RecheckOutcome(RecheckResult.SkippedSuperseded), outcome);
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RecheckAsync_DeliveredEarly_IsNotYetDueWithRetryAtDueAndNoRead()
    {
        // The clock reads Due; this trigger is due 90 s later.
        var trigger = new DisconnectTrigger("t1", Instants.Noon.AddSeconds(90));
        _reader.Set("t1", new ConnectionSnapshot(false, trigger.DisconnectedAt));

        var outcome = await _handler.RecheckAsync(trigger);

        Assert.Equal(new RecheckOutcome(RecheckResult.NotYetDue, Due.AddSeconds(90)), outcome);
        Assert.Equal(0, _reader.Reads);
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RecheckAsync_OneTickEarly_IsNotYetDue()
    {
        var trigger = new DisconnectTrigger("t1", Instants.Noon.AddTicks(1));

        Assert.Equal(RecheckResult.NotYetDue, (await _handler.RecheckAsync(trigger)).Result);
        Assert.Equal(0, _reader.Reads);
    }

    [Fact]
    public async Task RecheckAsync_GraceOverride_UsesTheThingsGracePeriod()
    {
        var handler = CreateHandler([_notifier], o => o.GracePeriodOverrides["t1"] = TimeSpan.FromMinutes(10));
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));

        var early = await handler.RecheckAsync(Trigger);
        _time.Advance(TimeSpan.FromMinutes(5));
        var due = await handler.RecheckAsync(Trigger);

        Assert.Equal(new RecheckOutcome(RecheckResult.NotYetDue, Instants.Noon.AddMinutes(10)), early);
        Assert.Equal(RecheckResult.Notified, due.Result);
        Assert.Equal(TimeSpan.FromMinutes(10), due.Notification!.GracePeriod);
    }

    [Fact]
    public async Task RecheckAsync_ReaderThrows_FailsWithRetryAfterRetryDelay()
    {
        _reader.Failure = new HttpRequestException("shadow service unavailable");

        var outcome = await _handler.RecheckAsync(Trigger);

        Assert.Equal(new RecheckOutcome(RecheckResult.Failed, Due + RetryDelay), outcome);
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RecheckAsync_ReaderTimesOutWithoutCancellation_Fails()
    {
        _reader.Failure = new TaskCanceledException("HttpClient timeout");

        var outcome = await _handler.RecheckAsync(Trigger);

        Assert.Equal(RecheckResult.Failed, outcome.Result);
        Assert.Equal(Due + RetryDelay, outcome.RetryAt);
    }

    [Fact]
    public async Task RecheckAsync_CallerCancels_PropagatesCancellation()
    {
        using var cancellation = new CancellationTokenSource();
        _reader.Gate = new TaskCompletionSource();
        var recheck = _handler.RecheckAsync(Trigger, cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recheck);
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RecheckAsync_ReaderFailsThenRecovers_NotifiesOnRetry()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        _reader.Failure = new IOException("boom");
        var failed = await _handler.RecheckAsync(Trigger);

        _reader.Failure = null;
        _time.SetUtcNow(failed.RetryAt!.Value);
        var retried = await _handler.RecheckAsync(Trigger);

        Assert.Equal(RecheckResult.Notified, retried.Result);
        Assert.Equal(Due + RetryDelay, Assert.Single(_notifier.Sent).DecidedAt);
    }

    [Fact]
    public async Task RecheckAsync_NotifierThrows_FailsReleasesTheClaimAndALaterRecheckNotifies()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        _notifier.FailNext(1);

        var failed = await _handler.RecheckAsync(Trigger);

        Assert.Equal(new RecheckOutcome(RecheckResult.Failed, Due + RetryDelay), failed);
        Assert.Empty(_notifier.Sent);

        _time.Advance(RetryDelay);
        var retried = await _handler.RecheckAsync(Trigger);

        Assert.Equal(RecheckResult.Notified, retried.Result);
        Assert.Single(_notifier.Sent);
        Assert.Equal(RecheckResult.SkippedDuplicate, (await _handler.RecheckAsync(Trigger)).Result);
    }

    [Fact]
    public async Task RecheckAsync_CancelledWhileNotifying_ReleasesTheClaimSoALaterRecheckNotifies()
    {
        var hanging = new HangingNotifier();
        var handler = CreateHandler([hanging]);
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        using var cancellation = new CancellationTokenSource();

        var recheck = handler.RecheckAsync(Trigger, cancellation.Token).AsTask();
        await hanging.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recheck);

        hanging.Hang = false;
        var retried = await handler.RecheckAsync(Trigger);

        Assert.Equal(RecheckResult.Notified, retried.Result);
    }

    private sealed class HangingNotifier : INotifier
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Hang { get; set; } = true;

        public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        {
            if (Hang)
            {
                Entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }

    [Fact]
    public async Task RecheckAsync_NotifierFailsOnceWithAttemptsLeft_RetriesWithinTheRecheck()
    {
        var handler = CreateHandler([_notifier], o =>
        {
            o.NotifyAttempts = 2;
            o.NotifyRetryDelay = TimeSpan.Zero;
        });
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        _notifier.FailNext(1);

        var outcome = await handler.RecheckAsync(Trigger);

        Assert.Equal(RecheckResult.Notified, outcome.Result);
        Assert.Single(_notifier.Sent);
    }

    [Fact]
    public async Task RecheckAsync_SeveralNotifiers_EachReceivesTheNotification()
    {
        var second = new RecordingNotifier();
        var handler = CreateHandler([_notifier, second]);
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));

        await handler.RecheckAsync(Trigger);

        Assert.Single(_notifier.Sent);
        Assert.Single(second.Sent);
        Assert.Equal(_notifier.Sent[0], second.Sent[0]);
    }

    [Fact]
    public void Constructor_NoNotifier_ThrowsWithAHint()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => CreateHandler([]));

        Assert.Contains("No INotifier is registered", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task RecheckAsync_NoThingName_Throws(string? thing)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await _handler.RecheckAsync(new DisconnectTrigger(thing!, Instants.Noon)));
    }

    [Fact]
    public async Task RecheckAsync_EveryResult_IsCountedByResultTag()
    {
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        _reader.Set("back", new ConnectionSnapshot(true, Instants.Noon.AddMinutes(1)));
        _reader.Set("newer", new ConnectionSnapshot(false, Instants.Noon.AddMinutes(1)));

        await _handler.RecheckAsync(Trigger);
        await _handler.RecheckAsync(Trigger);
        await _handler.RecheckAsync(new DisconnectTrigger("back", Instants.Noon));
        await _handler.RecheckAsync(new DisconnectTrigger("newer", Instants.Noon));
        await _handler.RecheckAsync(new DisconnectTrigger("ghost", Instants.Noon));
        await _handler.RecheckAsync(new DisconnectTrigger("t1", Due));
        _reader.Failure = new IOException("boom");
        await _handler.RecheckAsync(new DisconnectTrigger("t2", Instants.Noon));

        Assert.Equal(
            ["notify", "skip-duplicate", "skip-reconnected", "skip-superseded", "skip-unknown", "not-yet-due", "failed"],
            RecordedResults());
        Assert.All(_rechecks.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));
    }

    [Fact]
    public async Task RecheckAsync_NotifierFails_CountsFailedAndTheFailedNotification()
    {
        using var failures = new MetricCollector<long>(_meters, GracefulDisconnectMetrics.MeterName, "gracefuldisconnect.notifications.failed");
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        _notifier.FailNext(1);

        await _handler.RecheckAsync(Trigger);

        Assert.Equal(["failed"], RecordedResults());
        Assert.Equal(1, failures.LastMeasurement?.Value);
    }

    [Fact]
    public async Task RecheckAsync_Notified_RecordsHowLateAfterTheGracePeriod()
    {
        using var delay = new MetricCollector<double>(_meters, GracefulDisconnectMetrics.MeterName, "gracefuldisconnect.notification.delay");
        _reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        _time.Advance(TimeSpan.FromMinutes(2));

        await _handler.RecheckAsync(Trigger);

        Assert.Equal(120, delay.LastMeasurement?.Value);
    }
}
