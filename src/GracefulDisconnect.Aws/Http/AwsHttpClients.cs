using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using GracefulDisconnect.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;
using Polly.Telemetry;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Registers the named <see cref="HttpClient"/> of an adapter: resilience (retry around a per-attempt
/// timeout) outside, the SDK's <see cref="SigV4SigningHandler"/> innermost, so every attempt is signed
/// again with a fresh timestamp and fresh credentials, and a transport that never follows redirects
/// (a followed redirect would carry a signature for another URL). Polly's own report of every attempt is Debug: the
/// adapter logs its retries itself, and a healthy read is no log line.
/// </summary>
internal static class AwsHttpClients
{
    public static void Add<TOptions>(
        IServiceCollection services,
        string clientName,
        string signingName,
        string endpointKey,
        Func<HttpResponseMessage, CancellationToken, ValueTask<bool>> isRetryable,
        string operationName)
        where TOptions : AwsClientOptions
    {
        services.TryAddSingleton<DefaultChainCredentials>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(clientName, (provider, _) => new AwsRequestPacer(
            operationName,
            provider.GetRequiredService<IOptions<TOptions>>().Value.MaxRequestsPerSecond,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(clientName)));
        services.AddHttpClient(clientName)
            // The pipeline bounds each attempt (AttemptTimeout) and the retries; HttpClient's own 100 s would also
            // count the wait for a turn under the quota, failing requests that are only queued during a storm.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var options = provider.GetRequiredService<IOptions<TOptions>>().Value;
                var endpoint = provider.GetRequiredKeyedService<AwsServiceEndpoint>(endpointKey);
                AWSCredentials credentials = options.Credentials ?? provider.GetRequiredService<DefaultChainCredentials>();
                var transport = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
                return new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(endpoint.Region), signingName, transport);
            })
            .AddResilienceHandler("aws", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(clientName);
                pipeline.TimeProvider = time;
                pipeline.ConfigureTelemetry(QuietResilienceTelemetry.From(context.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value));
                var pacer = options.MaxRequestsPerSecond > 0 ? context.ServiceProvider.GetRequiredKeyedService<AwsRequestPacer>(clientName) : null;
                if (options.MaxRetryAttempts > 0)
                {
                    pipeline.AddRetry(RetryOptions(options, time, logger, signingName, isRetryable, pacer));
                }

                // Inside the retry, so retries count against the quota too; outside the attempt timeout, so waiting
                // for a turn in a storm is not mistaken for a slow request.
                if (pacer is not null)
                {
                    pipeline.AddRateLimiter(new RateLimiterStrategyOptions { RateLimiter = args => pacer.AcquireAsync(args.Context.CancellationToken) });
                }

                pipeline.AddTimeout(options.AttemptTimeout);
            });
    }

    private static HttpRetryStrategyOptions RetryOptions(
        AwsClientOptions options,
        TimeProvider time,
        ILogger logger,
        string service,
        Func<HttpResponseMessage, CancellationToken, ValueTask<bool>> isRetryable,
        AwsRequestPacer? pacer)
        => new()
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,

            // Our own generator below honours Retry-After but caps it at MaxRetryDelay (Polly does not cap generated delays).
            ShouldRetryAfterHeader = false,
            DelayGenerator = args =>
            {
                var delay = args.Outcome.Result is { } response ? RetryAfter.GetDelay(response, time.GetUtcNow(), options.MaxRetryDelay) : null;
                if (delay is { } wait && pacer is not null && AwsRestJson.IsThrottling(args.Outcome.Result!))
                {
                    pacer.PauseFor(wait);
                }

                return ValueTask.FromResult(delay);
            },
            ShouldHandle = async args => args.Outcome.Exception is not null
                ? HttpClientResiliencePredicates.IsTransient(args.Outcome)
                : args.Outcome.Result is { } response && await isRetryable(response, args.Context.CancellationToken).ConfigureAwait(false),
            OnRetry = args =>
            {
                var status = args.Outcome.Result is { } response ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "?";
                AwsLog.Retrying(logger, service, args.AttemptNumber + 1, status, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        };

    /// <summary>Status codes AWS documents as retryable: throttling and server errors.</summary>
    public static bool IsRetryableStatus(HttpResponseMessage response)
        => (int)response.StatusCode is 429 or 500 or 502 or 503 or 504;
}
