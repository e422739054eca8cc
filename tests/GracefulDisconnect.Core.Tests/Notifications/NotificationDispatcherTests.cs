using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Notifications;

public class NotificationDispatcherTests
{
    private static readonly DeviceNotification Notification = new(
        "t1", Instants.Noon, Instants.Noon.AddMinutes(5), TimeSpan.FromMinutes(5), "t1@1767268800", "t1 is offline", "message");

    private readonly FakeTimeProvider _time = new(Instants.Noon);

    private NotificationDispatcher Dispatcher(INotifier[] channels, int attempts = 3, TimeSpan? retryDelay = null)
        => new(channels, new GracefulDisconnectOptions { NotifyAttempts = attempts, NotifyRetryDelay = retryDelay ?? TimeSpan.Zero }, _time, NullLogger.Instance);

    [Fact]
    public async Task SendAsync_AllChannelsWork_SendsToEachOnce()
    {
        var first = new RecordingNotifier();
        var second = new RecordingNotifier();

        await Dispatcher([first, second]).SendAsync(Notification, CancellationToken.None);

        Assert.Equal([Notification], first.Sent);
        Assert.Equal([Notification], second.Sent);
    }

    [Fact]
    public async Task SendAsync_ChannelFailsFewerTimesThanAttempts_Succeeds()
    {
        var channel = new RecordingNotifier();
        channel.FailNext(2);

        await Dispatcher([channel], attempts: 3).SendAsync(Notification, CancellationToken.None);

        Assert.Single(channel.Sent);
    }

    [Fact]
    public async Task SendAsync_ChannelFailsEveryAttempt_ThrowsItsException()
    {
        var channel = new RecordingNotifier();
        channel.FailNext(3);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await Dispatcher([channel], attempts: 3).SendAsync(Notification, CancellationToken.None));

        Assert.Equal("notifier down", exception.Message);
        Assert.Empty(channel.Sent);
    }

    [Fact]
    public async Task SendAsync_Backoff_WaitsOnTheInjectedClock()
    {
        var channel = new RecordingNotifier();
        channel.FailNext(1);

        // The first backoff is between half and all of NotifyRetryDelay (equal jitter).
        var send = Dispatcher([channel], attempts: 2, retryDelay: TimeSpan.FromSeconds(2)).SendAsync(Notification, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(999));
        var sentBeforeHalfTheDelay = channel.Count;
        _time.Advance(TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(1));

        await send.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, sentBeforeHalfTheDelay);
        Assert.Single(channel.Sent);
    }

    [Fact]
    public async Task SendAsync_OneChannelFails_RetryLaterSkipsTheChannelsThatAlreadyHaveIt()
    {
        var working = new RecordingNotifier();
        var failing = new RecordingNotifier();
        failing.FailNext(1);
        var dispatcher = Dispatcher([working, failing], attempts: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await dispatcher.SendAsync(Notification, CancellationToken.None));
        await dispatcher.SendAsync(Notification, CancellationToken.None);

        Assert.Single(working.Sent);
        Assert.Single(failing.Sent);
    }

    [Fact]
    public async Task SendAsync_SeveralChannelsFail_ThrowsAggregateOfEach()
    {
        var first = new RecordingNotifier();
        var second = new RecordingNotifier();
        first.FailNext(1);
        second.FailNext(1);

        var exception = await Assert.ThrowsAsync<AggregateException>(
            async () => await Dispatcher([first, second], attempts: 1).SendAsync(Notification, CancellationToken.None));

        Assert.Equal(2, exception.InnerExceptions.Count);
    }

    [Fact]
    public async Task SendAsync_Cancelled_PropagatesCancellation()
    {
        var channel = new RecordingNotifier();
        channel.FailNext(1);
        using var cancellation = new CancellationTokenSource();
        var send = Dispatcher([channel], attempts: 2, retryDelay: TimeSpan.FromSeconds(2)).SendAsync(Notification, cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(channel.Sent);
    }

    [Fact]
    public void Constructor_NoChannels_ThrowsWithAHint()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Dispatcher([]));

        Assert.Contains("No INotifier is registered", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MoreThan64Channels_Throws()
    {
        var channels = Enumerable.Range(0, 65).Select(_ => (INotifier)new RecordingNotifier()).ToArray();

        Assert.Throws<InvalidOperationException>(() => Dispatcher(channels));
    }
}
