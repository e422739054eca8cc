using System.Net;
using System.Net.Http.Headers;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Http;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetDelay_Seconds_IsHonoured()
    {
        using var response = Throttled(new RetryConditionHeaderValue(TimeSpan.FromSeconds(3)));

        Assert.Equal(TimeSpan.FromSeconds(3), RetryAfter.GetDelay(response, Now, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void GetDelay_HttpDate_IsTheTimeUntilThen()
    {
        using var response = Throttled(new RetryConditionHeaderValue(Now.AddSeconds(7)));

        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfter.GetDelay(response, Now, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void GetDelay_LongerThanTheMaximum_IsCapped()
    {
        using var response = Throttled(new RetryConditionHeaderValue(TimeSpan.FromHours(1)));

        Assert.Equal(TimeSpan.FromSeconds(20), RetryAfter.GetDelay(response, Now, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void GetDelay_NoHeader_LeavesTheBackoffToPolly()
    {
        using var response = Throttled(null);

        Assert.Null(RetryAfter.GetDelay(response, Now, TimeSpan.FromSeconds(20)));
    }

    [Theory]
    [InlineData("ThrottlingException:http://internal.amazon.com/coral/com.amazonaws.iot.data/", "ThrottlingException")]
    [InlineData("ResourceNotFoundException", "ResourceNotFoundException")]
    [InlineData(" ", null)]
    public void ErrorType_StripsTheNamespaceSuffix(string header, string? expected) => Assert.Equal(expected, AwsErrorType.Strip(header));

    private static HttpResponseMessage Throttled(RetryConditionHeaderValue? retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = retryAfter;
        return response;
    }
}
