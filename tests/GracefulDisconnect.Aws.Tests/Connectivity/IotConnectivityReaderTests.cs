using System.Net;
using System.Text;
using Amazon.Runtime;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Connectivity;

public sealed class IotConnectivityReaderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset ChangedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_451);
    private FakeIotControlPlane _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeIotControlPlane.StartNewAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task ReadAsync_OfflineThing_ReturnsTheBrokersViewToTheMillisecond()
    {
        _fake.PutThing("greenhouse-pi-3", connected: false, ChangedAt);
        await using var provider = Build();

        var snapshot = await Reader(provider).ReadAsync("greenhouse-pi-3");

        Assert.Equal(new ConnectionSnapshot(false, ChangedAt), snapshot);
    }

    [Fact]
    public async Task ReadAsync_ThingNameWithColon_PostsPercentEncodedPathSignedForIot()
    {
        _fake.PutThing("factory:line-1_pump", connected: true, ChangedAt);
        await using var provider = Build();

        var snapshot = await Reader(provider).ReadAsync("factory:line-1_pump");

        Assert.True(snapshot!.Value.Connected);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal(("POST", "/things/factory%3Aline-1_pump/connectivity-data"), (request.Method, request.RawTarget));
        Assert.True(request.Signature.Valid, request.Signature.Problem);
        Assert.Equal(("iot", AwsTestHost.Region), (request.Signature.Service, request.Signature.Region));
        Assert.StartsWith("POST\n/things/factory%253Aline-1_pump/connectivity-data\n", request.Signature.CanonicalRequest, StringComparison.Ordinal);
        Assert.Equal(TestAwsCredentials.SessionToken, request.Header("X-Amz-Security-Token"));
        Assert.Equal("{}", request.BodyText);
    }

    [Fact]
    public void Read_SamplePayload_TakesFractionalSecondsAsMilliseconds()
    {
        var (snapshot, reason) = ConnectivityData.Read(Encoding.UTF8.GetBytes(Payload.Read("iot-connectivity-data.json")), "greenhouse-pi-3");

        Assert.Equal(new ConnectionSnapshot(false, ChangedAt), snapshot);
        Assert.Equal("CONNECTION_LOST", reason);
    }

    [Fact]
    public async Task ReadAsync_UnknownThing_ReturnsNullAfterOneRequest()
    {
        await using var provider = Build();

        var snapshot = await Reader(provider).ReadAsync("greenhouse-pi-9");

        Assert.Null(snapshot);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task ReadAsync_NeverConnected_ReturnsNull()
    {
        _fake.PutThingNeverConnected("crate-12");
        await using var provider = Build();

        Assert.Null(await Reader(provider).ReadAsync("crate-12"));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(400)]
    public async Task ReadAsync_ThrottlingException_IsRetriedAndSignedAgain(int status)
    {
        // The control plane's model gives ThrottlingException HTTP 400; a 429 is retried as well.
        _fake.PutThing("pump-7", connected: false, ChangedAt);
        _fake.FailNext(new ScriptedFailure(status, "ThrottlingException", "Rate exceeded"));
        await using var provider = Build();

        var snapshot = await Reader(provider).ReadAsync("pump-7");

        Assert.NotNull(snapshot);
        Assert.Equal(2, _fake.Requests.Count);
        Assert.All(_fake.Requests, request => Assert.True(request.Signature.Valid, request.Signature.Problem));
    }

    [Fact]
    public async Task ReadAsync_ThrottledWithRetryAfter_WaitsThatLongBeforeTheRetry()
    {
        _fake.PutThing("pump-7", connected: false, ChangedAt);
        _fake.FailNext(new ScriptedFailure(429, "ThrottlingException", "Rate exceeded", RetryAfterSeconds: 1));
        await using var provider = Build(options => options.MaxRetryDelay = TimeSpan.FromSeconds(5));

        await Reader(provider).ReadAsync("pump-7");

        var requests = _fake.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950), $"retried after {requests[1].ReceivedAt - requests[0].ReceivedAt}");
    }

    [Theory]
    [InlineData(400, "InvalidRequestException")]
    [InlineData(401, "UnauthorizedException")]
    [InlineData(400, "IndexNotReadyException")]
    public async Task ReadAsync_ClientError_ThrowsAfterExactlyOneRequest(int status, string errorType)
    {
        _fake.FailNext(new ScriptedFailure(status, errorType, "User is not authorized to perform: iot:GetThingConnectivityData"));
        await using var provider = Build();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Reader(provider).ReadAsync("pump-7").AsTask());

        Assert.Single(_fake.Requests);
        Assert.Equal(("GetThingConnectivityData", errorType, (HttpStatusCode)status), (error.Operation, error.ErrorCode, error.StatusCode));
        Assert.Contains("thing 'pump-7'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("http://internal", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestAwsCredentials.SessionToken, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WrongSecret_IsRejectedByTheFakeWith403()
    {
        _fake.PutThing("pump-7", connected: false, ChangedAt);
        await using var provider = Build(options => options.Credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, "not-the-secret", TestAwsCredentials.SessionToken));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Reader(provider).ReadAsync("pump-7").AsTask());

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.DoesNotContain("not-the-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("dollar$sign")]
    public async Task ReadAsync_InvalidThingName_ThrowsBeforeAnyRequest(string thingName)
    {
        await using var provider = Build();

        await Assert.ThrowsAsync<ArgumentException>(() => Reader(provider).ReadAsync(thingName).AsTask());

        Assert.Empty(_fake.Requests);
    }

    [Theory]
    [InlineData("""{"connected":"no","timestamp":1}""", "connected")]
    [InlineData("""{"timestamp":1}""", "connected")]
    [InlineData("""{"connected":false,"timestamp":"yesterday"}""", "timestamp")]
    [InlineData("""{"connected":false,"timestamp":-5}""", "timestamp")]
    [InlineData("""[1]""", "$")]
    [InlineData("""<html>""", "$")]
    public void Read_MalformedAnswer_ThrowsNamingThingAndField(string body, string path)
    {
        var error = Assert.Throws<AwsResponseFormatException>(() => ConnectivityData.Read(Encoding.UTF8.GetBytes(body), "pump-7"));

        Assert.Equal(("GetThingConnectivityData", path), (error.Operation, error.JsonPath));
        Assert.Contains("'pump-7'", error.Message, StringComparison.Ordinal);
    }

    private static IShadowReader Reader(IServiceProvider provider) => provider.GetRequiredService<IShadowReader>();

    private ServiceProvider Build(Action<AwsIotConnectivityReaderOptions>? configure = null)
        => AwsTestHost.Build(builder => builder.AddAwsIotConnectivityReader(options =>
        {
            options.Endpoint = _fake.Endpoint.ToString();
            options.Region = AwsTestHost.Region;
            options.Credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, TestAwsCredentials.SecretAccessKey, TestAwsCredentials.SessionToken);
            AwsTestHost.FastRetries(options);
            configure?.Invoke(options);
        }));
}
