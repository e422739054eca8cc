using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Diagnostics;

/// <summary>
/// <see cref="DeviceEngineHealthCheck"/>: healthy while the engine runs and every channel delivers, degraded while a
/// channel fails or due work waits, unhealthy once the store failed for good (registered as the README shows, in a host).
/// </summary>
public sealed class DeviceEngineHealthCheckTests : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = Instants.Noon;

    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryDeviceStore _store = new();
    private readonly GracefulDisconnectMetrics _metrics = new();
    private readonly Microsoft.Extensions.Options.IOptions<GracefulDisconnectOptions> _options = TestOptions.Create(o =>
    {
        o.GracePeriod = Grace;
        o.NotifyRetryDelay = TimeSpan.FromSeconds(1);
    });

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task CheckHealth_EngineRunningEveryChannelDelivers_Healthy()
    {
        using var engine = Engine(new RecordingNotifier());
        var check = new DeviceEngineHealthCheck(engine, new DeviceEngineHealth(), _time, _store);
        await OutageDeliveredAsync(engine);

        var result = await check.CheckHealthAsync(Context(check));

        Assert.True(result.Status == HealthStatus.Healthy, result.Description);
        Assert.Equal("0 s", result.Data["lateness"]);
    }

    [Fact]
    public async Task CheckHealth_AChannelFailing_DegradedNamingTheChannelUntilItDeliversAgain()
    {
        var failing = new RecordingNotifier();
        failing.FailNext(1);
        using var engine = Engine(new RecordingNotifier(), failing);
        var check = new DeviceEngineHealthCheck(engine, new DeviceEngineHealth(), _time, _store);
        await OutageDeliveredAsync(engine);

        var result = await check.CheckHealthAsync(Context(check));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("Channel 'RecordingNotifier-2' is failing (attempt 1", result.Description, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: notifier down", result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("'RecordingNotifier' ", result.Description, StringComparison.Ordinal);

        // Past its backoff it delivers: healthy again.
        _time.Advance(TimeSpan.FromSeconds(2));
        await engine.RunDueAsync();
        Assert.Equal(1, await engine.DeliverAsync());
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context(check))).Status);
    }

    [Fact]
    public async Task CheckHealth_NoPassOverDueWorkForLongerThanOverdueAfter_Degraded()
    {
        using var engine = Engine(new RecordingNotifier());
        var check = new DeviceEngineHealthCheck(engine, new DeviceEngineHealth(), _time, _store) { OverdueAfter = TimeSpan.FromSeconds(10) };

        // Never a pass: fine at first, degraded once the limit has passed since the start.
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context(check))).Status);
        _time.Advance(TimeSpan.FromSeconds(11));
        var neverRan = await check.CheckHealthAsync(Context(check));
        Assert.Equal(HealthStatus.Degraded, neverRan.Status);
        Assert.Contains("since the engine started 11 s ago", neverRan.Description, StringComparison.Ordinal);

        // A pass, then a stalled loop.
        await engine.RunDueAsync();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context(check))).Status);
        _time.Advance(TimeSpan.FromSeconds(12));
        var stalled = await check.CheckHealthAsync(Context(check));
        Assert.Equal(HealthStatus.Degraded, stalled.Status);
        Assert.Contains("No pass over due re-checks for 12 s", stalled.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_ADeviceSteppedLongAfterItsWakeTime_DegradedAsOverdue()
    {
        using var engine = Engine(new RecordingNotifier());
        var check = new DeviceEngineHealthCheck(engine, new DeviceEngineHealth(), _time, _store) { OverdueAfter = TimeSpan.FromSeconds(10) };
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);

        // The re-check was due at T0 + 30 s and runs 25 s later.
        _time.SetUtcNow(T0 + Grace + TimeSpan.FromSeconds(25));
        await engine.RunDueAsync();
        var result = await check.CheckHealthAsync(Context(check));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("stepped 25 s after its wake time", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_OutboxBacklogOverTheLimit_DegradedWithTheCounts()
    {
        var failing = new RecordingNotifier();
        failing.FailNext(100);
        using var engine = Engine(failing);
        var check = new DeviceEngineHealthCheck(engine, new DeviceEngineHealth(), _time, _store) { MaxUndelivered = 2 };
        await engine.RecordAsync([.. Enumerable.Range(0, 3).Select(i => new ConnectionEvent($"t{i}", false, T0))]);
        _time.Advance(Grace + TimeSpan.FromSeconds(1));
        await engine.RunDueAsync();

        var result = await check.CheckHealthAsync(Context(check));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("The outbox holds 3 undelivered notifications (more than 2).", result.Description, StringComparison.Ordinal);
        Assert.Equal(3L, result.Data["undelivered"]);
    }

    [Fact]
    public async Task CheckHealth_StoreDoesNotAnswer_UnhealthyWithItsMessage()
    {
        using var engine = Engine(new RecordingNotifier());
        var check = new DeviceEngineHealthCheck(engine, new DeviceEngineHealth(), _time, new BrokenStore(transient: true));

        var result = await check.CheckHealthAsync(Context(check));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("The store does not answer: " + BrokenStore.Message, result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_QuietAfterSet_NoEventForThatLong_DegradedAskingAboutTheSource()
    {
        using var engine = Engine(new RecordingNotifier());
        var check = new DeviceEngineHealthCheck(engine, new DeviceEngineHealth(), _time, _store) { QuietAfter = TimeSpan.FromMinutes(10), OverdueAfter = TimeSpan.FromDays(1) };
        await engine.RecordAsync([new ConnectionEvent("t1", true, T0)]);
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context(check))).Status);

        _time.Advance(TimeSpan.FromMinutes(2));
        var result = await check.CheckHealthAsync(Context(check));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("No event recorded for 660 s (more than 600 s): is the source still feeding the engine?", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_InAHostWhoseStoreFailsForGood_UnhealthyWithTheStoresMessage()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services
            .AddGracefulDisconnect(o => o.GracePeriod = Grace)
            .UseDeviceStore<BrokenStore>()
            .AddNotifier(new RecordingNotifier())
            .RunDeviceEngine();
        builder.Services.AddGracefulDisconnectHealthChecks();
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        // Before the engine even tried, the check's own call finds the store broken.
        var before = (await health.CheckHealthAsync()).Entries["gracefuldisconnect"];
        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.StartsWith("The store does not answer: " + BrokenStore.Message, before.Description, StringComparison.Ordinal);

        await host.StartAsync();
        await Eventually.TrueAsync(() => host.Services.GetRequiredService<DeviceEngineHealth>().Fault is not null, "the engine to stop on the broken store");
        var report = await health.CheckHealthAsync();
        await host.StopAsync();

        var entry = report.Entries["gracefuldisconnect"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains(BrokenStore.Message, entry.Description, StringComparison.Ordinal);
        Assert.IsType<DeviceStoreException>(entry.Exception);
    }

    [Fact]
    public async Task CheckHealth_InAHostWhoseStoreIsUnreachableForAWhile_DegradedNamingTheLoopsBeingRetried()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services
            .AddGracefulDisconnect(o => o.GracePeriod = Grace)
            .AddNotifier(new RecordingNotifier())
            .RunDeviceEngine();
        builder.Services.Replace(ServiceDescriptor.Singleton<IDeviceStore>(new BrokenStore(transient: true, countsAnswer: true)));
        builder.Services.AddHealthChecks().AddCheck<DeviceEngineHealthCheck>("gracefuldisconnect");
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        await host.StartAsync();
        HealthReport? report = null;
        await Eventually.TrueAsync(
            async () => (report = await health.CheckHealthAsync()).Status == HealthStatus.Degraded && report.Entries["gracefuldisconnect"].Description!.Contains("delivery loop", StringComparison.Ordinal),
            "both loops to report their failures");
        await host.StopAsync();

        var entry = report!.Entries["gracefuldisconnect"];
        Assert.Contains($"The due loop's store calls are failing since", entry.Description, StringComparison.Ordinal);
        Assert.Contains($"are retried: DeviceStoreException: {BrokenStore.Message}", entry.Description, StringComparison.Ordinal);
        Assert.Null(host.Services.GetRequiredService<DeviceEngineHealth>().Fault);
    }

    [Fact]
    public async Task AddGracefulDisconnectHealthChecks_OneLine_RegistersTheTaggedEngineCheckWithItsLimits()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services
            .AddGracefulDisconnect(o => o.GracePeriod = Grace)
            .UseLastKnownState()
            .AddNotifier(new RecordingNotifier());
        builder.Services.AddGracefulDisconnectHealthChecks(quietAfter: TimeSpan.FromMinutes(10), overdueAfter: TimeSpan.FromDays(1));
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var fresh = (await health.CheckHealthAsync(registration => registration.Tags.Contains("gracefuldisconnect"))).Entries["gracefuldisconnect"];
        _time.Advance(TimeSpan.FromMinutes(11));
        var quiet = (await health.CheckHealthAsync()).Entries["gracefuldisconnect"];

        Assert.Equal(HealthStatus.Healthy, fresh.Status);
        Assert.Equal(HealthStatus.Degraded, quiet.Status);
        Assert.Contains("No event recorded for 660 s (more than 600 s)", quiet.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGracefulDisconnectHealthChecks_LimitOutOfRange_ThrowsAtRegistrationNamingIt()
    {
        var services = new ServiceCollection();

        var timeout = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddGracefulDisconnectHealthChecks(storeTimeout: TimeSpan.Zero));
        var backlog = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddGracefulDisconnectHealthChecks(maxUndelivered: -1));

        Assert.Equal("storeTimeout", timeout.ParamName);
        Assert.StartsWith("storeTimeout must be longer than zero.", timeout.Message, StringComparison.Ordinal);
        Assert.Equal("maxUndelivered", backlog.ParamName);
        Assert.Empty(services);
    }

    [Fact]
    public void MaxUndelivered_Negative_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceEngineHealthCheck(Engine(new RecordingNotifier()), new DeviceEngineHealth(), _time, _store) { MaxUndelivered = -1 });

        Assert.Equal("MaxUndelivered", error.ParamName);
    }

    private DeviceEngine Engine(params INotifier[] notifiers)
        => new(_store, null, notifiers, _options, new NotificationFormatter(_options), _time, _metrics);

    private async Task OutageDeliveredAsync(DeviceEngine engine)
    {
        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        _time.SetUtcNow(T0 + Grace);
        Assert.Equal(1, await engine.RunDueAsync());
        await engine.DeliverAsync();
    }

    private static HealthCheckContext Context(IHealthCheck check)
        => new() { Registration = new HealthCheckRegistration("gracefuldisconnect", check, HealthStatus.Unhealthy, null) };

    /// <summary>A store whose file is corrupt (every call fails, and retrying cannot mend it), or, transient, one that cannot be reached.</summary>
    // countsAnswer: the health check's own call succeeds while the engine's loops fail (a store failing now and then).
    private sealed class BrokenStore(bool transient = false, bool countsAnswer = false) : IDeviceStore
    {
        public const string Message = "the store file is not a database";

        public ValueTask<IReadOnlyList<StoredDevice>> LoadAsync(IReadOnlyCollection<string> thingNames, CancellationToken cancellationToken = default) => throw Broken();

        public ValueTask<IReadOnlyCollection<string>> CommitAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken = default) => throw Broken();

        public ValueTask<IReadOnlyList<string>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default) => throw Broken();

        public ValueTask<IReadOnlyList<PendingDelivery>> ClaimDeliveriesAsync(string channel, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default) => throw Broken();

        public ValueTask CompleteDeliveryAsync(long sequence, CancellationToken cancellationToken = default) => throw Broken();

        public ValueTask RetryDeliveryAsync(long sequence, DateTimeOffset retryAt, CancellationToken cancellationToken = default) => throw Broken();

        public ValueTask<IReadOnlyList<ListedDevice>> ListByStatusAsync(DeviceStatusQuery query, CancellationToken cancellationToken = default) => throw Broken();

        public ValueTask<DeviceStoreCounts> CountAsync(CancellationToken cancellationToken = default) => countsAnswer ? ValueTask.FromResult(default(DeviceStoreCounts)) : throw Broken();

        private DeviceStoreException Broken() => new(Message) { IsTransient = transient };
    }
}
