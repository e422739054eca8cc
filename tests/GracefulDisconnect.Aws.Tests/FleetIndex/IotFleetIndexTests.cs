using System.Text;
using Amazon.Runtime;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.FleetIndex;

public sealed class IotFleetIndexTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private FakeIotControlPlane _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeIotControlPlane.StartNewAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task SearchAsync_250OfflineThings_ReadsThreePagesFollowingNextToken()
    {
        for (var i = 0; i < 250; i++)
        {
            _fake.PutThing($"thing-{i:D3}", connected: false, Noon.AddMilliseconds(i));
        }

        _fake.PutThing("online-1", connected: true, Noon);
        await using var provider = Build();

        var things = await Index(provider).SearchAsync("connectivity.connected:false").ToListAsync();

        Assert.Equal(250, things.Count);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"thing-{i:D3}"), things.Select(thing => thing.ThingName));
        Assert.Equal(new ConnectionSnapshot(false, Noon.AddMilliseconds(7)), things[7].Connectivity);
        Assert.Equal("CONNECTION_LOST", things[7].DisconnectReason);
        var searches = _fake.SearchRequests;
        Assert.Equal(3, searches.Count);
        Assert.All(searches, search => Assert.Equal(("AWS_Things", "connectivity.connected:false", 100), (search.GetProperty("indexName").GetString(), search.GetProperty("queryString").GetString(), search.GetProperty("maxResults").GetInt32())));
        Assert.False(searches[0].TryGetProperty("nextToken", out _));
        Assert.True(searches[1].TryGetProperty("nextToken", out _));
        Assert.All(_fake.Requests, request => Assert.True(request.Signature.Valid, request.Signature.Problem));
        Assert.All(_fake.Requests, request => Assert.Equal(("POST", "/indices/search", "iot"), (request.Method, request.RawTarget, request.Signature.Service)));
    }

    [Fact]
    public void Read_SamplePayload_ReadsMillisecondsReasonsAndNextToken()
    {
        var page = SearchIndexAnswer.Read(Encoding.UTF8.GetBytes(Payload.Read("iot-search-index.json")), "connectivity.connected:false");

        Assert.Equal("AQEBAHhh...opaque", page.NextToken);
        Assert.Equal(
            [
                new IndexedThing("greenhouse-pi-3", new ConnectionSnapshot(false, DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_451)), "CONNECTION_LOST"),
                new IndexedThing("tractor-17", new ConnectionSnapshot(false, DateTimeOffset.FromUnixTimeMilliseconds(1_767_224_900_120)), "MQTT_KEEP_ALIVE_TIMEOUT"),
            ],
            page.Things);
    }

    [Fact]
    public async Task ReadConnectivityAsync_230Things_AsksInPagesOfAtMost100Names()
    {
        var names = Enumerable.Range(0, 230).Select(i => i % 50 == 0 ? $"site:{i}" : $"pump-{i}").ToList();
        foreach (var name in names.Where((_, i) => i % 10 != 3))
        {
            _fake.PutThing(name, connected: name.EndsWith('7'), Noon);
        }

        await using var provider = Build();

        var connectivity = await Index(provider).ReadConnectivityAsync(names);

        Assert.Equal(names.Count(name => names.IndexOf(name) % 10 != 3), connectivity.Count);
        Assert.True(connectivity["pump-17"].Connected);
        Assert.False(connectivity["site:50"].Connected);
        Assert.False(connectivity.ContainsKey("pump-13"));
        var queries = _fake.SearchRequests.Select(search => search.GetProperty("queryString").GetString()!).ToList();
        Assert.Equal(3, queries.Count);
        Assert.All(queries, query => Assert.True(query.Split(" OR ").Length <= 100));
        Assert.Contains("thingName:\"site:0\" OR thingName:pump-1 OR ", queries[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadConnectivityAsync_InvalidName_ThrowsBeforeAnyRequest()
    {
        await using var provider = Build();

        await Assert.ThrowsAsync<ArgumentException>(() => Index(provider).ReadConnectivityAsync(["pump-1", "pump 2"]).AsTask());

        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task SearchPageAsync_InvalidQuery_ThrowsAfterOneRequest()
    {
        await using var provider = Build();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Index(provider).SearchPageAsync("connectivity.connected:maybe OR (").AsTask());

        Assert.Single(_fake.Requests);
        Assert.Equal(("SearchIndex", "InvalidQueryException"), (error.Operation, error.ErrorCode));
        Assert.Contains("query 'connectivity.connected:maybe OR ('", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchPageAsync_ThrottledAsThe400TheModelDescribes_Retries()
    {
        _fake.PutThing("pump-1", connected: false, Noon);
        _fake.FailNext(new ScriptedFailure(400, "ThrottlingException", "Rate exceeded for SearchIndex"));
        await using var provider = Build();

        var page = await Index(provider).SearchPageAsync("connectivity.connected:false");

        Assert.Single(page.Things);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task SearchPageAsync_ConfiguredPageSize_IsSentAsMaxResults()
    {
        await using var provider = Build(options => options.PageSize = 7);

        await Index(provider).SearchPageAsync("*");

        Assert.Equal(7, Assert.Single(_fake.SearchRequests).GetProperty("maxResults").GetInt32());
    }

    private static IIotFleetIndex Index(IServiceProvider provider) => provider.GetRequiredService<IIotFleetIndex>();

    private ServiceProvider Build(Action<AwsIotFleetIndexOptions>? configure = null)
        => AwsTestHost.Build(builder => builder.AddAwsIotFleetIndex(options =>
        {
            options.Endpoint = _fake.Endpoint.ToString();
            options.Region = AwsTestHost.Region;
            options.Credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, TestAwsCredentials.SecretAccessKey, TestAwsCredentials.SessionToken);
            options.MaxRequestsPerSecond = 0;
            AwsTestHost.FastRetries(options);
            configure?.Invoke(options);
        }));
}
