using System.Globalization;
using Amazon.SQS;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Samples.Worker;

/// <summary>Everything the worker registers, so that tests build exactly the host <c>Program.cs</c> runs.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the worker: the device engine (<c>GracefulDisconnect</c>) on its store (<c>Worker:Store</c>), the Device
    /// Shadow reader (<c>GracefulDisconnect:IotShadow</c>), the SNS notifier (<c>GracefulDisconnect:Sns</c>), the queue
    /// consumer (<c>Worker</c>), health checks and systemd integration. Every section is validated when the host starts.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddGracefulDisconnectWorker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // Notify=ready and SIGTERM handling under systemd (UseSystemd() of the older IHostBuilder); nothing elsewhere.
        services.AddSystemd();
        services.AddOptionsWithValidateOnStart<WorkerOptions, WorkerOptionsValidator>().Bind(configuration.GetSection(WorkerOptions.SectionName));
        services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout(configuration));

        services.TryAddSingleton(TimeProvider.System);
        var engine = services.AddGracefulDisconnect(configuration.GetSection(GracefulDisconnectOptions.SectionName))
            .AddAwsIotShadowReader(configuration.GetSection(AwsIotShadowReaderOptions.SectionName))
            .AddSnsNotifier(configuration.GetSection(SnsNotifierOptions.SectionName))
            .RunDeviceEngine();
        var store = configuration[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Store)}"];
        if (IsPostgreSql(store))
        {
            engine.UsePostgreSqlStore(postgres => postgres.ConnectionString = store!);
        }
        else
        {
            engine.UseSqliteStore(string.IsNullOrWhiteSpace(store) ? WorkerOptions.DefaultStore : store);
        }

        services.TryAddSingleton<IAmazonSQS>(provider => WorkerSqsClient.Create(provider.GetRequiredService<IOptions<WorkerOptions>>().Value));
        services.TryAddSingleton<PollHealth>();
        services.AddHostedService<SqsEventConsumer>();

        // The queue's side and the engine's (its store, channels and due work): the health file shows both.
        services.AddHealthChecks()
            .AddCheck<LastPollHealthCheck>(LastPollHealthCheck.Name)
            .AddCheck<DeviceEngineHealthCheck>(EngineHealthCheckName);
        services.AddSingleton<IHealthCheckPublisher, HealthFilePublisher>();
        services.AddOptions<HealthCheckPublisherOptions>().Configure<IOptions<WorkerOptions>>((publisher, worker) =>
        {
            publisher.Delay = worker.Value.HealthCheckInterval;
            publisher.Period = worker.Value.HealthCheckInterval;
        });
        return services;
    }

    /// <summary>The name of the engine's check in the health report.</summary>
    public const string EngineHealthCheckName = "engine";

    private static bool IsPostgreSql(string? store)
        => store is not null && (store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase));

    // Read straight from configuration: the host reads its options before the worker's are validated (a bad value is reported then).
    private static TimeSpan ShutdownTimeout(IConfiguration configuration)
        => TimeSpan.TryParse(configuration[$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.ShutdownTimeout)}"], CultureInfo.InvariantCulture, out var timeout) && timeout > TimeSpan.Zero
            ? timeout
            : new WorkerOptions().ShutdownTimeout;
}
