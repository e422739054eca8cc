using System.Net;
using System.Net.Sockets;
using GracefulDisconnect.Email.Tests.Support;
using Xunit;

namespace GracefulDisconnect.Email.Tests.Smtp;

/// <summary>Every way a send fails ends in one <see cref="SmtpNotifierException"/> naming host:port, the stage and the server's reply.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task NotifyAsync_Greeting421_ThrowsConnectFailureWithStatusAndReply()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);
        server.FailNextSession(SmtpFault.RejectGreeting421);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal((SmtpStage.Connect, 421, server.Host, server.Port), (error.Stage, error.StatusCode, error.Host, error.Port));
        Assert.Contains($"SMTP server 127.0.0.1:{server.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("connecting failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("421", error.Message, StringComparison.Ordinal);
        Assert.Contains("Service not available", error.Message, StringComparison.Ordinal);
        Assert.Contains("'pump-7@1767225600'", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task NotifyAsync_Recipient550_ThrowsSendFailureNamingTheRecipient()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);
        server.FailNextSession(SmtpFault.RejectRecipient550);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal((SmtpStage.Send, 550), (error.Stage, error.StatusCode));
        Assert.Contains("recipient ops@example.com was refused: SMTP 550", error.Message, StringComparison.Ordinal);
        Assert.Contains("User unknown", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task NotifyAsync_Data554_ThrowsSendFailureSayingTheMessageWasRefused()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);
        server.FailNextSession(SmtpFault.RejectData554);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal((SmtpStage.Send, 554), (error.Stage, error.StatusCode));
        Assert.Contains("the message was refused: SMTP 554", error.Message, StringComparison.Ordinal);
        Assert.Contains("looks like spam", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_Auth535_ThrowsAuthenticateFailureWithStatus()
    {
        await using var server = new LoopbackSmtpServer(new SmtpServerOptions { UserName = "alerts", Password = "right" });
        using var notifier = EmailTestHost.Notifier(server, options => (options.UserName, options.Password) = ("alerts", "wrong"));

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal((SmtpStage.Authenticate, 535), (error.Stage, error.StatusCode));
        Assert.Contains("the server refused the credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains("5.7.8 Authentication credentials invalid", error.Message, StringComparison.Ordinal);
        Assert.Contains("check UserName and Password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_ServerNeverGreets_TimesOutNamingTheTimeout()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server, options => options.Timeout = TimeSpan.FromMilliseconds(300));
        server.FailNextSession(SmtpFault.HangOnGreeting);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal(SmtpStage.Connect, error.Stage);
        Assert.Null(error.StatusCode);
        Assert.Contains("no answer within 00:00:00.3000000 (Timeout)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_ServerNeverAnswersTheData_TimesOutWhileSending()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server, options => options.Timeout = TimeSpan.FromMilliseconds(300));
        server.FailNextSession(SmtpFault.HangAfterData);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal(SmtpStage.Send, error.Stage);
        Assert.Contains("no answer within", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_ConnectionDroppedDuringData_ThrowsSendFailureAndTheRetrySucceeds()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);
        server.FailNextSession(SmtpFault.DropDuringData);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());
        await notifier.NotifyAsync(Notifications.Offline());

        Assert.Equal(SmtpStage.Send, error.Stage);
        Assert.Null(error.StatusCode);
        Assert.Matches("disconnected|connection was lost", error.Message);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task NotifyAsync_ServerHangsUpWithoutReplying_ThrowsSendFailureSayingItDisconnected()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);
        server.FailNextSession(SmtpFault.HangUpAfterData);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal(SmtpStage.Send, error.Stage);
        Assert.IsType<MailKit.Net.Smtp.SmtpProtocolException>(error.InnerException);
        Assert.Contains("unexpectedly disconnected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_NothingListening_ThrowsConnectFailureWithTheSocketError()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server, options => options.Port = port);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal(SmtpStage.Connect, error.Stage);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionRefused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_StartTlsRequiredButNotOffered_ThrowsConnectFailureWithTheFix()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server, options => options.Security = SmtpSecurity.StartTls);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal(SmtpStage.Connect, error.Stage);
        Assert.Contains("STARTTLS", error.Message, StringComparison.Ordinal);
        Assert.Contains("SslOnConnect", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task NotifyAsync_SslOnConnectToAPlainTextServer_ThrowsConnectFailureAboutTheHandshake()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server, options => options.Security = SmtpSecurity.SslOnConnect);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal(SmtpStage.Connect, error.Stage);
        Assert.Contains("TLS handshake failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task NotifyAsync_CredentialsForAServerWithoutAuth_ThrowsAuthenticateFailure()
    {
        await using var server = new LoopbackSmtpServer(new SmtpServerOptions { AuthMechanisms = [] });
        using var notifier = EmailTestHost.Notifier(server, options => (options.UserName, options.Password) = ("alerts", "s3cret"));

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal(SmtpStage.Authenticate, error.Stage);
        Assert.Contains("authentication", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task NotifyAsync_AfterAFailure_TheNextSendWorks()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);
        server.FailNextSession(SmtpFault.RejectGreeting421);

        await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());
        await notifier.NotifyAsync(Notifications.Offline());

        Assert.Single(server.Received);
    }
}
