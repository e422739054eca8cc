using System.Text;
using GracefulDisconnect.Email.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace GracefulDisconnect.Email.Tests.Hostile;

/// <summary>
/// The password never leaves the notifier: not in its exceptions (message, inner exceptions, stack), not in any log
/// line of any category down to Trace, not in the options' text, not in validation errors, even when a careless
/// server quotes the AUTH data (base64 of the password) back in its refusal.
/// </summary>
public sealed class PasswordTests
{
    private const string User = "AKIAEXAMPLEUSER";
    private const string Password = "BL9+s3cr3t/Pa55word=Zq";

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task RefusedAuth_ServerEchoesTheCredentials_NeitherExceptionNorLogsCarryThem(string mechanism)
    {
        var logs = new CapturingLoggerProvider();
        await using var server = new LoopbackSmtpServer(new SmtpServerOptions { UserName = User, Password = "another", AuthMechanisms = [mechanism], EchoCredentialsOnAuthFailure = true });
        await using var provider = EmailTestHost.Build(server, options => (options.UserName, options.Password) = (User, Password), logs, builder => builder.UseShadowReader<OfflineReader>());
        var notifier = Assert.Single(provider.GetServices<INotifier>());

        var error = await Assert.ThrowsAsync<SmtpNotifierException>(() => notifier.NotifyAsync(Notifications.Offline()).AsTask());
        var outcome = await provider.RecheckAndDeliverAsync(new DisconnectTrigger("pump-7", Notifications.Since));

        // Decided and kept in the outbox; the refused delivery is logged without the credentials.
        Assert.Equal(RecheckResult.Notified, outcome.Result);
        Assert.Contains("[redacted]", error.Message, StringComparison.Ordinal);
        AssertNoSecret(error.ToString(), "the exception");
        AssertNoSecret(logs.AllText(), "the logs");
        Assert.Contains(logs.Entries, entry => entry.EventId == 4102);
    }

    [Fact]
    public void Options_ToString_LeavesThePasswordOut()
    {
        var options = new SmtpNotifierOptions { Host = "smtp.example.com", UserName = User, Password = Password, From = "a@example.com" };
        options.To.Add("b@example.com");

        var text = options.ToString();

        Assert.Contains("password (set)", text, StringComparison.Ordinal);
        AssertNoSecret(text, "ToString");
    }

    [Fact]
    public async Task InvalidOptions_StartUpValidation_NamesProblemsButNotThePassword()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect().AddSmtpNotifier(options =>
        {
            options.Host = "smtp.example.com";
            options.Security = SmtpSecurity.None;
            options.UserName = User;
            options.Password = Password;
            options.From = Password;
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("AllowUnencrypted", error.Message, StringComparison.Ordinal);
        Assert.Contains("From", error.Message, StringComparison.Ordinal);
        // The From value is shown (it is an address), which is why the test gives it the password's text: only a
        // mistake of the user's own puts it there, and it is the address rule that reports it, not the password.
        Assert.DoesNotContain("Password", error.Message, StringComparison.Ordinal);
    }

    private static void AssertNoSecret(string text, string where)
    {
        foreach (var secret in new[]
        {
            Password,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)),
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{User}\0{Password}")),
        })
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a form of the password is in {where}:\n{text}");
        }
    }
}
