using System.Net.Http.Headers;

namespace GracefulDisconnect;

/// <summary>How long a service asked us to wait (<c>Retry-After</c>, seconds or an HTTP date); shared by the AWS and webhook adapters.</summary>
internal static class RetryAfter
{
    public static TimeSpan? Get(HttpResponseMessage response, DateTimeOffset now) => Get(response.Headers.RetryAfter, now);

    /// <summary>The wait asked for, capped by our own maximum.</summary>
    public static TimeSpan? GetDelay(HttpResponseMessage response, DateTimeOffset now, TimeSpan maxDelay)
        => Get(response, now) is { } delay ? (delay > maxDelay ? maxDelay : delay) : null;

    private static TimeSpan? Get(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var delay = date - now;
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }

        return null;
    }
}
