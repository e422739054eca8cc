using System.Net;
using Amazon.Runtime;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Shadow;

public sealed class IotShadowReaderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset ChangedAt = DateTimeOffset.FromUnixTimeSeconds(1_767_226_200);
    private FakeIotDataPlane _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeIotDataPlane.StartNewAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task ReadAsync_ThingNameWithColon_SendsPercentEncodedPathThatVerifies()
    {
        _fake.PutShadow("factory:line-1_pump", connected: false, ChangedAt);
        await using var provider = Build();

        var snapshot = await Reader(provider).ReadAsync("factory:line-1_pump");

        Assert.Equal(new ConnectionSnapshot(false, ChangedAt), snapshot);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/things/factory%3Aline-1_pump/shadow", request.RawTarget);
        Assert.True(request.Signature.Valid, request.Signature.Problem);
        Assert.StartsWith("GET\n/things/factory%253Aline-1_pump/shadow\n", request.Signature.CanonicalRequest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NamedShadow_SendsNameQueryParameter()
    {
        _fake.PutShadow("pump-7", connected: true, ChangedAt, shadowName: "$connectivity:v2");
        await using var provider = Build(options => options.ShadowName = "$connectivity:v2");

        var snapshot = await Reader(provider).ReadAsync("pump-7");

        Assert.True(snapshot!.Value.Connected);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/things/pump-7/shadow?name=%24connectivity%3Av2", request.RawTarget);
        Assert.True(request.Signature.Valid, request.Signature.Problem);
    }

    [Fact]
    public async Task ReadAsync_SessionCredentials_SignsForIotDataInRegionWithSecurityToken()
    {
        _fake.PutShadow("pump-7", connected: false, ChangedAt);
        await using var provider = Build();

        await Reader(provider).ReadAsync("pump-7");

        var request = Assert.Single(_fake.Requests);
        Assert.Equal((TestAwsCredentials.AccessKeyId, AwsTestHost.Region, "iotdata"), (request.Signature.AccessKeyId, request.Signature.Region, request.Signature.Service));
        Assert.Matches($"^AWS4-HMAC-SHA256 Credential={TestAwsCredentials.AccessKeyId}/\\d{{8}}/{AwsTestHost.Region}/iotdata/aws4_request, ", request.Header("Authorization"));
        Assert.Equal(TestAwsCredentials.SessionToken, request.Header("X-Amz-Security-Token"));
        Assert.Contains("x-amz-security-token", request.Signature.SignedHeaders!.Split(';'));
    }

    [Fact]
    public async Task ReadAsync_LongTermCredentials_SendsNoSecurityToken()
    {
        _fake.PutShadow("pump-7", connected: false, ChangedAt);
        await using var provider = Build(options => options.Credentials = new BasicAWSCredentials(TestAwsCredentials.LongTermAccessKeyId, TestAwsCredentials.LongTermSecretAccessKey));

        await Reader(provider).ReadAsync("pump-7");

        var request = Assert.Single(_fake.Requests);
        Assert.True(request.Signature.Valid, request.Signature.Problem);
        Assert.Null(request.Header("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task ReadAsync_SampleShadowDocument_TakesChangedAtFromMetadataAndNoVersion()
    {
        _fake.PutShadow("greenhouse-pi-3", Payload.Read("shadow-document.json"));
        await using var provider = Build();

        var snapshot = await Reader(provider).ReadAsync("greenhouse-pi-3");

        // The sample's shadow version is 42 and its document timestamp 1767226512: neither may leak into the snapshot.
        Assert.Equal(new ConnectionSnapshot(false, DateTimeOffset.FromUnixTimeSeconds(1_767_226_200), Version: null), snapshot);
    }

    [Fact]
    public async Task ReadAsync_UnknownThing_ReturnsNull()
    {
        await using var provider = Build();

        var snapshot = await Reader(provider).ReadAsync("greenhouse-pi-9");

        Assert.Null(snapshot);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task ReadAsync_ThrottledTwice_RetriesAndSignsEachAttemptAgain()
    {
        _fake.PutShadow("pump-7", connected: false, ChangedAt);
        _fake.ThrottleNext(2);
        var credentials = new CountingCredentials();
        await using var provider = Build(options => options.Credentials = credentials);

        var snapshot = await Reader(provider).ReadAsync("pump-7");

        Assert.NotNull(snapshot);
        Assert.Equal(3, _fake.Requests.Count);
        Assert.All(_fake.Requests, request => Assert.True(request.Signature.Valid, request.Signature.Problem));
        Assert.Equal(3, credentials.Calls);
    }

    [Theory]
    [InlineData(500, "InternalFailureException")]
    [InlineData(503, "ServiceUnavailableException")]
    [InlineData(504, "GatewayTimeout")]
    public async Task ReadAsync_ServerErrorsUntilRetriesRunOut_ThrowsAfterEveryAttempt(int status, string errorType)
    {
        for (var i = 0; i < 3; i++)
        {
            _fake.FailNext(new ScriptedFailure(status, errorType, "try again"));
        }

        await using var provider = Build(options => AwsTestHost.FastRetries(options, attempts: 2));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Reader(provider).ReadAsync("pump-7").AsTask());

        Assert.Equal(3, _fake.Requests.Count);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(errorType, error.ErrorCode);
    }

    [Theory]
    [InlineData(400, "InvalidRequestException")]
    [InlineData(401, "UnauthorizedException")]
    [InlineData(403, "ForbiddenException")]
    public async Task ReadAsync_ClientError_ThrowsAfterExactlyOneRequest(int status, string errorType)
    {
        _fake.FailNext(new ScriptedFailure(status, errorType, "User is not authorized to perform: iot:GetThingShadow"));
        await using var provider = Build();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Reader(provider).ReadAsync("pump-7").AsTask());

        Assert.Single(_fake.Requests);
        Assert.Equal(errorType, error.ErrorCode);
        Assert.Equal("GetThingShadow", error.Operation);
        Assert.Contains("thing 'pump-7'", error.Message, StringComparison.Ordinal);
        Assert.Contains(errorType, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("http://internal", error.Message, StringComparison.Ordinal);
        Assert.Contains("not authorized to perform: iot:GetThingShadow", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestAwsCredentials.SecretAccessKey, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestAwsCredentials.SessionToken, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WrongSecret_IsRejectedByTheFakeWith403()
    {
        _fake.PutShadow("pump-7", connected: false, ChangedAt);
        await using var provider = Build(options => options.Credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, "not-the-secret", TestAwsCredentials.SessionToken));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Reader(provider).ReadAsync("pump-7").AsTask());

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("signature does not match", Assert.Single(_fake.Requests).Signature.Problem);
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
    [InlineData("""{"state":{"reported":{"firmware":"1"}},"metadata":{"reported":{}}}""", "state.reported.connected", "is missing")]
    [InlineData("""{"state":{"reported":{"connected":1}},"metadata":{"reported":{"connected":{"timestamp":1}}}}""", "state.reported.connected", "expected true or false")]
    [InlineData("""{"state":{"reported":{"connected":"offline"}},"metadata":{"reported":{"connected":{"timestamp":1}}}}""", "state.reported.connected", "is a string")]
    [InlineData("""{"state":{"reported":{"connected":false}},"metadata":{"reported":{}}}""", "metadata.reported.connected.timestamp", "is missing")]
    [InlineData("""{"state":{"reported":{"connected":false}},"metadata":{"reported":{"connected":{"timestamp":"soon"}}}}""", "metadata.reported.connected.timestamp", "seconds since 1970")]
    [InlineData("""{"state":{"desired":{"connected":true}}}""", "state.reported.connected", "is missing")]
    [InlineData("""[1,2]""", "$", "not a JSON object")]
    [InlineData("""<html>""", "$", "not valid JSON")]
    public async Task ReadAsync_MalformedShadow_ThrowsNamingThingAndJsonPath(string document, string path, string problem)
    {
        _fake.PutShadow("pump-7", document);
        await using var provider = Build();

        var error = await Assert.ThrowsAsync<ShadowFormatException>(() => Reader(provider).ReadAsync("pump-7").AsTask());

        Assert.Equal(("pump-7", path), (error.ThingName, error.JsonPath));
        Assert.Contains("'pump-7'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ONLINE", true)]
    [InlineData("offline", false)]
    [InlineData("lost", false)]
    public async Task ReadAsync_StringStateWithConfiguredValues_MapsThem(string value, bool connected)
    {
        _fake.PutShadow("pump-7", """{"state":{"reported":{"status":{"link":"VALUE"}}},"metadata":{"reported":{"status":{"link":{"timestamp":1767226200}}}}}""".Replace("VALUE", value, StringComparison.Ordinal));
        await using var provider = Build(options =>
        {
            options.ConnectedAttribute = "status.link";
            options.ConnectedValues.Add("online");
            options.DisconnectedValues.Add("offline");
            options.DisconnectedValues.Add("lost");
        });

        var snapshot = await Reader(provider).ReadAsync("pump-7");

        Assert.Equal(new ConnectionSnapshot(connected, ChangedAt), snapshot);
    }

    private static IShadowReader Reader(IServiceProvider provider) => provider.GetRequiredService<IShadowReader>();

    private ServiceProvider Build(Action<AwsIotShadowReaderOptions>? configure = null)
        => AwsTestHost.Build(builder => builder.AddAwsIotShadowReader(options =>
        {
            options.Endpoint = _fake.Endpoint.ToString();
            options.Region = AwsTestHost.Region;
            options.Credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, TestAwsCredentials.SecretAccessKey, TestAwsCredentials.SessionToken);
            AwsTestHost.FastRetries(options);
            configure?.Invoke(options);
        }));
}
