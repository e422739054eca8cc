using System.Collections.Concurrent;
using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Notifications;

public class FanOutNotifierTests
{
    private static readonly DeviceNotification Notification = new(
        "t1", Instants.Noon, Instants.Noon.AddMinutes(5), TimeSpan.FromMinutes(5), "t1@1767268800", "t1 is offline", "message");

    [Fact]
    public async Task NotifyAsync_AllChannelsWork_SendsToEachOnceAndRemembersNothing()
    {
        var first = new RecordingNotifier();
        var second = new RecordingNotifier();
        var fanOut = new FanOutNotifier(first, second);

        await fanOut.NotifyAsync(Notification);

        Assert.Equal([Notification], first.Sent);
        Assert.Equal([Notification], second.Sent);
        Assert.Equal(0, fanOut.RememberedCount);
    }

    [Fact]
    public async Task NotifyAsync_OneChannelFails_OthersStillGetItAndTheErrorNamesTheFailingType()
    {
        var first = new RecordingNotifier();
        var broken = new ThrowingNotifier();
        var third = new RecordingNotifier();
        var fanOut = new FanOutNotifier(first, broken, third);

        var error = await Assert.ThrowsAsync<AggregateException>(async () => await fanOut.NotifyAsync(Notification));

        Assert.Single(first.Sent);
        Assert.Single(third.Sent);
        Assert.Contains("1 of 3 notifiers failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("#1 ThrowingNotifier", error.Message, StringComparison.Ordinal);
        Assert.Contains(Notification.NotificationId, error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(Assert.Single(error.InnerExceptions));
    }

    [Fact]
    public async Task NotifyAsync_ChannelThrowsSynchronously_OthersStillStart()
    {
        var first = new RecordingNotifier();
        var fanOut = new FanOutNotifier(new ThrowingNotifier(synchronously: true), first);

        await Assert.ThrowsAsync<AggregateException>(async () => await fanOut.NotifyAsync(Notification));

        Assert.Single(first.Sent);
    }

    [Fact]
    public async Task NotifyAsync_RetriedAfterAFailure_SendsOnlyToTheChannelsThatFailed()
    {
        var healthy = new RecordingNotifier();
        var flaky = new RecordingNotifier();
        flaky.FailNext(1);
        var fanOut = new FanOutNotifier(healthy, flaky);

        await Assert.ThrowsAsync<AggregateException>(async () => await fanOut.NotifyAsync(Notification));
        Assert.Equal(1, fanOut.RememberedCount);
        await fanOut.NotifyAsync(Notification);

        Assert.Single(healthy.Sent);
        Assert.Single(flaky.Sent);
        Assert.Equal(0, fanOut.RememberedCount);
    }

    [Fact]
    public async Task NotifyAsync_AnotherNotificationOfTheSameOutage_IsSentToEveryChannel()
    {
        var healthy = new RecordingNotifier();
        var flaky = new RecordingNotifier();
        flaky.FailNext(1);
        var fanOut = new FanOutNotifier(healthy, flaky);
        var recovered = Notification with { Kind = NotificationKind.Recovered };

        await Assert.ThrowsAsync<AggregateException>(async () => await fanOut.NotifyAsync(Notification));
        await fanOut.NotifyAsync(recovered);

        Assert.Equal([Notification, recovered], healthy.Sent);
        Assert.Equal([recovered], flaky.Sent);
    }

    [Fact]
    public async Task NotifyAsync_SeveralChannelsFail_NamesEveryOneAndKeepsEachException()
    {
        var fanOut = new FanOutNotifier(new ThrowingNotifier(), new RecordingNotifier(), new SlowFailingNotifier());

        var error = await Assert.ThrowsAsync<AggregateException>(async () => await fanOut.NotifyAsync(Notification));

        Assert.Contains("2 of 3 notifiers failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("#0 ThrowingNotifier", error.Message, StringComparison.Ordinal);
        Assert.Contains("#2 SlowFailingNotifier", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.InnerExceptions.Count);
    }

    [Fact]
    public async Task NotifyAsync_EveryChannelFails_RemembersNothing()
    {
        var fanOut = new FanOutNotifier(new ThrowingNotifier(), new ThrowingNotifier());

        await Assert.ThrowsAsync<AggregateException>(async () => await fanOut.NotifyAsync(Notification));

        Assert.Equal(0, fanOut.RememberedCount);
    }

    [Fact]
    public async Task NotifyAsync_ChannelsRunConcurrently()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new GatedNotifier(gate.Task);
        var second = new GatedNotifier(gate.Task);
        var fanOut = new FanOutNotifier(first, second);

        var send = fanOut.NotifyAsync(Notification).AsTask();

        // Both have started before either may finish: sequential sending would leave the second waiting.
        Assert.True(first.Started && second.Started);
        Assert.False(send.IsCompleted);
        gate.SetResult();
        await send;
    }

    [Fact]
    public async Task NotifyAsync_ManyNotificationsLeftPartlyDelivered_MemoryStaysBoundedForgettingTheOldest()
    {
        var healthy = new RecordingNotifier();
        var broken = new ThrowingNotifier();
        var fanOut = new FanOutNotifier([healthy, broken], maxRemembered: 3);

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<AggregateException>(async () => await fanOut.NotifyAsync(Notification with { OutageId = $"t1@{i}" }));
        }

        Assert.Equal(3, fanOut.RememberedCount);

        // The oldest (t1@0) was forgotten: sent to the healthy channel again. The newest (t1@4) was not.
        await Assert.ThrowsAsync<AggregateException>(async () => await fanOut.NotifyAsync(Notification with { OutageId = "t1@0" }));
        await Assert.ThrowsAsync<AggregateException>(async () => await fanOut.NotifyAsync(Notification with { OutageId = "t1@4" }));
        Assert.Equal(2, healthy.Sent.Count(sent => sent.OutageId == "t1@0"));
        Assert.Equal(1, healthy.Sent.Count(sent => sent.OutageId == "t1@4"));
        Assert.Equal(3, fanOut.RememberedCount);
    }

    [Fact]
    public async Task NotifyAsync_Cancelled_ThrowsOperationCanceledAndRemembersTheChannelsThatSucceeded()
    {
        using var cancellation = new CancellationTokenSource();
        var healthy = new RecordingNotifier();
        var hanging = new HangingNotifier();
        var fanOut = new FanOutNotifier(healthy, hanging);

        var send = fanOut.NotifyAsync(Notification, cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Single(healthy.Sent);
        Assert.Equal(1, fanOut.RememberedCount);
    }

    [Fact]
    public void Constructor_NoChannelsTooManyOrNull_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FanOutNotifier());
        Assert.Throws<ArgumentException>(() => new FanOutNotifier([.. Enumerable.Range(0, 65).Select(_ => new RecordingNotifier())]));
        Assert.Throws<ArgumentException>(() => new FanOutNotifier(new RecordingNotifier(), null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FanOutNotifier([new RecordingNotifier()], maxRemembered: 0));
    }

    [Fact]
    public async Task NotifyAsync_SixtyFourChannels_EachGetsItOnce()
    {
        var channels = Enumerable.Range(0, 64).Select(_ => new RecordingNotifier()).ToArray();
        channels[63].FailNext(1);
        var fanOut = new FanOutNotifier(channels);

        await Assert.ThrowsAsync<AggregateException>(async () => await fanOut.NotifyAsync(Notification));
        await fanOut.NotifyAsync(Notification);

        Assert.All(channels, channel => Assert.Single(channel.Sent));
    }

    private sealed class ThrowingNotifier(bool synchronously = false) : INotifier
    {
        public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
            => synchronously ? throw new InvalidOperationException("down") : ValueTask.FromException(new InvalidOperationException("down"));
    }

    private sealed class SlowFailingNotifier : INotifier
    {
        public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            throw new TimeoutException("slow");
        }
    }

    private sealed class GatedNotifier(Task gate) : INotifier
    {
        public bool Started { get; private set; }

        public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        {
            Started = true;
            await gate;
        }
    }

    private sealed class HangingNotifier : INotifier
    {
        public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
            => await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
