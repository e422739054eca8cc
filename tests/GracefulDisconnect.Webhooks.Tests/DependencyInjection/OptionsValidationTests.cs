using GracefulDisconnect.Webhooks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks.Tests.DependencyInjection;

public sealed class OptionsValidationTests
{
    private const string SlackUrl = "https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/xq7Rk2LmP9vTzW4nYb8cHd3F";

    [Theory]
    [InlineData(null, "Slack notifier 'slack': Url is required: set it to the incoming webhook URL of your Slack app")]
    [InlineData("  ", "Slack notifier 'slack': Url is required")]
    [InlineData("hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/xq7Rk2LmP9vTzW4nYb8cHd3F", "Slack notifier 'slack': Url must be an absolute https URL such as the incoming webhook URL")]
    [InlineData("/services/T0ABCDEF1/B0ABCDEF2/xq7Rk2LmP9vTzW4nYb8cHd3F", "Slack notifier 'slack': Url must be an absolute https URL")]
    [InlineData("ftp://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/xq7Rk2LmP9vTzW4nYb8cHd3F", "Slack notifier 'slack': Url must be an absolute https URL")]
    [InlineData("http://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/xq7Rk2LmP9vTzW4nYb8cHd3F", "Slack notifier 'slack': Url must use https: http is accepted only for a loopback host (localhost, 127.0.0.1, ::1), and 'hooks.slack.com' is not one. Use the https URL, or set AllowInsecureHttp = true")]
    [InlineData("https://user:xq7Rk2LmP9vTzW4nYb8cHd3F@hooks.slack.com/services/x", "Slack notifier 'slack': Url must not carry a user name or password")]
    public void Slack_BadUrl_IsRefusedWithAClearMessageThatDoesNotQuoteIt(string? url, string expected)
    {
        var error = Refused<SlackNotifierOptions>(builder => builder.AddSlackNotifier(options => options.Url = url));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xq7Rk2LmP9vTzW4nYb8cHd3F", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://127.8.9.10/hook")]
    [InlineData("http://[::1]:8080/hook")]
    [InlineData("https://hooks.slack.com/services/T/B/x")]
    public async Task Slack_HttpsOrLoopbackHttp_IsAccepted(string url)
    {
        await using var provider = TestHost.Build(builder => builder.AddSlackNotifier(options => options.Url = url));

        await provider.ValidateOnStartAsync();
    }

    [Fact]
    public async Task Slack_HttpToAPublicHostWithAllowInsecureHttp_IsAccepted()
    {
        await using var provider = TestHost.Build(builder => builder.AddSlackNotifier(options =>
        {
            options.Url = "http://alerts.example.com/hook";
            options.AllowInsecureHttp = true;
        }));

        await provider.ValidateOnStartAsync();
    }

    [Fact]
    public void Teams_MissingUrl_IsRefusedNamingTheWorkflowTrigger()
    {
        var error = Refused<TeamsNotifierOptions>(builder => builder.AddTeamsNotifier("managers", options => { }));

        Assert.Contains("Teams notifier 'managers': Url is required: set it to the HTTP URL of your Teams workflow's \"When a Teams webhook request is received\" trigger", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Webhook notifier 'webhook': Secret is required: set it to a random secret shared with the receiver, at least 16 bytes")]
    [InlineData("", "Webhook notifier 'webhook': Secret is required")]
    [InlineData("short-secret", "Webhook notifier 'webhook': Secret is too short (12 bytes): use at least 16 bytes, for example the output of 'openssl rand -hex 32'.")]
    public void Webhook_MissingOrShortSecret_IsRefusedWithoutQuotingIt(string? secret, string expected)
    {
        var error = Refused<WebhookNotifierOptions>(builder => builder.AddWebhookNotifier(options =>
        {
            options.Url = "https://receiver.example.com/hooks";
            options.Secret = secret;
        }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(secret))
        {
            Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Webhook_SecretOfSixteenUtf8Bytes_IsAccepted()
    {
        await using var provider = TestHost.Build(builder => builder.AddWebhookNotifier(options =>
        {
            options.Url = "https://receiver.example.com/hooks";
            options.Secret = "秘密の鍵ですx"; // 6 × 3 bytes + 1 = 19 bytes, 7 characters
        }));

        await provider.ValidateOnStartAsync();
    }

    [Theory]
    [InlineData("X-GracefulDisconnect-Signature", "value", "Headers cannot set 'X-GracefulDisconnect-Signature'")]
    [InlineData("Content-Type", "text/plain", "Headers cannot set 'Content-Type'")]
    [InlineData("Host", "evil.example.com", "Headers cannot set 'Host'")]
    [InlineData("Bad Header", "value", "Headers has a name that is not a valid HTTP header name")]
    [InlineData("Authorization", "Bearer tok\r\nX-Injected: 1", "Headers['Authorization'] must be printable ASCII")]
    public void Webhook_BadHeader_IsRefused(string name, string value, string expected)
    {
        var error = Refused<WebhookNotifierOptions>(builder => builder.AddWebhookNotifier(options =>
        {
            options.Url = "https://receiver.example.com/hooks";
            options.Secret = "0123456789abcdef0123456789abcdef";
            options.Headers[name] = value;
        }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer tok", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnyChannel_RetryAndTimeoutOutOfRange_IsRefused()
    {
        var error = Refused<SlackNotifierOptions>(builder => builder.AddSlackNotifier(options =>
        {
            options.Url = SlackUrl;
            options.MaxRetryAttempts = 11;
            options.AttemptTimeout = TimeSpan.Zero;
            options.RetryBaseDelay = TimeSpan.FromSeconds(50);
            options.MaxRetryDelay = TimeSpan.FromSeconds(10);
        }));

        Assert.Contains("MaxRetryAttempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("AttemptTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("Slack notifier 'slack': RetryBaseDelay (00:00:50) must not exceed MaxRetryDelay (00:00:10)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_OfEveryOptions_ShowsOnlySchemeAndHost()
    {
        var slack = new SlackNotifierOptions { Url = SlackUrl };
        var teams = new TeamsNotifierOptions { Url = "https://prod-27.westus.logic.azure.com:443/workflows/0a1b2c3d/triggers/manual/paths/invoke?api-version=2016-06-01&sig=aB3dE5fG7hJ9kL1mN3pQ" };
        var webhook = new WebhookNotifierOptions { Url = "https://receiver.example.com/hooks?token=abcdef0123456789", Secret = "0123456789abcdef-secret" };
        webhook.Headers["Authorization"] = "Bearer header-token-value";

        Assert.StartsWith("SlackNotifierOptions { Url = https://hooks.slack.com/…, AllowInsecureHttp = False, AttemptTimeout = 00:00:10", slack.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("xq7Rk2", slack.ToString(), StringComparison.Ordinal);
        Assert.Contains("Url = https://prod-27.westus.logic.azure.com/…", teams.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("aB3dE5", teams.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("workflows", teams.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("abcdef0123456789", webhook.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", webhook.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("header-token", webhook.ToString(), StringComparison.Ordinal);
        Assert.Contains("Url = (not set)", new SlackNotifierOptions().ToString(), StringComparison.Ordinal);
    }

    private static OptionsValidationException Refused<TOptions>(Action<GracefulDisconnectBuilder> configure)
        where TOptions : class
    {
        using var provider = TestHost.Build(configure);

        // Both at start (ValidateOnStart) and when the notifier is first built.
        var atStart = Assert.Throws<OptionsValidationException>(() => provider.ValidateOnStartAsync().GetAwaiter().GetResult());
        var atBuild = Assert.Throws<OptionsValidationException>(() => provider.GetServices<INotifier>().ToList());
        Assert.Equal(typeof(TOptions), atStart.OptionsType);
        Assert.Equal(atStart.Message, atBuild.Message);
        return atStart;
    }
}
