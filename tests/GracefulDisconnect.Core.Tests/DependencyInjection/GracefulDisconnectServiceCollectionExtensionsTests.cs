using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.DependencyInjection;

public class GracefulDisconnectServiceCollectionExtensionsTests
{
    private sealed class OtherNotifier : INotifier
    {
        public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private sealed class NullScheduler : IScheduler
    {
        public List<(DisconnectTrigger Trigger, DateTimeOffset DueAt)> Scheduled { get; } = [];

        public ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
        {
            Scheduled.Add((trigger, dueAt));
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task AddGracefulDisconnect_WithReaderAndNotifier_ResolvesEveryService()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGracefulDisconnect(o => o.GracePeriod = TimeSpan.FromMinutes(2))
            .UseShadowReader<FakeShadowReader>()
            .AddNotifier<RecordingNotifier>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var engine = provider.GetRequiredService<DeviceEngine>();
        Assert.Same(engine, provider.GetRequiredService<IRecheckHandler>());
        Assert.Same(engine, provider.GetRequiredService<IConnectionEventSink>());
        Assert.IsType<InMemoryDeviceStore>(provider.GetRequiredService<IDeviceStore>());
        Assert.Null(provider.GetService<IScheduler>()); // the store's due wakes are the schedule
        Assert.IsType<FakeShadowReader>(provider.GetRequiredService<IShadowReader>());
        Assert.IsType<RecordingNotifier>(Assert.Single(provider.GetServices<INotifier>()));
        Assert.NotNull(provider.GetRequiredService<NotificationFormatter>());
        Assert.NotNull(provider.GetRequiredService<GracefulDisconnectMetrics>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.Same(engine, provider.GetRequiredService<DeviceEngine>());
    }

    [Fact]
    public void AddGracefulDisconnect_ReturnsBuilderOverTheSameServices()
    {
        var services = new ServiceCollection();

        var builder = services.AddGracefulDisconnect();

        Assert.Same(services, builder.Services);
    }

    [Fact]
    public async Task AddGracefulDisconnect_NoNotifier_ThrowsClearInvalidOperationException()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGracefulDisconnect().UseShadowReader<FakeShadowReader>();
        await using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IRecheckHandler>());

        Assert.Contains("No INotifier is registered", exception.Message, StringComparison.Ordinal);
        Assert.Contains("AddNotifier", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddGracefulDisconnect_NoShadowReader_TheEngineDecidesFromItsOwnRecord()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGracefulDisconnect().AddNotifier<RecordingNotifier>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.NotNull(provider.GetRequiredService<IRecheckHandler>());
        Assert.Null(provider.GetService<IShadowReader>());
    }

    [Fact]
    public async Task AddNotifier_SeveralNotifiers_AreAllRegisteredOnce()
    {
        var services = new ServiceCollection();
        var instance = new RecordingNotifier();
        services.AddGracefulDisconnect()
            .AddNotifier<OtherNotifier>()
            .AddNotifier<OtherNotifier>()
            .AddNotifier(instance);
        await using var provider = services.BuildServiceProvider();

        var notifiers = provider.GetServices<INotifier>().ToList();

        Assert.Equal(2, notifiers.Count);
        Assert.Contains(instance, notifiers);
        Assert.Single(notifiers.OfType<OtherNotifier>());
    }

    [Fact]
    public void AddNotifier_NullInstance_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddGracefulDisconnect().AddNotifier(null!));
    }

    [Fact]
    public async Task UseScheduler_TheEngineAsksItForEachWake()
    {
        var time = new FakeTimeProvider(Instants.Noon);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddGracefulDisconnect(o => o.GracePeriod = TimeSpan.FromMinutes(5)).AddNotifier<RecordingNotifier>().UseScheduler<NullScheduler>().UseScheduler<NullScheduler>();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IConnectionEventSink>().RecordAsync([new ConnectionEvent("t1", false, Instants.Noon)]);

        var scheduler = Assert.IsType<NullScheduler>(Assert.Single(provider.GetServices<IScheduler>()));
        Assert.Equal([(new DisconnectTrigger("t1", Instants.Noon), Instants.Noon.AddMinutes(5))], scheduler.Scheduled);
    }

    [Fact]
    public async Task UseShadowReader_Twice_KeepsTheLast()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IShadowReader>(new FakeShadowReader());
        services.AddGracefulDisconnect().UseShadowReader<FakeShadowReader>();
        await using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<IShadowReader>());
    }

    [Fact]
    public async Task AddGracefulDisconnect_ExistingTimeProvider_IsKept()
    {
        var fake = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fake);
        services.AddGracefulDisconnect();
        await using var provider = services.BuildServiceProvider();

        Assert.Same(fake, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task AddGracefulDisconnect_CalledTwice_RegistersOnceAndCombinesConfiguration()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(o => o.GracePeriod = TimeSpan.FromMinutes(2));
        services.AddGracefulDisconnect(o => o.TimeZone = "Asia/Tokyo");
        await using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<GracefulDisconnectOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IDeviceStore));
        Assert.Single(services, d => d.ServiceType == typeof(DeviceEngine));
        var options = provider.GetRequiredService<IOptions<GracefulDisconnectOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(2), options.GracePeriod);
        Assert.Equal("Asia/Tokyo", options.TimeZone);
    }

    [Fact]
    public async Task AddGracefulDisconnect_ResolvedEngine_NotifiesThroughTheRegisteredNotifier()
    {
        var time = new FakeTimeProvider(Instants.Noon);
        var reader = new FakeShadowReader();
        var notifier = new RecordingNotifier();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IShadowReader>(reader);
        services.AddGracefulDisconnect(o => o.GracePeriod = TimeSpan.FromMinutes(5)).AddNotifier(notifier);
        await using var provider = services.BuildServiceProvider();
        reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));

        var engine = provider.GetRequiredService<DeviceEngine>();
        await engine.RecordAsync([new ConnectionEvent("t1", false, Instants.Noon)]);
        time.Advance(TimeSpan.FromMinutes(5));
        await engine.RunDueAsync();
        await engine.DeliverAsync();

        Assert.Equal("t1@1767268800", Assert.Single(notifier.Sent).OutageId);
    }

    [Fact]
    public void AddGracefulDisconnect_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddGracefulDisconnect());
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddGracefulDisconnect((Microsoft.Extensions.Configuration.IConfiguration)null!));
    }
}
