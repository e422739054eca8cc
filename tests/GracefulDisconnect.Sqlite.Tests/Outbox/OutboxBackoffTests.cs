namespace GracefulDisconnect.Sqlite.Tests.Outbox;

public sealed class OutboxBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 40)]
    [InlineData(5, 60)]
    [InlineData(1000, 60)]
    public void Delay_DoublesPerFailureUpToTheCap_JitterTakesUpToHalf(int failedAttempts, int ceilingSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(ceilingSeconds / 2.0), OutboxBackoff.Delay(failedAttempts, Initial, Max, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(ceilingSeconds * 0.75), OutboxBackoff.Delay(failedAttempts, Initial, Max, jitter: 0.5));
        Assert.InRange(OutboxBackoff.Delay(failedAttempts, Initial, Max, jitter: 0.999_999), TimeSpan.FromSeconds(ceilingSeconds * 0.99), TimeSpan.FromSeconds(ceilingSeconds));
    }
}
