using GracefulDisconnect.Email.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace GracefulDisconnect.Email.Tests.DependencyInjection;

public sealed class SmtpRegistrationTests
{
    [Fact]
    public async Task AddSmtpNotifier_Action_ValidatesOnStartAndResolvesOneNotifierThatSends()
    {
        await using var server = new LoopbackSmtpServer();
        await using var provider = EmailTestHost.Build(server, more: builder => builder.UseShadowReader<OfflineReader>());

        provider.GetRequiredService<IStartupValidator>().Validate();
        var notifier = Assert.Single(provider.GetServices<INotifier>());
        Assert.IsType<SmtpEmailNotifier>(notifier);
        await notifier.NotifyAsync(Notifications.Offline());

        Assert.Equal("pump-7 is offline", server.OnlyMessage().Parse().Subject);
    }

    [Fact]
    public async Task Engine_RecheckOfAnOfflineThing_EmailsTheRenderedNotification()
    {
        await using var server = new LoopbackSmtpServer();
        await using var provider = EmailTestHost.Build(
            server,
            options => options.SubjectPrefix = "[監視]",
            more: builder => builder.UseShadowReader<OfflineReader>(),
            engine: options =>
            {
                options.TimeZone = "Asia/Tokyo";
                options.Templates.Subject = "{thing} がオフラインです";
                options.Templates.Message = "{thing} は {offlineSince} からオフラインです（猶予 {grace}）。";
            });

        var outcome = await provider.RecheckAndDeliverAsync(new DisconnectTrigger("温室-3", Notifications.Since));

        Assert.Equal(RecheckResult.Notified, outcome.Result);
        var message = server.OnlyMessage().Parse();
        Assert.Equal("[監視] 温室-3 がオフラインです", message.Subject);
        Assert.StartsWith("温室-3 は 2026-01-01 09:00:00 +09:00 からオフラインです（猶予 5m）。\n", message.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("温室-3@1767225600", message.Headers["X-GracefulDisconnect-Id"]);
    }

    [Fact]
    public async Task Engine_FirstAttemptsRefused_TheOutboxRetriesAndSendsOnceWithTheSameMessageId()
    {
        await using var server = new LoopbackSmtpServer();
        await using var provider = EmailTestHost.Build(server, more: builder => builder.UseShadowReader<OfflineReader>());
        server.FailNextSession(SmtpFault.RejectGreeting421);
        server.FailNextSession(SmtpFault.DropDuringData);

        // Three delivery passes (no backoff in these tests): two refused, the third sent; a fourth finds nothing to send.
        var outcome = await provider.RecheckAndDeliverAsync(new DisconnectTrigger("pump-7", Notifications.Since), deliveries: 4);

        Assert.Equal(RecheckResult.Notified, outcome.Result);
        Assert.Equal(3, server.Sessions);
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("pump-7@1767225600"u8)) + "@gracefuldisconnect",
            server.OnlyMessage().Parse().MessageId);
    }

    [Fact]
    public async Task Engine_WithAnotherNotifier_BothReceiveEveryNotification()
    {
        await using var server = new LoopbackSmtpServer();
        var other = new RecordingNotifier();
        await using var provider = EmailTestHost.Build(server, more: builder => builder.UseShadowReader<OfflineReader>().AddNotifier(other));

        await provider.RecheckAndDeliverAsync(new DisconnectTrigger("pump-7", Notifications.Since));

        Assert.Single(server.Received);
        Assert.Equal("pump-7", Assert.Single(other.Received).ThingName);
    }

    [Fact]
    public async Task AddSmtpNotifier_Configuration_BindsEveryKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "smtp.office365.com",
            ["Smtp:Port"] = "465",
            ["Smtp:Security"] = "SslOnConnect",
            ["Smtp:AllowUnencrypted"] = "false",
            ["Smtp:UserName"] = "alerts@example.com",
            ["Smtp:Password"] = "app-password",
            ["Smtp:From"] = "Fleet alerts <alerts@example.com>",
            ["Smtp:To:0"] = "ops@example.com",
            ["Smtp:To:1"] = "oncall@example.com",
            ["Smtp:Cc:0"] = "lead@example.com",
            ["Smtp:SubjectPrefix"] = "[prod]",
            ["Smtp:Timeout"] = "00:00:12",
            ["Smtp:MessageIdDomain"] = "prod.example.com",
        }).Build();
        var services = new ServiceCollection();
        services.AddGracefulDisconnect().AddSmtpNotifier(configuration.GetSection("Smtp"));
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<SmtpNotifierOptions>>().Value;
        Assert.Equal(("smtp.office365.com", 465, SmtpSecurity.SslOnConnect, false), (options.Host, options.Port, options.Security, options.AllowUnencrypted));
        Assert.Equal(("alerts@example.com", "app-password"), (options.UserName, options.Password));
        Assert.Equal("Fleet alerts <alerts@example.com>", options.From);
        Assert.Equal(["ops@example.com", "oncall@example.com"], options.To);
        Assert.Equal(["lead@example.com"], options.Cc);
        Assert.Equal(("[prod]", TimeSpan.FromSeconds(12), "prod.example.com"), (options.SubjectPrefix, options.Timeout, options.MessageIdDomain));
        Assert.IsType<SmtpEmailNotifier>(Assert.Single(provider.GetServices<INotifier>()));
    }

    [Fact]
    public void AddSmtpNotifier_Twice_RegistersOneNotifierAndOneValidator()
    {
        var services = new ServiceCollection();
        var builder = services.AddGracefulDisconnect();

        builder.AddSmtpNotifier(options => options.Host = "a.example.com").AddSmtpNotifier(options => options.Port = 2525);

        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(INotifier));
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IValidateOptions<SmtpNotifierOptions>));
        Assert.Equal(2, services.Count(descriptor => descriptor.ServiceType == typeof(IConfigureOptions<SmtpNotifierOptions>)));
    }

    [Fact]
    public async Task AddSmtpNotifier_InvalidOptions_FailsAtStartNamingEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect().AddSmtpNotifier(options => options.Port = 0);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Host: is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("From: is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("To: needs at least one recipient", error.Message, StringComparison.Ordinal);
        Assert.Contains("Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSmtpNotifier_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddGracefulDisconnect();

        Assert.Throws<ArgumentNullException>(() => builder.AddSmtpNotifier((Action<SmtpNotifierOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddSmtpNotifier((IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => SmtpNotifierBuilderExtensions.AddSmtpNotifier(null!, _ => { }));
    }

    private sealed class RecordingNotifier : INotifier
    {
        public List<DeviceNotification> Received { get; } = [];

        public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        {
            Received.Add(notification);
            return ValueTask.CompletedTask;
        }
    }
}
