using System.Globalization;
using System.Text.Json;
using GracefulDisconnect.Aws.Tests.Check;
using GracefulDisconnect.Testing.Aws;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Sweep;

/// <summary><c>sweep</c> against the fake control plane; each test starts from an empty fleet (the collection runs alone).</summary>
[Collection(CheckEnvironmentGroup.Name)]
public sealed class SweepCommandTests : IDisposable
{
    private readonly FakeIotControlPlane _control;
    private readonly FakeSns _sns;
    private readonly string _directory = Directory.CreateTempSubdirectory("sweep-tests-").FullName;
    private readonly DateTimeOffset _now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public SweepCommandTests(CheckEnvironmentFixture environment)
    {
        _control = environment.IotControl;
        _sns = environment.Sns;
        _control.Clear();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Sweep_DryRunAcrossPages_PrintsOneLinePerThingOfflinePastTheGrace()
    {
        for (var i = 0; i < 25; i++)
        {
            _control.PutThing($"tractor-{i:D2}", connected: false, _now.AddHours(-2).AddMilliseconds(i), "MQTT_KEEP_ALIVE_TIMEOUT");
        }

        _control.PutThing("blip-1", connected: false, _now.AddSeconds(-30));
        _control.PutThing("online-1", connected: true, _now.AddHours(-5));
        var published = _sns.Published.Count;
        var before = _control.Requests.Count;

        var run = await CliRun.RunAsync("sweep", "--grace", "5m", "--page-size", "10");

        Assert.Equal(0, run.ExitCode);
        var lines = run.JsonLines();
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"tractor-{i:D2}"), lines.Select(line => line.GetProperty("thing").GetString()));
        Assert.All(lines, line => Assert.Equal(("notify", "connectivity", "MQTT_KEEP_ALIVE_TIMEOUT"), (line.GetProperty("verdict").GetString(), line.GetProperty("source").GetString(), line.GetProperty("disconnectReason").GetString())));
        Assert.Equal(Iso(_now.AddHours(-2).AddMilliseconds(3)), lines[3].GetProperty("offlineSince").GetString());
        Assert.Equal(published, _sns.Published.Count);
        var requests = _control.Requests.Skip(before).ToList();
        var searches = requests.Where(request => request.RawPath == "/indices/search").Select(request => JsonDocument.Parse(request.Body).RootElement).ToList();
        Assert.Equal(3, searches.Count);
        Assert.All(searches, search => Assert.Equal(("AWS_Things", "connectivity.connected:false", 10), (search.GetProperty("indexName").GetString(), search.GetProperty("queryString").GetString(), search.GetProperty("maxResults").GetInt32())));
        Assert.Equal(25, requests.Count(request => request.RawPath.EndsWith("/connectivity-data", StringComparison.Ordinal)));
        Assert.All(requests, request => Assert.True(request.Signature.Valid, request.Signature.Problem));
        Assert.Contains("26 things found, 1 still within the grace, 25 decided (25 notify), 0 published, 0 failed", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_IndexBehindTheBroker_TheConfirmationDecides()
    {
        // The index is updated asynchronously: it may still say offline when the broker knows better.
        foreach (var name in new[] { "back-1", "newer-1", "gone-1", "down-1" })
        {
            _control.PutThing(name, connected: false, _now.AddHours(-1));
        }

        _control.PutBrokerView("back-1", connected: true, _now.AddMinutes(-1));
        _control.PutBrokerView("newer-1", connected: false, _now.AddMinutes(-10));
        _control.PutBrokerView("gone-1", connected: null);

        var run = await CliRun.RunAsync("sweep", "--grace", "5m");

        Assert.Equal(0, run.ExitCode);
        var verdicts = run.JsonLines().ToDictionary(line => line.GetProperty("thing").GetString()!, line => line.GetProperty("verdict").GetString());
        Assert.Equal("skip-reconnected", verdicts["back-1"]);
        Assert.Equal("skip-superseded", verdicts["newer-1"]);
        Assert.Equal("skip-unknown", verdicts["gone-1"]);
        Assert.Equal("notify", verdicts["down-1"]);
    }

    [Fact]
    public async Task Sweep_NotifyWithStoreRunTwice_PublishesEachOutageOnce()
    {
        _control.PutThing("pump-1", connected: false, _now.AddHours(-1));
        _control.PutThing("pump-2", connected: false, _now.AddHours(-3));
        _control.PutThing("pump-3", connected: false, _now.AddMinutes(-1));
        var topic = _sns.CreateTopic("device-offline");
        var store = Path.Combine(_directory, "sweep.db");
        var published = _sns.Published.Count;

        var first = await CliRun.RunAsync("sweep", "--grace", "5m", "--notify", "--topic-arn", topic, "--store", store);
        var beforeSecond = _control.Requests.Count;
        var second = await CliRun.RunAsync("sweep", "--grace", "5m", "--notify", "--topic-arn", topic, "--store", store);

        // An outage already published needs no confirmation: the second run only searches.
        Assert.All(_control.Requests.Skip(beforeSecond), request => Assert.Equal("/indices/search", request.RawPath));
        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(["notify", "notify"], first.JsonLines().Select(line => line.GetProperty("verdict").GetString()));
        Assert.All(first.JsonLines(), line => Assert.False(string.IsNullOrEmpty(line.GetProperty("messageId").GetString())));
        Assert.Equal(["skip-duplicate", "skip-duplicate"], second.JsonLines().Select(line => line.GetProperty("verdict").GetString()));
        Assert.All(second.JsonLines(), line => Assert.False(line.TryGetProperty("messageId", out _)));
        var messages = _sns.Published.Skip(published).ToList();
        Assert.Equal(["pump-1", "pump-2"], messages.Select(message => message.Attributes["thing"]).Order());
        Assert.All(messages, message => Assert.Equal(topic, message.TopicArn));
        Assert.Equal(Iso(_now.AddHours(-1)), messages.Single(message => message.Attributes["thing"] == "pump-1").Attributes["offlineSince"]);
    }

    [Fact]
    public async Task Sweep_NewOutageAfterAReconnect_IsPublishedAgainDespiteTheStore()
    {
        var topic = _sns.CreateTopic("device-offline");
        var store = Path.Combine(_directory, "sweep.db");
        _control.PutThing("pump-1", connected: false, _now.AddHours(-2));
        await CliRun.RunAsync("sweep", "--grace", "5m", "--notify", "--topic-arn", topic, "--store", store);
        var published = _sns.Published.Count;

        _control.PutThing("pump-1", connected: false, _now.AddMinutes(-30));
        var run = await CliRun.RunAsync("sweep", "--grace", "5m", "--notify", "--topic-arn", topic, "--store", store);

        Assert.Equal("notify", run.SingleJsonLine().GetProperty("verdict").GetString());
        Assert.Equal(published + 1, _sns.Published.Count);
    }

    [Fact]
    public async Task Sweep_SearchThrottledWithRetryAfter_WaitsThenSweeps()
    {
        _control.PutThing("pump-1", connected: false, _now.AddHours(-1));
        _control.FailNext(new ScriptedFailure(400, "ThrottlingException", "Rate exceeded", RetryAfterSeconds: 1));
        var before = _control.Requests.Count;

        var run = await CliRun.RunAsync("sweep", "--grace", "5m");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("pump-1", run.SingleJsonLine().GetProperty("thing").GetString());
        var searches = _control.Requests.Skip(before).Where(request => request.RawPath == "/indices/search").ToList();
        Assert.Equal(2, searches.Count);
        Assert.True(searches[1].ReceivedAt - searches[0].ReceivedAt >= TimeSpan.FromMilliseconds(950));
    }

    [Fact]
    public async Task Sweep_InvalidQuery_ExitsOneWithTheServiceError()
    {
        var run = await CliRun.RunAsync("sweep", "--grace", "5m", "--query", "connectivity.connected:(");

        Assert.Equal((1, string.Empty), (run.ExitCode, run.Output));
        Assert.Contains("InvalidQueryException", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sweep")]
    [InlineData("sweep", "--grace", "soon")]
    [InlineData("sweep", "--grace", "5m", "--notify")]
    [InlineData("sweep", "--grace", "5m", "--page-size", "101")]
    [InlineData("sweep", "--grace", "5m", "--query", " ")]
    [InlineData("sweep", "--grace", "5m", "--store", "x.db")]
    [InlineData("sweep", "--grace", "5m", "--iot-endpoint", "not a url")]
    [InlineData("sweep", "--grace", "5m", "--notify", "--topic-arn", "arn:aws:sqs:ap-northeast-1:123456789012:queue")]
    public async Task Sweep_UsageError_ExitsTwoAndSendsNothing(params string[] args)
    {
        _control.PutThing("pump-1", connected: false, _now.AddHours(-1));
        var before = (_control.Requests.Count, _sns.Requests.Count);

        var run = await CliRun.RunAsync(args);

        Assert.Equal((2, string.Empty), (run.ExitCode, run.Output));
        Assert.NotEqual(string.Empty, run.Error.Trim());
        Assert.Equal(before, (_control.Requests.Count, _sns.Requests.Count));
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
