using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using GracefulDisconnect.Http;
using Polly;
using Polly.Telemetry;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// Registers the named <see cref="HttpClient"/> of one channel: retry around a per-attempt timeout, a transport that
/// never follows redirects (a followed redirect would hand the body, and a signature, to another URL), and none of
/// the factory's request logging, which writes the URL, and with it the webhook's secret, into the logs. The
/// pipeline's own reports of each attempt are Debug: the channel logs each message sent and each retry itself.
/// </summary>
internal static class WebhookHttpClients
{
    public static string ClientName(string channel, string name) => $"GracefulDisconnect.Webhooks.{channel}.{name}";

    public static void Add<TOptions>(IServiceCollection services, string channel, string name)
        where TOptions : WebhookClientOptions
    {
        var clientName = ClientName(channel, name);
        services.AddHttpClient(clientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline's timeouts rule
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RemoveAllLoggers()
            .AddResilienceHandler("webhook", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name);
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookHttpClients).Namespace + "." + channel);
                pipeline.TimeProvider = time;
                pipeline.ConfigureTelemetry(QuietResilienceTelemetry.From(context.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value));
                if (options.MaxRetryAttempts > 0)
                {
                    pipeline.AddRetry(RetryOptions(options, time, logger, channel, name));
                }

                pipeline.AddTimeout(options.AttemptTimeout);
            });
    }

    /// <summary>Statuses worth trying again soon: timeout, throttling, and server errors that usually pass.</summary>
    public static bool IsRetryableStatus(HttpStatusCode status) => (int)status is 408 or 429 or 500 or 502 or 503 or 504;

    private static HttpRetryStrategyOptions RetryOptions(WebhookClientOptions options, TimeProvider time, ILogger logger, string channel, string name)
        => new()
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,

            // Our own generator honours Retry-After; a wait longer than MaxRetryDelay is not retried here at all (see ShouldHandle).
            ShouldRetryAfterHeader = false,
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter.Get(response, time.GetUtcNow()) : null),
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: { } } => HttpClientResiliencePredicates.IsTransient(args.Outcome),
                { Result: { } response } => IsRetryableStatus(response.StatusCode)
                    && !(RetryAfter.Get(response, time.GetUtcNow()) > options.MaxRetryDelay),
                _ => false,
            }),
            OnRetry = args =>
            {
                var outcome = args.Outcome.Result is { } response
                    ? "HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
                    : args.Outcome.Exception?.GetType().Name ?? "?";
                WebhooksLog.Retrying(logger, channel, name, args.AttemptNumber + 1, outcome, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        };
}
