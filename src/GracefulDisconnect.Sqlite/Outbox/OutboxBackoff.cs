namespace GracefulDisconnect.Sqlite;

/// <summary>
/// Exponential backoff with jitter between attempts to send a notification: the initial delay doubles per
/// failed attempt up to a cap, and a random part spreads retries so a notifier that comes back is not hit
/// by every pending notification in the same instant.
/// </summary>
internal static class OutboxBackoff
{
    /// <summary>The wait after the <paramref name="failedAttempts"/>-th failure: between half and all of <c>min(max, initial * 2^(n-1))</c>.</summary>
    /// <param name="failedAttempts">Failed attempts so far, at least 1.</param>
    /// <param name="initial">The wait after the first failure, before jitter.</param>
    /// <param name="max">The cap, before jitter.</param>
    /// <param name="jitter">A number in [0, 1).</param>
    public static TimeSpan Delay(int failedAttempts, TimeSpan initial, TimeSpan max, double jitter)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 62);
        var ceiling = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(ceiling * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1)))));
    }
}
