using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Engine;

/// <summary>
/// The engine with a scheduler (<see cref="IScheduler"/>): it asks for a wake whenever a commit moves a device's wake
/// time, and a wake handed back through <see cref="IRecheckHandler.RecheckAsync"/> is decided from the record, so an
/// early, repeated or stale wake does nothing.
/// </summary>
public sealed class DeviceEngineWakeTests : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset T0 = Instants.Noon;

    private readonly FakeTimeProvider _time = new(T0);
    private readonly GracefulDisconnectMetrics _metrics = new();
    private readonly FakeShadowReader _reader = new();
    private readonly RecordingNotifier _notifier = new();
    private readonly RecordingScheduler _scheduler = new();
    private readonly InMemoryDeviceStore _store = new();

    public void Dispose() => _metrics.Dispose();

    private DeviceEngine Engine(Action<GracefulDisconnectOptions>? configure = null, IScheduler? scheduler = null)
    {
        var options = TestOptions.Create(o =>
        {
            o.GracePeriod = Grace;
            o.NotifyRetryDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        return new DeviceEngine(_store, _reader, [_notifier], options, new NotificationFormatter(options), _time, _metrics, logger: null, scheduler ?? _scheduler);
    }

    [Fact]
    public async Task RecordAsync_Disconnect_AsksForOneWakeAtItsDueTime_ARepeatOfTheEventAsksNothing()
    {
        using var engine = Engine();

        await engine.RecordAsync([new ConnectionEvent("t1", false, T0, Version: 4)]);
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0, Version: 4)]);

        Assert.Equal([(new DisconnectTrigger("t1", T0, 4), T0 + Grace)], _scheduler.Wakes);
    }

    [Fact]
    public async Task RecheckAsync_BeforeItIsDue_DoesNothingAndSaysWhen()
    {
        using var engine = Engine();
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        _reader.Set("t1", new ConnectionSnapshot(false, T0));
        _time.Advance(Grace - TimeSpan.FromSeconds(1));

        var outcome = await engine.RecheckAsync(new DisconnectTrigger("t1", T0));

        Assert.Equal(new RecheckOutcome(RecheckResult.NotYetDue, T0 + Grace), outcome);
        Assert.Equal(0, _reader.Reads);
    }

    [Fact]
    public async Task RecheckAsync_WhenDue_NotifiesOnce_TheSameWakeAgainDoesNothing()
    {
        using var engine = Engine();
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        _reader.Set("t1", new ConnectionSnapshot(false, T0));
        _time.Advance(Grace);

        var first = await engine.RecheckAsync(new DisconnectTrigger("t1", T0));
        var second = await engine.RecheckAsync(new DisconnectTrigger("t1", T0));
        await engine.DeliverAsync();

        Assert.Equal(RecheckResult.Notified, first.Result);
        Assert.Equal("t1@1767268800", first.Notification?.NotificationId);
        Assert.Equal(new RecheckOutcome(RecheckResult.NotYetDue), second);
        Assert.Equal(["t1@1767268800"], _notifier.Sent.Select(notification => notification.NotificationId));
    }

    [Fact]
    public async Task RecheckAsync_AStaleWakeOfADeviceBackMeanwhile_SendsNothing()
    {
        using var engine = Engine();
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        await engine.RecordAsync([new ConnectionEvent("t1", true, T0.AddMinutes(1))]);
        _time.Advance(Grace);

        var outcome = await engine.RecheckAsync(new DisconnectTrigger("t1", T0));
        await engine.DeliverAsync();

        Assert.Equal(RecheckResult.NotYetDue, outcome.Result);
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RecheckAsync_ADisconnectTheEngineNeverRecorded_IsRecordedThenDecidedByTheReader()
    {
        using var engine = Engine();
        _reader.Set("t1", new ConnectionSnapshot(false, T0));
        _reader.Set("t2", new ConnectionSnapshot(true, T0.AddMinutes(2)));
        _time.Advance(Grace + TimeSpan.FromMinutes(1));

        var offline = await engine.RecheckAsync(new DisconnectTrigger("t1", T0));
        var back = await engine.RecheckAsync(new DisconnectTrigger("t2", T0));
        await engine.DeliverAsync();

        Assert.Equal(RecheckResult.Notified, offline.Result);
        Assert.NotEqual(RecheckResult.Notified, back.Result);
        Assert.Equal(["t1@1767268800"], _notifier.Sent.Select(notification => notification.NotificationId));
    }

    [Fact]
    public async Task RecheckAsync_NotifiedWithReminders_AsksForTheWakeOfTheFirstReminder()
    {
        using var engine = Engine(o => o.Alerts.ReminderInterval = TimeSpan.FromHours(1));
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        _reader.Set("t1", new ConnectionSnapshot(false, T0));
        _time.Advance(Grace);

        var outcome = await engine.RecheckAsync(new DisconnectTrigger("t1", T0));

        Assert.Equal(T0 + Grace + TimeSpan.FromHours(1), outcome.RetryAt);
        Assert.Equal((new DisconnectTrigger("t1", T0), T0 + Grace + TimeSpan.FromHours(1)), _scheduler.Wakes[^1]);
    }

    [Fact]
    public async Task RecheckAsync_TheReadFails_TheRetryIsScheduledAfterTheRetryDelay()
    {
        using var engine = Engine(o => o.RetryDelay = TimeSpan.FromSeconds(30));
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        _reader.Failure = new TimeoutException("registry down");
        _time.Advance(Grace);

        var outcome = await engine.RecheckAsync(new DisconnectTrigger("t1", T0));

        Assert.Equal(new RecheckOutcome(RecheckResult.Failed, T0 + Grace + TimeSpan.FromSeconds(30)), outcome);
        Assert.Equal(T0 + Grace + TimeSpan.FromSeconds(30), _scheduler.Wakes[^1].DueAt);
    }

    [Fact]
    public async Task SchedulerFails_TheEventIsRecordedAnyway_AndTheDueLoopFindsTheWake()
    {
        using var engine = Engine(scheduler: new FailingScheduler());
        _reader.Set("t1", new ConnectionSnapshot(false, T0));

        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        _time.Advance(Grace);
        await engine.RunDueAsync();
        await engine.DeliverAsync();

        Assert.Equal("t1@1767268800", Assert.Single(_notifier.Sent).NotificationId);
    }

    [Fact]
    public async Task UseInMemoryScheduler_TheWakeComesOnTime_WithoutTheDueLoop()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddGracefulDisconnect(o => o.GracePeriod = Grace).UseLastKnownState().AddNotifier(_notifier).UseInMemoryScheduler();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var engine = provider.GetRequiredService<DeviceEngine>();

        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        _time.Advance(Grace - TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await _store.CountAsync()).Undelivered);
        _time.Advance(TimeSpan.FromSeconds(1));

        var store = provider.GetRequiredService<IDeviceStore>();
        await Eventually.TrueAsync(async () => (await store.CountAsync()).Undelivered == 1, "the offline notification in the outbox");
        await engine.DeliverAsync();
        Assert.Equal("t1@1767268800", Assert.Single(_notifier.Sent).NotificationId);
    }

    private sealed class RecordingScheduler : IScheduler
    {
        public List<(DisconnectTrigger Trigger, DateTimeOffset DueAt)> Wakes { get; } = [];

        public ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
        {
            Wakes.Add((trigger, dueAt));
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FailingScheduler : IScheduler
    {
        public ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
            => throw new TimeoutException("queue unreachable");
    }
}
