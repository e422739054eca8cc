using Amazon.SQS;
using GracefulDisconnect;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Amazon SQS delay-queue scheduler to GracefulDisconnect.</summary>
public static class SqsSchedulerBuilderExtensions
{
    /// <summary>
    /// Schedules re-checks as delayed SQS messages instead of in memory, so they survive restarts and can be
    /// handled by another process; registers <see cref="SqsRecheckConsumer"/> and <see cref="SqsRecheckPoller"/>
    /// for the host that consumes the queue, and an <see cref="IAmazonSQS"/> unless the application registered one.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options (queue URL, region, endpoint, polling).</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSqsScheduler(this GracefulDisconnectBuilder builder, Action<SqsSchedulerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptionsWithValidateOnStart<SqsSchedulerOptions, SqsSchedulerOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddScheduler(builder);
    }

    /// <summary>Adds the SQS scheduler with options bound from a configuration section (usually <see cref="SqsSchedulerOptions.SectionName"/>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSqsScheduler(this GracefulDisconnectBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptionsWithValidateOnStart<SqsSchedulerOptions, SqsSchedulerOptionsValidator>().Bind(configuration);
        return AddScheduler(builder);
    }

    private static GracefulDisconnectBuilder AddScheduler(GracefulDisconnectBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAmazonSQS>(provider => SqsClientFactory.Create(provider.GetRequiredService<IOptions<SqsSchedulerOptions>>().Value));
        services.TryAddSingleton<SqsRecheckConsumer>();
        services.TryAddSingleton<SqsRecheckPoller>();
        return builder.UseScheduler<SqsScheduler>();
    }
}
