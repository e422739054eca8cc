using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Alerts;

public sealed class LiveRecoveryTests : IAsyncDisposable
{
    private readonly AlertHarness _h = new(o => o.NotifyRecovery = true);

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Connect_AfterNotifiedOutage_SendsRecoveredOnceEvenWhenRepeated()
    {
        await _h.DisconnectAsync("t1");
        await _h.AdvanceAsync(TimeSpan.FromMinutes(10));
        var connectedAt = Instants.Noon.AddMinutes(10);

        await _h.ConnectAsync("t1", connectedAt);
        await _h.ConnectAsync("t1", connectedAt);
        await _h.ConnectAsync("t1", connectedAt.AddMinutes(1));

        Assert.Single(_h.Sent(NotificationKind.Offline));
        var recovered = Assert.Single(_h.Sent(NotificationKind.Recovered));
        Assert.Equal("t1", recovered.ThingName);
        Assert.Equal(Instants.Noon, recovered.OfflineSince);
        Assert.Equal(TimeSpan.FromMinutes(10), recovered.OfflineFor);
        Assert.Equal("t1@1767268800#recovered", recovered.NotificationId);
        Assert.Equal("t1 is back online", recovered.Subject);
        Assert.Equal(0, _h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task Connect_WhileTheOfflineNotificationIsBeingSent_SendsRecoveredRightAfterIt()
    {
        var slowChannel = new GatedNotifier();
        await using var h = new AlertHarness(o => o.NotifyRecovery = true, slowChannel);
        await h.DisconnectAsync("t1");
        h.Time.Advance(AlertHarness.Grace);
        var recheck = Assert.Single(h.StartDue());
        await slowChannel.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The re-check has read the device as offline and is sending; the device comes back meanwhile.
        var connectedAt = h.Time.GetUtcNow().AddSeconds(1);
        await h.ConnectAsync("t1", connectedAt);
        Assert.Empty(h.Sent(NotificationKind.Recovered));
        slowChannel.Open.SetResult();
        Assert.Equal(RecheckResult.Notified, (await recheck).Result);

        var recovered = Assert.Single(h.Sent(NotificationKind.Recovered));
        Assert.Equal(connectedAt - Instants.Noon, recovered.OfflineFor);
        Assert.Equal(0, h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task NewerDisconnect_WhileTheOfflineNotificationIsBeingSent_ClosesItSoALaterConnectIsNoRecovery()
    {
        var slowChannel = new GatedNotifier();
        await using var h = new AlertHarness(o => o.NotifyRecovery = true, slowChannel);
        await h.DisconnectAsync("t1");
        h.Time.Advance(AlertHarness.Grace);
        var recheck = Assert.Single(h.StartDue());
        await slowChannel.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await h.Monitor.OnEventAsync(new ConnectionEvent("t1", false, h.Time.GetUtcNow().AddSeconds(2)));
        slowChannel.Open.SetResult();
        await recheck;
        await h.Monitor.OnEventAsync(new ConnectionEvent("t1", true, h.Time.GetUtcNow().AddSeconds(3)));

        Assert.Empty(h.Sent(NotificationKind.Recovered));
        Assert.Equal(0, h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task Connect_AfterSkippedOutage_SendsNothing()
    {
        await _h.DisconnectAsync("t1");
        await _h.ConnectAsync("t1", Instants.Noon.AddMinutes(1));
        await _h.AdvanceAsync(TimeSpan.FromMinutes(10));

        await _h.ConnectAsync("t1", Instants.Noon.AddMinutes(11));

        Assert.Equal(RecheckResult.SkippedReconnected, Assert.Single(_h.Outcomes).Result);
        Assert.Empty(_h.Notifier.Sent);
    }

    [Fact]
    public async Task Connect_OlderThanTheOutage_IsNoRecovery()
    {
        await _h.DisconnectAsync("t1");
        await _h.AdvanceAsync(TimeSpan.FromMinutes(6));

        // A connect from before the outage, delivered late.
        await _h.Monitor.OnEventAsync(new ConnectionEvent("t1", true, Instants.Noon.AddSeconds(-1)));

        Assert.Empty(_h.Sent(NotificationKind.Recovered));
        Assert.Equal(1, _h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task NewerDisconnect_ClosesTheOpenOutageSilently()
    {
        await _h.DisconnectAsync("t1");
        await _h.AdvanceAsync(TimeSpan.FromMinutes(6));

        // The connect in between never arrived; the next disconnect did.
        await _h.DisconnectAsync("t1", Instants.Noon.AddMinutes(8));
        await _h.Monitor.OnEventAsync(new ConnectionEvent("t1", true, Instants.Noon.AddMinutes(7)));

        Assert.Empty(_h.Sent(NotificationKind.Recovered));
        Assert.Equal(0, _h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task Connect_RecoveryOff_SendsNothingAndKeepsNothing()
    {
        await using var h = new AlertHarness(_ => { });
        await h.DisconnectAsync("t1");
        await h.AdvanceAsync(TimeSpan.FromMinutes(6));

        await h.ConnectAsync("t1");

        Assert.Single(h.Notifier.Sent);
        Assert.Equal(0, h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task Connect_NotifierDown_ThrowsThenSendsOnRedelivery()
    {
        await _h.DisconnectAsync("t1");
        await _h.AdvanceAsync(TimeSpan.FromMinutes(6));
        var connect = new ConnectionEvent("t1", true, Instants.Noon.AddMinutes(6));
        _h.Reader.Set("t1", new ConnectionSnapshot(true, connect.At));
        _h.Notifier.FailNext(2);

        var exception = await Assert.ThrowsAsync<AlertNotSentException>(async () => await _h.Monitor.OnEventAsync(connect));
        Assert.Contains("t1@1767268800#recovered", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_h.Sent(NotificationKind.Recovered));

        await _h.Monitor.OnEventAsync(connect);
        await _h.Monitor.OnEventAsync(connect);

        Assert.Single(_h.Sent(NotificationKind.Recovered));
    }

    /// <summary>A channel that holds offline notifications until opened, to deliver events while one is being sent.</summary>
    private sealed class GatedNotifier : INotifier
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        {
            if (notification.Kind == NotificationKind.Offline)
            {
                Entered.TrySetResult();
                await Open.Task.WaitAsync(cancellationToken);
            }
        }
    }
}
