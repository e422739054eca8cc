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
}
