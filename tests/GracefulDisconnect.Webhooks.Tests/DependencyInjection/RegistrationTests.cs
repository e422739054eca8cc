using System.Text.Json.Nodes;
using GracefulDisconnect.Webhooks.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks.Tests.DependencyInjection;

public sealed class RegistrationTests : IAsyncLifetime
{
    private LoopbackReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task AddSlackNotifier_TwoNames_TwoChannelsEachPostingToItsOwnUrl()
    {
        await using var provider = TestHost.Build(builder => builder
            .AddSlackNotifier(options => options.Url = _receiver.Url("services/T1/B1/alerts-secret-0000000001"))
            .AddSlackNotifier("night-shift", options => options.Url = _receiver.Url("services/T1/B2/nights-secret-000000002")));

        var notifiers = provider.GetServices<INotifier>().ToList();
        foreach (var notifier in notifiers)
        {
            await notifier.NotifyAsync(Notifications.Offline());
        }

        Assert.Equal(2, notifiers.Count);
        Assert.Equal(["/services/T1/B1/alerts-secret-0000000001", "/services/T1/B2/nights-secret-000000002"], _receiver.Requests.Select(request => request.RawTarget).Order());
    }

    [Fact]
    public async Task AddSlackNotifier_SameNameTwice_OneChannelWithBothConfigurations()
    {
        await using var provider = TestHost.Build(builder => builder
            .AddSlackNotifier(options => options.Url = _receiver.Url("services/T1/B1/alerts-secret-0000000001"))
            .AddSlackNotifier(options => options.MaxListedThings = 1));

        await provider.Notifier().NotifyAsync(Notifications.Digest(3));

        var list = (string?)JsonNode.Parse(Assert.Single(_receiver.Requests).BodyText)!["blocks"]![2]!["text"]!["text"];
        Assert.Equal("*3 devices:*\n• `sensor-001`\n…and 2 more", list);
    }

    [Fact]
    public async Task RecheckAsync_SlackTeamsAndWebhookThroughTheEngine_EachChannelGetsTheNotificationOnce()
    {
        await using var provider = TestHost.Build(builder => builder
            .AddSlackNotifier(options => options.Url = _receiver.Url("slack/secret-path-000000001"))
            .AddTeamsNotifier(options => options.Url = _receiver.Url("teams/invoke?sig=secret-sig-0000000001"))
            .AddWebhookNotifier(options =>
            {
                options.Url = _receiver.Url("hook");
                options.Secret = "a-secret-of-at-least-16-bytes";
            }));

        var outcome = await provider.RecheckAndDeliverAsync(new DisconnectTrigger("pump-7", Notifications.OfflineSince));

        Assert.Equal(RecheckResult.Notified, outcome.Result);
        Assert.Equal(["/hook", "/slack/secret-path-000000001", "/teams/invoke?sig=secret-sig-0000000001"], _receiver.Requests.Select(request => request.RawTarget).Order());
        Assert.All(_receiver.Requests, request => Assert.Contains("pump-7", request.BodyText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddNotifiers_FromConfiguration_BindsEveryOptionIncludingHeaders()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GracefulDisconnect:Slack:Url"] = _receiver.Url("services/T1/B1/from-config-000000001"),
            ["GracefulDisconnect:Slack:MaxListedThings"] = "5",
            ["GracefulDisconnect:Slack:AttemptTimeout"] = "00:00:03",
            ["GracefulDisconnect:Teams:Url"] = _receiver.Url("teams?sig=from-config-sig-00000001"),
            ["GracefulDisconnect:Webhook:Url"] = _receiver.Url("hook"),
            ["GracefulDisconnect:Webhook:Secret"] = "from-config-secret-0123456789",
            ["GracefulDisconnect:Webhook:MaxRetryAttempts"] = "0",
            ["GracefulDisconnect:Webhook:Headers:X-Tenant"] = "fleet-7",
        }).Build();
        await using var provider = TestHost.Build(builder => builder
            .AddSlackNotifier(configuration.GetSection(SlackNotifierOptions.SectionName))
            .AddTeamsNotifier(configuration.GetSection(TeamsNotifierOptions.SectionName))
            .AddWebhookNotifier(configuration.GetSection(WebhookNotifierOptions.SectionName)));

        var slack = provider.GetRequiredService<IOptionsMonitor<SlackNotifierOptions>>().Get(SlackNotifierOptions.DefaultName);
        var webhook = provider.GetRequiredService<IOptionsMonitor<WebhookNotifierOptions>>().Get(WebhookNotifierOptions.DefaultName);
        Assert.Equal((5, TimeSpan.FromSeconds(3)), (slack.MaxListedThings, slack.AttemptTimeout));
        Assert.Equal(0, webhook.MaxRetryAttempts);
        foreach (var notifier in provider.GetServices<INotifier>())
        {
            await notifier.NotifyAsync(Notifications.Offline());
        }

        Assert.Equal(3, _receiver.Requests.Count);
        Assert.Equal("fleet-7", _receiver.Requests.Single(request => request.RawTarget == "/hook").Header("X-Tenant"));
    }

    [Fact]
    public async Task StartupValidator_InvalidChannel_FailsAtStartNamingTheChannelAndTheOption()
    {
        await using var provider = TestHost.Build(builder => builder.AddSlackNotifier("ops", options => options.Url = "services/T1/B1/relative-secret-00001"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(provider.ValidateOnStartAsync);

        Assert.Contains("Slack notifier 'ops': Url must be an absolute https URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("relative-secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("slash/name")]
    public void AddSlackNotifier_BadName_IsRefusedAtOnce(string name)
    {
        var services = new ServiceCollection();
        var builder = services.AddGracefulDisconnect();

        var error = Assert.Throws<ArgumentException>(() => builder.AddSlackNotifier(name, options => { }));

        Assert.Contains("is not a channel name", error.Message, StringComparison.Ordinal);
    }
}
