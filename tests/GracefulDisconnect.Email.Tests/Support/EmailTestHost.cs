using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Email.Tests.Support;

/// <summary>Builds the engine with the SMTP notifier pointed at a loopback server, as an application would.</summary>
internal static class EmailTestHost
{
    public const string From = "\"Fleet alerts\" <alerts@example.com>";
    public const string To = "ops@example.com";

    public static void PointAt(SmtpNotifierOptions options, LoopbackSmtpServer server)
    {
        options.Host = server.Host;
        options.Port = server.Port;
        options.Security = SmtpSecurity.None;
        options.From = From;
        options.To.Add(To);
        options.Timeout = TimeSpan.FromSeconds(10);
    }

    /// <summary>Ten minutes after <see cref="Notifications.Since"/>: a re-check of an outage that began then is due.</summary>
    public static FakeTimeProvider Clock() => new(Notifications.Since.AddMinutes(10));

    public static ServiceProvider Build(LoopbackSmtpServer server, Action<SmtpNotifierOptions>? configure = null, CapturingLoggerProvider? logs = null, Action<GracefulDisconnectBuilder>? more = null, Action<GracefulDisconnectOptions>? engine = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock());
        if (logs is not null)
        {
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        }

        var builder = services
            .AddGracefulDisconnect(options =>
            {
                options.NotifyRetryDelay = TimeSpan.Zero;
                engine?.Invoke(options);
            })
            .AddSmtpNotifier(options =>
            {
                PointAt(options, server);
                configure?.Invoke(options);
            });
        more?.Invoke(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A scheduler's wake for the device, then <paramref name="deliveries"/> delivery passes of the outbox.</summary>
    public static async Task<RecheckOutcome> RecheckAndDeliverAsync(this IServiceProvider provider, DisconnectTrigger trigger, int deliveries = 1)
    {
        var outcome = await provider.GetRequiredService<IRecheckHandler>().RecheckAsync(trigger);
        for (var pass = 0; pass < deliveries; pass++)
        {
            await provider.GetRequiredService<DeviceEngine>().DeliverAsync();
        }

        return outcome;
    }

    /// <summary>The notifier on its own, for tests of what it sends.</summary>
    public static SmtpEmailNotifier Notifier(LoopbackSmtpServer server, Action<SmtpNotifierOptions>? configure = null, ILoggerProvider? logs = null)
    {
        var options = new SmtpNotifierOptions();
        PointAt(options, server);
        configure?.Invoke(options);
        var validation = new SmtpNotifierOptionsValidator().Validate(null, options);
        Xunit.Assert.True(validation.Succeeded, validation.FailureMessage);
        using var factory = LoggerFactory.Create(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        return new SmtpEmailNotifier(Options.Create(options), factory.CreateLogger<SmtpEmailNotifier>());
    }
}
