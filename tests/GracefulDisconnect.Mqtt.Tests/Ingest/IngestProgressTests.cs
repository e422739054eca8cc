using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Mqtt.Tests.Ingest;

/// <summary>The MQTT source's ingest watermark: what the engine may judge, given what the broker may still hold for us.</summary>
public sealed class IngestProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);

    [Fact]
    public void BeforeTheFirstConnect_NothingIsKnown_ButTheWatermarkLagsTheClockByMaxHoldAtMost()
    {
        var progress = new IngestProgress(_time);

        Assert.Equal(T0 - IngestProgress.MaxHold, progress.Watermark);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(_time.GetUtcNow() - IngestProgress.MaxHold, progress.Watermark);
    }

    [Fact]
    public void AfterConnect_TheBacklogCountsAsDeliveredOnlyOnceQuietAndRecorded()
    {
        var progress = new IngestProgress(_time);
        progress.Connected();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        progress.Arrived();
        _time.Advance(TimeSpan.FromMilliseconds(900));

        // Quiet for a second since the connect, but a message is not recorded yet.
        Assert.Equal(_time.GetUtcNow() - IngestProgress.MaxHold, progress.Watermark);
        progress.Recorded(1);

        // Recorded, but the last arrival was less than a second ago: more of the backlog may be on its way.
        Assert.Equal(_time.GetUtcNow() - IngestProgress.MaxHold, progress.Watermark);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(_time.GetUtcNow(), progress.Watermark);
    }

    [Fact]
    public void CaughtUp_AMessageWaiting_HoldsTheWatermarkAtTheLastMomentEverythingWasRecorded()
    {
        var progress = CaughtUp();
        var caughtUp = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(3));
        progress.Arrived();
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(caughtUp, progress.Watermark);
        progress.Recorded(1);
        Assert.Equal(_time.GetUtcNow(), progress.Watermark);
    }

    [Fact]
    public void Disconnected_TheWatermarkStaysWhereWeWentBlind_ThenLagsTheClockByMaxHold()
    {
        var progress = CaughtUp();
        _time.Advance(TimeSpan.FromSeconds(2));
        progress.Disconnected();
        var blind = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(blind, progress.Watermark);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(_time.GetUtcNow() - IngestProgress.MaxHold, progress.Watermark);

        // Back: the broker's backlog (what it queued for our session meanwhile) comes before the watermark moves on.
        progress.Connected();
        progress.Arrived();
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(_time.GetUtcNow() - IngestProgress.MaxHold, progress.Watermark);
    }

    [Fact]
    public void AttachTo_TheDeviceEngine_SetsItsWatermarkOnce_AndLeavesAnotherSinkAlone()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        services.AddGracefulDisconnect().UseLastKnownState().AddNotifier(new NoNotifier());
        using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<DeviceEngine>();

        var progress = IngestProgress.AttachTo(engine, _time);
        Func<DateTimeOffset> first = engine.IngestWatermark!;
        IngestProgress.AttachTo(engine, _time);

        Assert.Same(first, engine.IngestWatermark);
        Assert.Equal(progress.Watermark, engine.IngestWatermark!());
        IngestProgress.AttachTo(new NoSink(), _time);
    }

    private IngestProgress CaughtUp()
    {
        var progress = new IngestProgress(_time);
        progress.Connected();
        _time.Advance(IngestProgress.Quiet);
        Assert.Equal(_time.GetUtcNow(), progress.Watermark);
        return progress;
    }

    private sealed class NoNotifier : INotifier
    {
        public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private sealed class NoSink : IConnectionEventSink
    {
        public ValueTask RecordAsync(IReadOnlyList<ConnectionEvent> events, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
