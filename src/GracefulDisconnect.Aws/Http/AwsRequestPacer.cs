using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Keeps the requests of one AWS API under its account quota, so a regional storm of re-checks queues here
/// instead of being throttled by AWS and retried into a retry storm. A token bucket refilled in small steps
/// (at most 50 a second) is sized so that no one-second window, wherever it starts, holds more than
/// <c>maxRequestsPerSecond</c> requests: the bucket's content plus every refill that window can see. The
/// sustained rate is therefore a little under the quota (336 of 350 a second), which is the point. When the
/// service still throttles and says how long to wait (<c>Retry-After</c>), every caller of the API waits that
/// long, not only the one that was told.
/// </summary>
internal sealed class AwsRequestPacer : IDisposable
{
    private const int MaxRefillsPerSecond = 50;

    private readonly TokenBucketRateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _api;
    private long _pausedUntilTicks;

    public AwsRequestPacer(string api, int maxRequestsPerSecond, TimeProvider time, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRequestsPerSecond, 1);
        _api = api;
        _time = time;
        _logger = logger;
        (RefillsPerSecond, TokensPerRefill) = Size(maxRequestsPerSecond);
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = TokensPerRefill,
            TokensPerPeriod = TokensPerRefill,
            ReplenishmentPeriod = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / RefillsPerSecond),
            AutoReplenishment = true,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,

            // Callers wait their turn; how many wait is bounded by the callers (the engine's re-check concurrency).
            QueueLimit = int.MaxValue,
        });
    }

    /// <summary>How many times a second the bucket is refilled.</summary>
    public int RefillsPerSecond { get; }

    /// <summary>How many requests each refill allows (also the largest burst).</summary>
    public int TokensPerRefill { get; }

    /// <summary>The rate kept up under sustained load.</summary>
    public int SustainedRequestsPerSecond => RefillsPerSecond * TokensPerRefill;

    /// <summary>
    /// The refill schedule with the highest sustained rate such that a full bucket plus the refills any
    /// one-second window can see (one more than the refills per second, as the window need not start on one)
    /// stay within <paramref name="maxRequestsPerSecond"/>: <c>(refills + 2) * tokens &lt;= max</c>.
    /// </summary>
    internal static (int Refills, int Tokens) Size(int maxRequestsPerSecond)
    {
        var best = (Refills: 1, Tokens: 1);
        for (var refills = 1; refills <= MaxRefillsPerSecond; refills++)
        {
            var tokens = maxRequestsPerSecond / (refills + 2);
            if (tokens >= 1 && refills * tokens > best.Refills * best.Tokens)
            {
                best = (refills, tokens);
            }
        }

        return best;
    }

    /// <summary>Waits until the API may be called again (after any pause the service asked for) and a request fits the quota.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = Volatile.Read(ref _pausedUntilTicks) - _time.GetUtcNow().UtcTicks;
            if (wait <= 0)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromTicks(wait), _time, cancellationToken).ConfigureAwait(false);
        }

        return await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Holds every request of this API back for <paramref name="delay"/> (the service's <c>Retry-After</c>); a longer pause already under way stands.</summary>
    public void PauseFor(TimeSpan delay)
    {
        var until = _time.GetUtcNow().UtcTicks + delay.Ticks;
        var current = Volatile.Read(ref _pausedUntilTicks);
        while (until > current)
        {
            var seen = Interlocked.CompareExchange(ref _pausedUntilTicks, until, current);
            if (seen == current)
            {
                AwsLog.Paused(_logger, _api, delay);
                return;
            }

            current = seen;
        }
    }

    public void Dispose() => _limiter.Dispose();
}
