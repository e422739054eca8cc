using System.Text;
using System.Text.Json;
using GracefulDisconnect.Cli;
using GracefulDisconnect.Testing.Aws;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Check;

[Collection(CheckEnvironmentGroup.Name)]
public sealed class CheckCommandTests(CheckEnvironmentFixture environment)
{
    private readonly FakeIotDataPlane _iot = environment.IotData;
    private readonly FakeSns _sns = environment.Sns;

    [Fact]
    public async Task Check_OfflinePastTheGraceWithNotify_PublishesOnceAndPrintsTheMessageId()
    {
        var thing = Unique("greenhouse-pi");
        var changedAt = WholeSeconds(DateTimeOffset.UtcNow.AddHours(-1));
        _iot.PutShadow(thing, connected: false, changedAt);
        var topic = _sns.CreateTopic("device-offline");
        var published = _sns.Published.Count;

        var run = await RunAsync("check", thing, "--grace", "5m", "--notify", "--topic-arn", topic);

        Assert.Equal((0, string.Empty), (run.ExitCode, run.Error));
        var line = run.SingleJsonLine();
        Assert.Equal(thing, line.GetProperty("thing").GetString());
        Assert.Equal("notify", line.GetProperty("verdict").GetString());
        Assert.Equal(Iso(changedAt), line.GetProperty("offlineSince").GetString());
        Assert.False(line.GetProperty("connected").GetBoolean());
        Assert.Equal("00:05:00", line.GetProperty("grace").GetString());
        Assert.Equal(Iso(changedAt.AddMinutes(5)), line.GetProperty("dueAt").GetString());
        Assert.EndsWith("Z", line.GetProperty("checkedAt").GetString(), StringComparison.Ordinal);
        Assert.Equal(published + 1, _sns.Published.Count);
        var message = _sns.Published[^1];
        Assert.Equal(message.MessageId, line.GetProperty("messageId").GetString());
        Assert.Equal(topic, message.TopicArn);
        Assert.Equal(thing, message.Attributes["thing"]);
        Assert.Equal(Iso(changedAt), message.Attributes["offlineSince"]);
        var snsRequest = _sns.Requests[^1];
        Assert.True(snsRequest.Signature.Valid, snsRequest.Signature.Problem);
        Assert.Equal(("sns", AwsTestHost.Region), (snsRequest.Signature.Service, snsRequest.Signature.Region));
        Assert.Equal(TestAwsCredentials.SessionToken, snsRequest.Header("X-Amz-Security-Token"));
        var iotRequest = LastShadowRequest(thing);
        Assert.True(iotRequest.Signature.Valid, iotRequest.Signature.Problem);
        Assert.Equal(("iotdata", TestAwsCredentials.AccessKeyId), (iotRequest.Signature.Service, iotRequest.Signature.AccessKeyId));
        Assert.Equal(TestAwsCredentials.SessionToken, iotRequest.Header("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task Check_ThingNameWithColon_IsPercentEncodedOnTheWire()
    {
        var thing = Unique("factory:line-1");
        _iot.PutShadow(thing, connected: false, DateTimeOffset.UtcNow.AddHours(-2));

        var run = await RunAsync("check", thing, "--grace", "10m");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("notify", run.SingleJsonLine().GetProperty("verdict").GetString());
        Assert.False(run.SingleJsonLine().TryGetProperty("messageId", out _));
        var request = LastShadowRequest(thing);
        Assert.Equal($"/things/{thing.Replace(":", "%3A", StringComparison.Ordinal)}/shadow", request.RawTarget);
        Assert.True(request.Signature.Valid, request.Signature.Problem);
    }

    [Fact]
    public async Task Check_UnknownThing_SaysSkipUnknown()
    {
        var run = await RunAsync("check", Unique("nobody"), "--grace", "5m", "--disconnected-at", "2026-01-01T00:00:00Z");

        Assert.Equal(0, run.ExitCode);
        var line = run.SingleJsonLine();
        Assert.Equal("skip-unknown", line.GetProperty("verdict").GetString());
        Assert.Equal("2026-01-01T00:00:00.000Z", line.GetProperty("offlineSince").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("connected").ValueKind);
        Assert.Equal(JsonValueKind.Null, line.GetProperty("stateChangedAt").ValueKind);
    }

    [Fact]
    public async Task Check_ThrottledThenSuccess_RetriesAndDecides()
    {
        var thing = Unique("pump");
        _iot.PutShadow(thing, connected: true, DateTimeOffset.UtcNow.AddMinutes(-1));
        _iot.ThrottleNext(1);

        var run = await RunAsync("check", thing, "--grace", "5m", "--disconnected-at", DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("skip-reconnected", run.SingleJsonLine().GetProperty("verdict").GetString());
        Assert.True(run.SingleJsonLine().GetProperty("connected").GetBoolean());
        Assert.Equal(2, ShadowRequests(thing).Count);
    }

    [Fact]
    public async Task Check_StateChangedAfterTheTrigger_SaysSkipSuperseded()
    {
        var thing = Unique("pump");
        var newer = WholeSeconds(DateTimeOffset.UtcNow.AddMinutes(-30));
        _iot.PutShadow(thing, connected: false, newer);

        var run = await RunAsync("check", thing, "--grace", "5m", "--disconnected-at", newer.AddMinutes(-30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        var line = run.SingleJsonLine();
        Assert.Equal("skip-superseded", line.GetProperty("verdict").GetString());
        Assert.Equal(Iso(newer.AddMinutes(-30)), line.GetProperty("offlineSince").GetString());
        Assert.Equal(Iso(newer), line.GetProperty("stateChangedAt").GetString());
    }

    [Fact]
    public async Task Check_WithinTheGrace_SaysNotYetDueAndPublishesNothing()
    {
        var thing = Unique("pump");
        _iot.PutShadow(thing, connected: false, DateTimeOffset.UtcNow.AddSeconds(-10));
        var topic = _sns.CreateTopic("device-offline");
        var published = _sns.Published.Count;

        var run = await RunAsync("check", thing, "--grace", "5m", "--notify", "--topic-arn", topic);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("not-yet-due", run.SingleJsonLine().GetProperty("verdict").GetString());
        Assert.Equal(published, _sns.Published.Count);
    }

    [Fact]
    public async Task Check_NamedShadow_ReadsItWithTheNameQuery()
    {
        var thing = Unique("pump");
        _iot.PutShadow(thing, connected: false, DateTimeOffset.UtcNow.AddHours(-1), shadowName: "connectivity");

        var run = await RunAsync("check", thing, "--grace", "5m", "--shadow-name", "connectivity");

        Assert.Equal("notify", run.SingleJsonLine().GetProperty("verdict").GetString());
        Assert.Equal("connectivity", run.SingleJsonLine().GetProperty("shadowName").GetString());
        Assert.Equal("connectivity", LastShadowRequest(thing).Query["name"]);
    }

    [Theory]
    [InlineData("check", "has space", "--grace", "5m")]
    [InlineData("check", "", "--grace", "5m")]
    [InlineData("check", "pump/../../x", "--grace", "5m")]
    [InlineData("check", "pump", "--grace", "5m", "--shadow-name", "bad name")]
    [InlineData("check", "pump", "--grace", "5m", "--notify")]
    [InlineData("check", "pump", "--grace", "5m", "--disconnected-at", "yesterday")]
    [InlineData("check", "pump", "--grace", "soon")]
    [InlineData("check", "pump")]
    [InlineData("check", "pump", "--grace", "5m", "--iot-endpoint", "not a url")]
    [InlineData("check", "pump", "--grace", "5m", "--notify", "--topic-arn", "arn:aws:sqs:ap-northeast-1:123456789012:queue")]
    public async Task Check_UsageError_ExitsTwoWithAMessageAndSendsNothing(params string[] args)
    {
        var before = (_iot.Requests.Count, _sns.Requests.Count);

        var run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.NotEqual(string.Empty, run.Error.Trim());
        Assert.Equal(string.Empty, run.Output);
        Assert.Equal(before, (_iot.Requests.Count, _sns.Requests.Count));
    }

    [Fact]
    public async Task Check_Forbidden_ExitsOneWithTheAwsErrorOnStderr()
    {
        var thing = Unique("pump");
        _iot.FailNext(new ScriptedFailure(403, "ForbiddenException", "User is not authorized to perform: iot:GetThingShadow"));

        var run = await RunAsync("check", thing, "--grace", "5m");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains("ForbiddenException", run.Error, StringComparison.Ordinal);
        Assert.Contains("not authorized to perform: iot:GetThingShadow", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(TestAwsCredentials.SecretAccessKey, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(TestAwsCredentials.SessionToken, run.Error, StringComparison.Ordinal);
        Assert.Single(ShadowRequests(thing));
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static DateTimeOffset WholeSeconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private List<RecordedRequest> ShadowRequests(string thing)
        => [.. _iot.Requests.Where(request => request.RawPath == $"/things/{Uri.EscapeDataString(thing)}/shadow")];

    private RecordedRequest LastShadowRequest(string thing) => ShadowRequests(thing)[^1];

    private static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new MemoryStream();
        await using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exitCode = await CliApp.RunAsync(args, new CliIo(Stream.Null, output, error), timeout.Token);
        return new CliRun(exitCode, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    private sealed record CliRun(int ExitCode, string Output, string Error)
    {
        public JsonElement SingleJsonLine()
        {
            var line = Assert.Single(Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            return JsonDocument.Parse(line).RootElement.Clone();
        }
    }
}
