using Amazon.Runtime;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Http;

public sealed class AwsRequestPacerTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(350)]
    [InlineData(400)]
    [InlineData(2000)]
    [InlineData(100_000)]
    public void Size_AnyQuota_NoOneSecondWindowCanHoldMoreThanIt(int quota)
    {
        var (refills, tokens) = AwsRequestPacer.Size(quota);

        // A full bucket plus every refill a window that does not start on one can see.
        Assert.True((refills + 2) * tokens <= Math.Max(3, quota * 0.95), $"{refills} refills of {tokens}");
        Assert.True(refills * tokens >= quota * (quota >= 100 ? 0.85 : 0.3), $"sustains only {refills * tokens} of {quota}");
    }

    [Fact]
    public void Size_GetThingConnectivityDataQuota_Sustains315OfThe350PerSecond()
    {
        using var pacer = new AwsRequestPacer("GetThingConnectivityData", 350, TimeProvider.System, NullLogger.Instance);

        Assert.Equal(315, pacer.SustainedRequestsPerSecond);
    }

    [Fact]
    public async Task AcquireAsync_AfterPauseFor_WaitsUntilThePauseHasPassed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var pacer = new AwsRequestPacer("GetThingConnectivityData", 350, time, NullLogger.Instance);
        pacer.PauseFor(TimeSpan.FromSeconds(2));

        var acquire = pacer.AcquireAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Delay(50);
        Assert.False(acquire.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(0.2));
        using var lease = await acquire.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(lease.IsAcquired);
    }

    [Fact]
    public async Task PauseFor_ShorterPauseDuringALongerOne_KeepsTheLongerOne()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var pacer = new AwsRequestPacer("SearchIndex", 10, time, NullLogger.Instance);
        pacer.PauseFor(TimeSpan.FromSeconds(5));
        pacer.PauseFor(TimeSpan.FromSeconds(1));

        var acquire = pacer.AcquireAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(2));

        await Task.Delay(50);
        Assert.False(acquire.IsCompleted);
    }

    [Fact]
    public async Task ReadAsync_TenThousandReadsAtOnce_NeverExceedTheConfiguredRateInAnySecond()
    {
        // A regional storm in small: 10^4 due re-checks read at once through the real client, the limit set low so
        // the test is quick; the rate is measured on the fake's own clock, where the quota would be enforced.
        const int Reads = 10_000;
        const int Limit = 2000;
        await using var fake = await FakeIotControlPlane.StartNewAsync();
        for (var i = 0; i < 100; i++)
        {
            fake.PutThing($"pump-{i}", connected: false, DateTimeOffset.UnixEpoch.AddDays(20_000));
        }

        await using var provider = AwsTestHost.Build(builder => builder.AddAwsIotConnectivityReader(options =>
        {
            options.Endpoint = fake.Endpoint.ToString();
            options.Region = AwsTestHost.Region;
            options.Credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, TestAwsCredentials.SecretAccessKey, TestAwsCredentials.SessionToken);
            options.MaxRequestsPerSecond = Limit;
            options.AttemptTimeout = TimeSpan.FromSeconds(30);
        }));
        var reader = provider.GetRequiredService<IShadowReader>();

        var next = -1;
        var workers = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var i && i < Reads)
            {
                Assert.NotNull(await reader.ReadAsync($"pump-{i % 100}"));
            }
        }));
        await Task.WhenAll(workers);

        var arrivals = fake.Requests.Select(request => request.ReceivedAt).Order().ToArray();
        Assert.Equal(Reads, arrivals.Length);
        var busiest = BusiestSecond(arrivals);
        Assert.True(busiest <= Limit, $"{busiest} requests within one second, limit {Limit}");
        Assert.True(arrivals[^1] - arrivals[0] >= TimeSpan.FromSeconds((Reads - Limit) / (double)Limit), $"10^4 reads took only {arrivals[^1] - arrivals[0]}");
    }

    // The most arrivals inside any one-second window [t, t + 1 s), t being each arrival in turn.
    private static int BusiestSecond(TimeSpan[] sorted)
    {
        var busiest = 0;
        var end = 0;
        for (var start = 0; start < sorted.Length; start++)
        {
            while (end < sorted.Length && sorted[end] - sorted[start] < TimeSpan.FromSeconds(1))
            {
                end++;
            }

            busiest = Math.Max(busiest, end - start);
        }

        return busiest;
    }
}
