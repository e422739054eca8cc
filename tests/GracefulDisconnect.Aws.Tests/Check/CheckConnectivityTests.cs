using System.Globalization;
using System.Text.Json;
using GracefulDisconnect.Testing.Aws;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Check;

[Collection(CheckEnvironmentGroup.Name)]
public sealed class CheckConnectivityTests(CheckEnvironmentFixture environment)
{
    private readonly FakeIotControlPlane _control = environment.IotControl;
    private readonly FakeIotDataPlane _data = environment.IotData;
    private readonly FakeSns _sns = environment.Sns;

    [Fact]
    public async Task Check_SourceConnectivityOfflinePastTheGrace_NotifiesFromTheBrokersViewWithoutAnyShadow()
    {
        var thing = Unique("greenhouse");
        var changedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds());
        _control.PutThing(thing, connected: false, changedAt);
        var topic = _sns.CreateTopic("device-offline");
        var shadowReads = _data.Requests.Count;

        var run = await CliRun.RunAsync("check", thing, "--grace", "5m", "--source", "connectivity", "--notify", "--topic-arn", topic);

        Assert.Equal((0, string.Empty), (run.ExitCode, run.Error));
        var line = run.SingleJsonLine();
        Assert.Equal(("notify", "connectivity"), (line.GetProperty("verdict").GetString(), line.GetProperty("source").GetString()));
        Assert.Equal(Iso(changedAt), line.GetProperty("offlineSince").GetString());
        Assert.Equal(Iso(changedAt), line.GetProperty("stateChangedAt").GetString());
        Assert.Equal(_sns.Published[^1].MessageId, line.GetProperty("messageId").GetString());
        var request = Assert.Single(_control.ConnectivityRequests, r => r.RawPath == $"/things/{thing}/connectivity-data");
        Assert.True(request.Signature.Valid, request.Signature.Problem);
        Assert.Equal(("iot", AwsTestHost.Region), (request.Signature.Service, request.Signature.Region));
        Assert.Equal(shadowReads, _data.Requests.Count);
    }

    [Fact]
    public async Task Check_SourceConnectivityReconnected_SaysSkipReconnected()
    {
        var thing = Unique("pump");
        _control.PutThing(thing, connected: true, DateTimeOffset.UtcNow.AddMinutes(-2));

        var run = await CliRun.RunAsync("check", thing, "--grace", "5m", "--source", "connectivity", "--disconnected-at", DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("skip-reconnected", run.SingleJsonLine().GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Check_SourceConnectivityUnknownThing_SaysSkipUnknown()
    {
        var run = await CliRun.RunAsync("check", Unique("nobody"), "--grace", "5m", "--source", "connectivity", "--disconnected-at", "2026-01-01T00:00:00Z");

        Assert.Equal(0, run.ExitCode);
        var line = run.SingleJsonLine();
        Assert.Equal("skip-unknown", line.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("connected").ValueKind);
    }

    [Fact]
    public async Task Check_SourceConnectivityThrottledWithRetryAfter_WaitsAndDecides()
    {
        var thing = Unique("pump");
        _control.PutThing(thing, connected: false, DateTimeOffset.UtcNow.AddHours(-3));
        _control.FailNext(new ScriptedFailure(429, "ThrottlingException", "Rate exceeded", RetryAfterSeconds: 1));

        var run = await CliRun.RunAsync("check", thing, "--grace", "5m", "--source", "connectivity");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("notify", run.SingleJsonLine().GetProperty("verdict").GetString());
        var requests = _control.ConnectivityRequests.Where(r => r.RawPath == $"/things/{thing}/connectivity-data").ToList();
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950));
    }

    [Fact]
    public async Task Check_SourceConnectivityForbidden_ExitsOneNamingTheOperation()
    {
        var thing = Unique("pump");
        _control.FailNext(new ScriptedFailure(403, "ForbiddenException", "User is not authorized to perform: iot:GetThingConnectivityData"));

        var run = await CliRun.RunAsync("check", thing, "--grace", "5m", "--source", "connectivity");

        Assert.Equal((1, string.Empty), (run.ExitCode, run.Output));
        Assert.Contains("reading the connectivity of", run.Error, StringComparison.Ordinal);
        Assert.Contains("GetThingConnectivityData", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(TestAwsCredentials.SessionToken, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check", "has space", "--grace", "5m", "--source", "connectivity")]
    [InlineData("check", "pump", "--grace", "5m", "--source", "connectivity", "--shadow-name", "status")]
    [InlineData("check", "pump", "--grace", "5m", "--source", "broker")]
    public async Task Check_SourceConnectivityUsageError_ExitsTwoAndSendsNothing(params string[] args)
    {
        var before = (_control.Requests.Count, _data.Requests.Count);

        var run = await CliRun.RunAsync(args);

        Assert.Equal((2, string.Empty), (run.ExitCode, run.Output));
        Assert.NotEqual(string.Empty, run.Error.Trim());
        Assert.Equal(before, (_control.Requests.Count, _data.Requests.Count));
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
