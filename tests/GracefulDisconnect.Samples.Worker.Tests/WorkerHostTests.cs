using GracefulDisconnect.Testing.Aws;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace GracefulDisconnect.Samples.Worker.Tests;

/// <summary>The worker's host end to end against loopback fakes of SQS, IoT Data Plane and SNS.</summary>
public sealed class WorkerHostTests
{
    [Fact]
    public async Task Host_DisconnectsFromTheQueue_AreRecordedDeletedAndOnlyTheStillOfflineThingIsPublishedOnce()
    {
        await using var aws = await WorkerEnvironment.StartAsync();
        var disconnectedAt = WholeSeconds(DateTimeOffset.UtcNow);
        aws.Iot.PutShadow("pump-1", connected: false, disconnectedAt);
        aws.Iot.PutShadow("pump-2", connected: true, disconnectedAt.AddSeconds(1));
        string[] ids =
        [
            aws.Sqs.Enqueue(aws.QueueUrl, RuleOutput("pump-1", disconnectedAt)),
            aws.Sqs.Enqueue(aws.QueueUrl, RuleOutput("pump-1", disconnectedAt)), // the rule fired twice
            aws.Sqs.Enqueue(aws.QueueUrl, RuleOutput("pump-2", disconnectedAt)),
        ];
        using var host = aws.BuildHost();
        var store = host.Services.GetRequiredService<IDeviceStore>();

        await host.StartAsync();
        await WorkerEnvironment.EventuallyAsync(() => aws.Sqs.Deleted.Count == 3, "all three messages deleted");
        await WorkerEnvironment.EventuallyAsync(() => aws.Sns.Published.Count == 1 && Counts(store) is { Waking: 0, Undelivered: 0 }, "every re-check done and delivered");
        await host.StopAsync();

        Assert.Equal(ids.Order(), aws.Sqs.Deleted.Order());
        var message = Assert.Single(aws.Sns.Published);
        Assert.Equal(("pump-1", aws.TopicArn), (message.Attributes["thing"], message.TopicArn));

        // The duplicate is the same event: one re-check per device, one shadow read each.
        Assert.Equal(2, aws.Iot.Requests.Count);
        Assert.Empty(aws.Sqs.Sent);
        Assert.All(aws.AllRequests, request => Assert.True(request.Signature.Valid, request.Signature.Problem));
    }

