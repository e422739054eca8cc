using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GracefulDisconnect.Tests.DependencyInjection;

public class GracefulDisconnectBuilderDecorationTests
{
    [Fact]
    public async Task DecorateRecheckHandler_WrapsTheEnginesHandler()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect()
            .UseShadowReader<FakeShadowReader>()
            .AddNotifier<RecordingNotifier>()
            .DecorateRecheckHandler((_, inner) => new CountingHandler(inner));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var handler = Assert.IsType<CountingHandler>(provider.GetRequiredService<IRecheckHandler>());
        Assert.IsType<RecheckHandler>(handler.Inner);
        Assert.Same(handler, provider.GetRequiredService<IRecheckHandler>());
    }

    [Fact]
    public async Task DecorateScheduler_AfterUseScheduler_WrapsTheChosenScheduler()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect()
            .UseShadowReader<FakeShadowReader>()
            .AddNotifier<RecordingNotifier>()
            .UseScheduler<NullScheduler>()
            .DecorateScheduler((_, inner) => new CountingScheduler(inner));
        await using var provider = services.BuildServiceProvider();

        var scheduler = Assert.IsType<CountingScheduler>(provider.GetRequiredService<IScheduler>());
        Assert.IsType<NullScheduler>(scheduler.Inner);

        await provider.GetRequiredService<DisconnectMonitor>().OnEventAsync(new ConnectionEvent("t1", false, DateTimeOffset.UnixEpoch));
        Assert.Equal(1, scheduler.Scheduled);
    }

    [Fact]
    public void DecorateScheduler_NothingRegistered_ThrowsNamingTheService()
    {
        var builder = new GracefulDisconnectBuilder(new ServiceCollection());

        var exception = Assert.Throws<InvalidOperationException>(() => builder.DecorateScheduler((_, inner) => inner));

        Assert.Contains(nameof(IScheduler), exception.Message, StringComparison.Ordinal);
    }

    private sealed class CountingHandler(IRecheckHandler inner) : IRecheckHandler
    {
        public IRecheckHandler Inner { get; } = inner;

        public ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
            => Inner.RecheckAsync(trigger, cancellationToken);
    }

    private sealed class CountingScheduler(IScheduler inner) : IScheduler
    {
        public IScheduler Inner { get; } = inner;

        public int Scheduled { get; private set; }

        public ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
        {
            Scheduled++;
            return Inner.ScheduleAsync(trigger, dueAt, cancellationToken);
        }
    }

    private sealed class NullScheduler : IScheduler
    {
        public ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
