namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>
/// A clock whose "now" stands still while its timers and timestamps stay real, so HTTP retries and
/// timeouts still run, but due times and SQS delays are exact.
/// </summary>
internal sealed class FrozenClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
