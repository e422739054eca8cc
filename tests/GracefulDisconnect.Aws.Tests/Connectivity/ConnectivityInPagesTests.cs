using Amazon.Runtime;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Connectivity;

/// <summary>
/// Many re-checks due together, confirmed through the fleet index (<c>SearchIndex</c>, 100 things a request) instead of
/// one <c>GetThingConnectivityData</c> each, through the engine, against the SigV4-verifying fake of the control plane,
/// on the real clock (the request pacer is timed).
/// </summary>
public sealed class ConnectivityInPagesTests : IAsyncLifetime
{
    private const int SearchesPerSecond = 40;
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    private FakeIotControlPlane _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeIotControlPlane.StartNewAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task TenThousandDueTogether_AreConfirmedInPagesOf100_UnderTheConfiguredRate_AndEachNotifiedOnce()
    {
        var offlineSince = DateTimeOffset.UtcNow.AddMinutes(-10);
        var names = Enumerable.Range(0, 10_000).Select(i => $"sensor-{i:D5}").ToList();
        foreach (var name in names)
        {
            _fake.PutThing(name, connected: false, offlineSince);
        }

        var notifier = new RecordingNotifier();
        await using var provider = Build(notifier, confirmInPagesFrom: 10);
        var engine = provider.GetRequiredService<DeviceEngine>();

        await engine.RecordAsync([.. names.Select(name => new ConnectionEvent(name, false, offlineSince))]);
        await RunUntilIdleAsync(engine);

        Assert.Equal(names, notifier.Sent.Select(notification => notification.ThingName).Order(StringComparer.Ordinal));
        Assert.Empty(_fake.ConnectivityRequests);
        var searches = _fake.Requests.Where(request => request.RawTarget == "/indices/search").ToList();
        Assert.InRange(searches.Count, 100, 120);
        Assert.All(_fake.SearchRequests, search => Assert.True(search.GetProperty("queryString").GetString()!.Split(" OR ").Length <= 100));
        Assert.All(searches, request => Assert.True(request.Signature.Valid, request.Signature.Problem));
        var busiest = searches.Max(first => searches.Count(other => other.ReceivedAt >= first.ReceivedAt && other.ReceivedAt < first.ReceivedAt + TimeSpan.FromSeconds(1)));
        Assert.True(busiest <= SearchesPerSecond, $"{busiest} SearchIndex requests within one second, more than the {SearchesPerSecond}/s configured");
    }

    [Fact]
    public async Task FewerDueThanTheThreshold_AreReadOneByOne_AndAThingTheIndexLacksIsUnknown()
    {
        var offlineSince = DateTimeOffset.UtcNow.AddMinutes(-10);
        _fake.PutThing("pump-1", connected: false, offlineSince);
        _fake.PutThing("pump-2", connected: false, offlineSince);
        var notifier = new RecordingNotifier();
        await using var provider = Build(notifier, confirmInPagesFrom: 3);
        var engine = provider.GetRequiredService<DeviceEngine>();

        await engine.RecordAsync([new ConnectionEvent("pump-1", false, offlineSince), new ConnectionEvent("pump-2", false, offlineSince)]);
        await RunUntilIdleAsync(engine);
        Assert.Equal(2, _fake.ConnectivityRequests.Count);
        Assert.Empty(_fake.SearchRequests);

        // Three due together: one page; pump-9 is in no index, so it reads as unknown and nobody hears of it.
        var later = offlineSince.AddMinutes(1);
        await engine.RecordAsync([new ConnectionEvent("pump-1", false, later), new ConnectionEvent("pump-2", false, later), new ConnectionEvent("pump-9", false, later)]);
        _fake.PutThing("pump-1", connected: false, later);
        _fake.PutThing("pump-2", connected: false, later);
        await RunUntilIdleAsync(engine);

        Assert.Single(_fake.SearchRequests);
        Assert.Equal(2, _fake.ConnectivityRequests.Count);
        Assert.DoesNotContain("pump-9", notifier.Sent.Select(notification => notification.ThingName));
        Assert.Equal(4, notifier.Sent.Count);
    }

    [Fact]
    public async Task ConfirmInPagesFrom_WithoutAFleetIndex_FailsAtResolutionSayingWhatToAdd()
    {
        await using var provider = AwsTestHost.Build(builder => builder
            .AddNotifier(new RecordingNotifier())
            .AddAwsIotConnectivityReader(options =>
            {
                Point(options);
                options.ConfirmInPagesFrom = 10;
            }));

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<DeviceEngine>());

        Assert.Contains("AddAwsIotFleetIndex", error.Message, StringComparison.Ordinal);
    }

    // The disconnects were recorded just now, long after their grace: due at once, once their settling moment passed.
    private static async Task RunUntilIdleAsync(DeviceEngine engine)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        while (await engine.RunDueAsync() > 0)
        {
        }

        while (await engine.DeliverAsync() > 0)
        {
        }
    }

    private ServiceProvider Build(RecordingNotifier notifier, int confirmInPagesFrom)
        => AwsTestHost.Build(builder =>
        {
            builder.Services.Configure<GracefulDisconnectOptions>(options => options.GracePeriod = Grace);
            builder
                .AddNotifier(notifier)
                .AddAwsIotFleetIndex(options =>
                {
                    Point(options);
                    options.MaxRequestsPerSecond = SearchesPerSecond;
                })
                .AddAwsIotConnectivityReader(options =>
                {
                    Point(options);
                    options.MaxRequestsPerSecond = 0;
                    options.ConfirmInPagesFrom = confirmInPagesFrom;
                });
        });

    private void Point(AwsClientOptions options)
    {
        options.Endpoint = _fake.Endpoint.ToString();
        options.Region = AwsTestHost.Region;
        options.Credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, TestAwsCredentials.SecretAccessKey, TestAwsCredentials.SessionToken);
        AwsTestHost.FastRetries(options);
    }
}
