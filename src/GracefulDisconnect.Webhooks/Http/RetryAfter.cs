using System.Net.Http.Headers;

namespace GracefulDisconnect.Webhooks;

/// <summary>How long a service asked us to wait (<c>Retry-After</c>, seconds or an HTTP date).</summary>
internal static class RetryAfter
{
    public static TimeSpan? Get(HttpResponseMessage response, DateTimeOffset now) => Get(response.Headers.RetryAfter, now);

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
