using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Keeps the requests of one AWS API under its account quota, so a regional storm of re-checks queues here
/// instead of being throttled by AWS and retried into a retry storm. Requests leave in small batches, one
/// batch per refill period, and each period is timed from when the previous batch actually left, not from a
/// timer: a timer's late callbacks run back to back and release several batches at once, which a loaded
/// machine measurably does (2,070 requests in one second against a limit of 2,000, in the storm test). The
/// schedule is sized so that no one-second window, wherever it starts, holds more than 95% of
/// <c>maxRequestsPerSecond</c> plus one batch; the rest is headroom for requests held up between here and the
/// wire. Under sustained load that is about 89% of the quota (315 of 350 a second). When the service still
/// throttles and says how long to wait (<c>Retry-After</c>), every caller of the API waits that long.
/// </summary>
internal sealed class AwsRequestPacer : IDisposable
{
    private const int MaxRefillsPerSecond = 50;
    private const double Headroom = 0.95;

    private static readonly RateLimitLease Acquired = new AcquiredLease();

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _api;
    private readonly TimeSpan _period;
    private long _pausedUntilTicks;
    private int _left;
    private long _nextBatchTimestamp;

    public AwsRequestPacer(string api, int maxRequestsPerSecond, TimeProvider time, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRequestsPerSecond, 1);
        _api = api;
        _time = time;
        _logger = logger;
        (RefillsPerSecond, TokensPerRefill) = Size(maxRequestsPerSecond);
        _period = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / RefillsPerSecond);
        _nextBatchTimestamp = time.GetTimestamp();
    }

    /// <summary>How many batches leave a second at most.</summary>
    public int RefillsPerSecond { get; }

    /// <summary>How many requests each batch holds (also the largest burst).</summary>
    public int TokensPerRefill { get; }

    /// <summary>The rate kept up under sustained load.</summary>
    public int SustainedRequestsPerSecond => RefillsPerSecond * TokensPerRefill;

    /// <summary>
    /// The schedule with the highest sustained rate such that the batches any one-second window can see (one
    /// more than the batches a second, as the window need not start on one, and one for a batch held up on its
    /// way) stay within the quota less the headroom: <c>(refills + 2) * tokens &lt;= 0.95 * max</c>.
    /// </summary>
    internal static (int Refills, int Tokens) Size(int maxRequestsPerSecond)
    {
        var budget = (int)Math.Max(3, Math.Floor(maxRequestsPerSecond * Headroom));
        var best = (Refills: 1, Tokens: 1);
        for (var refills = 1; refills <= MaxRefillsPerSecond; refills++)
        {
            var tokens = budget / (refills + 2);
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

        // One caller at a time takes its place in the schedule, so batches never overlap.
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_left == 0)
            {
                var untilNext = _time.GetElapsedTime(_time.GetTimestamp(), _nextBatchTimestamp);
                if (untilNext > TimeSpan.Zero)
                {
                    await Task.Delay(untilNext, _time, cancellationToken).ConfigureAwait(false);
                }

                // Timed from now, when this batch really leaves: a late wake-up shifts the schedule, it never bunches it.
                _nextBatchTimestamp = _time.GetTimestamp() + (long)(_period.TotalSeconds * _time.TimestampFrequency);
                _left = TokensPerRefill;
            }

            _left--;
            return Acquired;
        }
        finally
        {
            _turn.Release();
        }
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

    public void Dispose() => _turn.Dispose();

    private sealed class AcquiredLease : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
