using GracefulDisconnect.Email.Tests.Support;
using Xunit;

namespace GracefulDisconnect.Email.Tests.Smtp;

public sealed class AuthenticationTests
{
    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task NotifyAsync_WithCredentials_TheServerSeesThemAndAcceptsTheMail(string mechanism)
    {
        await using var server = new LoopbackSmtpServer(new SmtpServerOptions { UserName = "alerts@example.com", Password = "pä$$wörd 42", AuthMechanisms = [mechanism] });
        using var notifier = EmailTestHost.Notifier(server, options => (options.UserName, options.Password) = ("alerts@example.com", "pä$$wörd 42"));

        await notifier.NotifyAsync(Notifications.Offline());

        Assert.Equal((mechanism, "alerts@example.com", "pä$$wörd 42"), Assert.Single(server.AuthAttempts));
        Assert.Equal("alerts@example.com", server.OnlyMessage().AuthenticatedAs);
    }

    [Fact]
    public async Task NotifyAsync_WithoutCredentials_NeverAuthenticates()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server);

        await notifier.NotifyAsync(Notifications.Offline());

        Assert.Empty(server.AuthAttempts);
        Assert.Null(server.OnlyMessage().AuthenticatedAs);
    }

    [Fact]
    public async Task NotifyAsync_ServerRequiresAuthButNoCredentials_ThrowsSendFailureWith530()
    {
        await using var server = new LoopbackSmtpServer(new SmtpServerOptions { UserName = "alerts", Password = "x" });
        using var notifier = EmailTestHost.Notifier(server);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Equal((SmtpStage.Send, 530), (error.Stage, error.StatusCode));
        Assert.Contains("Authentication required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_Refused535_MessageSaysSmtp535Once()
    {
        await using var server = new LoopbackSmtpServer();
        using var notifier = EmailTestHost.Notifier(server, options => (options.UserName, options.Password) = ("alerts", "correct horse battery staple"));
        server.FailNextSession(SmtpFault.RejectAuth535);

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());

        Assert.Contains("authenticating failed: the server refused the credentials: SMTP 535 5.7.8 Authentication credentials invalid; check UserName and Password", error.Message, StringComparison.Ordinal);
    }
}
