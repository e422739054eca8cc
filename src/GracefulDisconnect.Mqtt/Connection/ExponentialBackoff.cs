namespace GracefulDisconnect.Mqtt;

/// <summary>Waits that double from an initial delay up to a maximum, with jitter so that many hosts do not retry in step.</summary>
internal sealed class ExponentialBackoff(TimeSpan initial, TimeSpan maximum)
{
    private int _attempt;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt, 30);
        _attempt++;
        var delay = Math.Min(initial.TotalMilliseconds * Math.Pow(2, exponent), maximum.TotalMilliseconds);

        // Up to a fifth less: a broker restart drops every client at once, and they should not all return at once.
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        var jitter = 1 - (Random.Shared.NextDouble() * 0.2);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(Math.Max(1, delay * jitter));
    }

    public void Reset() => _attempt = 0;
}