    [Fact]
    public async Task Host_MalformedMessage_IsLeftForTheDeadLetterQueueWhileTheOthersAreConsumed()
    {
        await using var aws = await WorkerEnvironment.StartAsync();
        var disconnectedAt = WholeSeconds(DateTimeOffset.UtcNow.AddMinutes(-10));
        aws.Iot.PutShadow("pump-1", connected: false, disconnectedAt);
        var broken = aws.Sqs.Enqueue(aws.QueueUrl, """{"thingName":"pump-9","connected":false,"timestamp":"noon"}""");
        var good = aws.Sqs.Enqueue(aws.QueueUrl, RuleOutput("pump-1", disconnectedAt));
        var logs = new CapturingLoggerProvider();
        using var host = aws.BuildHost(logs: logs);

        await host.StartAsync();
        await WorkerEnvironment.EventuallyAsync(() => aws.Sns.Published.Count == 1, "pump-1 published");
        await host.StopAsync();

        Assert.Equal([good], aws.Sqs.Deleted);
        Assert.Equal(1, aws.Sqs.Remaining);
        var line = Assert.Single(logs.Entries, entry => entry.EventId == 5002).Message;
        Assert.Contains(broken, line, StringComparison.Ordinal);
        Assert.Contains("timestamp", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_RecheckNotYetDue_StaysInTheStoreAndTheRestartedWorkerPublishesItOnce()
    {
        await using var aws = await WorkerEnvironment.StartAsync();
        var now = WholeSeconds(DateTimeOffset.UtcNow);
        aws.Iot.PutShadow("pump-7", connected: false, now.AddSeconds(-10));
        var id = aws.Sqs.Enqueue(aws.QueueUrl, RuleOutput("pump-7", now.AddSeconds(-10)));
        var fiveMinutes = new Dictionary<string, string?> { ["GracefulDisconnect:GracePeriod"] = "00:05:00" };
        using (var before = aws.BuildHost(fiveMinutes, clock: new FrozenClock(now)))
        {
            await before.StartAsync();
            await WorkerEnvironment.EventuallyAsync(() => aws.Sqs.Deleted.Contains(id), "the disconnect recorded and deleted");
            Assert.Equal(1, Counts(before.Services.GetRequiredService<IDeviceStore>()).Waking);
            await before.StopAsync();
        }

        // Nothing goes back to the queue and nothing is told before the grace period is over.
        Assert.Empty(aws.Sqs.Sent);
        Assert.Empty(aws.Iot.Requests);
        Assert.Empty(aws.Sns.Published);

        using var after = aws.BuildHost(fiveMinutes, clock: new FrozenClock(now.AddMinutes(5)));
        await after.StartAsync();
        await WorkerEnvironment.EventuallyAsync(() => aws.Sns.Published.Count == 1 && Counts(after.Services.GetRequiredService<IDeviceStore>()) is { Waking: 0, Undelivered: 0 }, "pump-7 published by the restarted worker");
        await after.StopAsync();

        Assert.Equal("pump-7", Assert.Single(aws.Sns.Published).Attributes["thing"]);
    }

    [Fact]
    public async Task StartAsync_StoreFolderMissing_FailsNamingTheFileAndTouchesNoQueue()
    {
        await using var aws = await WorkerEnvironment.StartAsync();
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "state.db");
        using var host = aws.BuildHost(new Dictionary<string, string?> { ["Worker:Store"] = missing });

        var error = await Assert.ThrowsAsync<DeviceStoreException>(() => host.StartAsync());

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Empty(aws.AllRequests);
    }

    [Fact]
    public async Task Host_PollingWorks_WritesHealthyToTheHealthFile()
    {
        await using var aws = await WorkerEnvironment.StartAsync();
        using var host = aws.BuildHost();

        await host.StartAsync();
        await WorkerEnvironment.EventuallyAsync(() => HealthStatus(aws.HealthFile) == "Healthy", "a Healthy report");
        await host.StopAsync();

        using var report = JsonDocument.Parse(File.ReadAllText(aws.HealthFile));
        var check = report.RootElement.GetProperty("checks").GetProperty("sqs-poll");
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.True(check.GetProperty("data").TryGetProperty("lastSuccessfulPoll", out _));
        Assert.Equal("Healthy", report.RootElement.GetProperty("checks").GetProperty(WorkerServiceCollectionExtensions.EngineHealthCheckName).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Host_PollsKeepFailing_BecomesUnhealthyInTheHealthFile()
    {
        await using var aws = await WorkerEnvironment.StartAsync();
        using var host = aws.BuildHost(new Dictionary<string, string?>
        {
            ["Worker:QueueUrl"] = aws.QueueUrl.Replace("device-disconnects", "no-such-queue", StringComparison.Ordinal),
            ["Worker:UnhealthyAfter"] = "00:00:02",
        });

        await host.StartAsync();
        await WorkerEnvironment.EventuallyAsync(() => HealthStatus(aws.HealthFile) == "Unhealthy", "an Unhealthy report");
        await host.StopAsync();

        using var report = JsonDocument.Parse(File.ReadAllText(aws.HealthFile));
        var data = report.RootElement.GetProperty("checks").GetProperty("sqs-poll").GetProperty("data");
        Assert.Contains("does not exist", data.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Worker:QueueUrl", "", "QueueUrl")]
    [InlineData("Worker:QueueUrl", "sqs://device-disconnects", "not a queue URL")]
    [InlineData("Worker:IdleDelay", "00:00:00", "tight loop")]
    [InlineData("Worker:UnhealthyAfter", "00:00:01", "UnhealthyAfter")]
    [InlineData("GracefulDisconnect:Sns:TopicArn", "", "TopicArn")]
    [InlineData("GracefulDisconnect:GracePeriod", "00:00:00", "GracePeriod")]
    [InlineData("GracefulDisconnect:IotShadow:ShadowName", "no spaces", "ShadowName")]
    public async Task StartAsync_InvalidConfiguration_FailsNamingTheKey(string key, string value, string expected)
    {
        await using var aws = await WorkerEnvironment.StartAsync();
        using var host = aws.BuildHost(new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(aws.AllRequests);
    }

    private static DeviceStoreCounts Counts(IDeviceStore store) => store.CountAsync().AsTask().GetAwaiter().GetResult();

    private static string RuleOutput(string thing, DateTimeOffset disconnectedAt)
        => new JsonObject { ["thingName"] = thing, ["connected"] = false, ["timestamp"] = disconnectedAt.ToUnixTimeSeconds() }.ToJsonString();

    private static string? HealthStatus(string path)
    {
        try
        {
            using var report = JsonDocument.Parse(File.ReadAllText(path));
            return report.RootElement.GetProperty("status").GetString();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());
}
