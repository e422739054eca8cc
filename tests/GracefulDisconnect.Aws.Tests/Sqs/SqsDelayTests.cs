using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Sqs;

public sealed class SqsDelayTests
{
    [Property]
    public bool DelaySeconds_AnyRemainingTime_IsWithinSqsLimitsAndNeverEarly(long ticks)
    {
        var remaining = TimeSpan.FromTicks(ticks % TimeSpan.FromDays(2).Ticks);
        var delay = SqsScheduler.DelaySeconds(remaining);
        return delay is >= 0 and <= 900 && (delay == 900 || TimeSpan.FromSeconds(delay) >= remaining) && (remaining > TimeSpan.Zero || delay == 0);
    }

    [Property]
    public bool RecheckMessage_RoundTrips(NonNegativeInt seconds, int millis, long? version)
    {
        var disconnectedAt = DateTimeOffset.UnixEpoch.AddSeconds(seconds.Get).AddMilliseconds(Math.Abs(millis % 1000));
        var trigger = new DisconnectTrigger("factory:pump-7", disconnectedAt, version);
        using var document = System.Text.Json.JsonDocument.Parse(RecheckMessage.Serialize(trigger, disconnectedAt.AddMinutes(40)));

        return RecheckMessage.TryRead(document.RootElement, out var read, out var dueAt) && read == trigger && dueAt == disconnectedAt.AddMinutes(40);
    }

    [Theory]
    [InlineData("https://sqs.ap-northeast-1.amazonaws.com/123456789012/rechecks", "ap-northeast-1")]
    [InlineData("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/rechecks", "cn-north-1")]
    [InlineData("http://127.0.0.1:4566/000000000000/rechecks", null)]
    public void RegionOf_QueueUrl(string url, string? region) => Assert.Equal(region, SqsClientFactory.RegionOf(url));
}
