using System.Text.Json;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>The handler end to end: recorded SQS events in, partial batch responses out, AWS played by loopback fakes.</summary>
[Collection(LambdaEnvironmentGroup.Name)]
public sealed class FunctionTests
{
    // The recorded event's rule output: greenhouse-pi-3 went offline at 2026-01-01T00:10:00Z.
    private const string RecordedThing = "greenhouse-pi-3";
    private const string RecordedMessageId = "059f36b4-87a3-44ab-83d2-661975830a7d";
    private static readonly DateTimeOffset RecordedDisconnect = DateTimeOffset.FromUnixTimeSeconds(1_767_226_200);

    [Fact]
    public async Task HandleAsync_RecordedEventForAThingStillOffline_PublishesOnceAndReportsNoFailure()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        await using var function = new Function();

        var response = await ReadAsync(await function.HandleAsync(SqsEvents.AsStream(SqsEvents.Recorded)));

        Assert.Equal("""{"batchItemFailures":[]}""", response);
        var message = Assert.Single(aws.Sns.Published);
        Assert.Equal(aws.TopicArn, message.TopicArn);
        Assert.Equal(RecordedThing, message.Attributes["thing"]);
        Assert.Equal("notify", message.Attributes["verdict"]);
        Assert.Contains("greenhouse-pi-3 has been offline since 2026-01-01 00:10:00", message.Form["Message"], StringComparison.Ordinal);
        Assert.Single(aws.ShadowRequests(RecordedThing));
        Assert.Empty(aws.Sqs.Sent);
        Assert.All(aws.AllRequests, request =>
        {
            Assert.True(request.Signature.Valid, request.Signature.Problem);
            Assert.Equal((TestAwsCredentials.AccessKeyId, LambdaEnvironment.Region), (request.Signature.AccessKeyId, request.Signature.Region));
            Assert.Equal(TestAwsCredentials.SessionToken, request.Header("X-Amz-Security-Token"));
        });
    }

    [Fact]
    public async Task HandleAsync_ThingThatReconnected_PublishesNothing()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        aws.Iot.PutShadow(RecordedThing, connected: true, RecordedDisconnect.AddSeconds(40));
        await using var function = new Function();

        var failures = await InvokeAsync(function, SqsEvents.Recorded);

        Assert.Empty(failures);
        Assert.Single(aws.ShadowRequests(RecordedThing));
        Assert.Empty(aws.Sns.Published);
    }

    [Fact]
    public async Task HandleAsync_MalformedRecordAmongGoodOnes_ReportsExactlyItsMessageIdAndProcessesTheOthers()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        aws.Iot.PutShadow("pump-1", connected: false, RecordedDisconnect);
        aws.Iot.PutShadow("pump-3", connected: true, RecordedDisconnect.AddMinutes(1));
        var logs = new CapturingLoggerProvider();
        await using var function = Create(logs);

        var failures = await InvokeAsync(function, SqsEvents.Create(
            ("m-1", SqsEvents.RuleOutput("pump-1", RecordedDisconnect)),
            ("m-2", """{"thingName":"pump-2","connected":false,"timestamp":"yesterday"}"""),
            ("m-3", SqsEvents.RuleOutput("pump-3", RecordedDisconnect)),
            ("m-4", "{broken")));

        Assert.Equal(["m-2", "m-4"], failures);
        Assert.Equal("pump-1", Assert.Single(aws.Sns.Published).Attributes["thing"]);
        Assert.Single(aws.ShadowRequests("pump-3"));
        Assert.Empty(aws.ShadowRequests("pump-2"));
        var malformed = logs.Entries.Where(entry => entry.EventId == 4003).Select(entry => entry.Message).Order().ToList();
        Assert.Collection(
            malformed,
            line => Assert.Contains("m-2", line, StringComparison.Ordinal),
            line => Assert.Contains("m-4", line, StringComparison.Ordinal));
        Assert.Contains("timestamp", malformed[0], StringComparison.Ordinal);
        Assert.DoesNotContain("yesterday", malformed[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5m", 60, 240)]
    [InlineData("40m", 300, 900)]
    public async Task HandleAsync_RecordNotYetDue_IsSentBackToTheQueueWithTheRemainingDelayAtMost900s(string grace, int secondsSinceDisconnect, int expectedDelay)
    {
        await using var aws = await LambdaEnvironment.StartAsync(grace);
        var disconnectedAt = WholeSeconds(DateTimeOffset.UtcNow);
        aws.Iot.PutShadow("pump-7", connected: false, disconnectedAt);
        await using var function = Create(clock: new FrozenClock(disconnectedAt.AddSeconds(secondsSinceDisconnect)));

        var failures = await InvokeAsync(function, SqsEvents.Create(("m-1", SqsEvents.RuleOutput("pump-7", disconnectedAt))));

        Assert.Empty(failures);
        var sent = Assert.Single(aws.Sqs.Sent);
        Assert.Equal((aws.QueueUrl, expectedDelay), (sent.QueueUrl, sent.DelaySeconds));
        Assert.Contains("\"thing\":\"pump-7\"", sent.Body, StringComparison.Ordinal);
        Assert.Empty(aws.ShadowRequests("pump-7"));
        Assert.Empty(aws.Sns.Published);
        Assert.All(aws.Sqs.Requests, request => Assert.True(request.Signature.Valid, request.Signature.Problem));
    }

    [Fact]
    public async Task HandleAsync_MessageSentBackEarlier_IsRecheckedWhenItComesBackDue()
    {
        await using var aws = await LambdaEnvironment.StartAsync("5m");
        var disconnectedAt = WholeSeconds(DateTimeOffset.UtcNow);
        aws.Iot.PutShadow("pump-7", connected: false, disconnectedAt);
        await using (var early = Create(clock: new FrozenClock(disconnectedAt.AddSeconds(60))))
        {
            Assert.Empty(await InvokeAsync(early, SqsEvents.Create(("m-1", SqsEvents.RuleOutput("pump-7", disconnectedAt)))));
        }

        await using var due = Create(clock: new FrozenClock(disconnectedAt.AddMinutes(5)));
        var failures = await InvokeAsync(due, SqsEvents.Create(("m-2", Assert.Single(aws.Sqs.Sent).Body)));

        Assert.Empty(failures);
        Assert.Equal("pump-7", Assert.Single(aws.Sns.Published).Attributes["thing"]);
        Assert.Single(aws.Sqs.Sent);
    }

    [Fact]
    public async Task HandleAsync_ThrottledShadowReadThenSuccess_RetriesAndPublishes()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        aws.Iot.ThrottleNext();
        await using var function = new Function();

        var failures = await InvokeAsync(function, SqsEvents.Recorded);

        Assert.Empty(failures);
        Assert.Equal(2, aws.ShadowRequests(RecordedThing).Count);
        Assert.Single(aws.Sns.Published);
    }

    [Fact]
    public async Task HandleAsync_ForbiddenShadowRead_ReportsThatRecordForRedeliveryWithoutRequeueingIt()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        LambdaEnvironment.Set("MAX_CONCURRENCY", "1");
        aws.Iot.PutShadow("pump-1", connected: false, RecordedDisconnect);
        aws.Iot.PutShadow("pump-2", connected: false, RecordedDisconnect);
        aws.Iot.FailNext(new ScriptedFailure(403, "ForbiddenException", "User is not authorized to perform: iot:GetThingShadow"));
        var logs = new CapturingLoggerProvider();
        await using var function = Create(logs);

        var failures = await InvokeAsync(function, SqsEvents.Create(
            ("m-1", SqsEvents.RuleOutput("pump-1", RecordedDisconnect)),
            ("m-2", SqsEvents.RuleOutput("pump-2", RecordedDisconnect))));

        Assert.Equal(["m-1"], failures);
        Assert.Single(aws.ShadowRequests("pump-1"));
        Assert.Equal("pump-2", Assert.Single(aws.Sns.Published).Attributes["thing"]);
        Assert.Empty(aws.Sqs.Sent);
        Assert.Contains(logs.Entries, entry => entry.EventId == 4004 && entry.Message.Contains("m-1", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("ForbiddenException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_PublishRefusedThenRedelivered_PublishesOnTheRedelivery()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        aws.Sns.FailNext(new ScriptedFailure(403, "AuthorizationError", "User is not authorized to perform: SNS:Publish"));
        await using var function = new Function();

        var first = await InvokeAsync(function, SqsEvents.Recorded);
        var redelivery = await InvokeAsync(function, SqsEvents.Recorded);

        Assert.Equal([RecordedMessageId], first);
        Assert.Empty(redelivery);
        Assert.Single(aws.Sns.Published);
    }

    [Fact]
    public async Task HandleAsync_SameOutageTwiceInOneBatch_PublishesOnce()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        await using var function = new Function();
        var body = SqsEvents.RuleOutput(RecordedThing, RecordedDisconnect);

        var failures = await InvokeAsync(function, SqsEvents.Create(("m-1", body), ("m-2", body), ("m-3", body)));

        Assert.Empty(failures);
        Assert.Single(aws.Sns.Published);
    }

    [Fact]
    public async Task HandleAsync_FullBatchOfDifferentThings_HandlesEveryRecord()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        var records = Enumerable.Range(1, 10).Select(i => ($"m-{i}", SqsEvents.RuleOutput($"sensor-{i}", RecordedDisconnect))).ToArray();
        foreach (var i in Enumerable.Range(1, 10))
        {
            aws.Iot.PutShadow($"sensor-{i}", connected: i % 2 == 0, RecordedDisconnect);
        }

        await using var function = new Function();

        var failures = await InvokeAsync(function, SqsEvents.Create(records));

        Assert.Empty(failures);
        Assert.Equal(["sensor-1", "sensor-3", "sensor-5", "sensor-7", "sensor-9"], aws.Sns.Published.Select(message => message.Attributes["thing"]).Order());
    }

    [Fact]
    public async Task HandleAsync_NamedShadowTimeZoneAndCulture_ReadsThatShadowAndWritesLocalTime()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        LambdaEnvironment.Set("SHADOW_NAME", "connectivity");
        LambdaEnvironment.Set("TIME_ZONE", "Asia/Tokyo");
        LambdaEnvironment.Set("CULTURE", "ja-JP");
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect, shadowName: "connectivity");
        await using var function = new Function();

        var failures = await InvokeAsync(function, SqsEvents.Recorded);

        Assert.Empty(failures);
        Assert.Equal("name=connectivity", Assert.Single(aws.ShadowRequests(RecordedThing)).RawQuery);
        Assert.Contains("2026-01-01 09:10:00 +09:00", Assert.Single(aws.Sns.Published).Form["Message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_EmptyBatch_ReportsNoFailure()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        await using var function = new Function();

        Assert.Empty(await InvokeAsync(function, """{"Records":[]}"""));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"Records":{"messageId":"m-1"}}""")]
    [InlineData("""{"Records":[{"messageId":"m-1","body":"{}"},{"body":"{}"}]}""")]
    public async Task HandleAsync_InputIsNotAnSqsEvent_ThrowsSoLambdaRetriesTheBatch_AndTouchesNothing(string input)
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        await using var function = new Function();

        var error = await Assert.ThrowsAsync<SqsEventFormatException>(() => function.HandleAsync(SqsEvents.AsStream(input)));

        Assert.StartsWith("The input is not an SQS event", error.Message, StringComparison.Ordinal);
        Assert.Empty(aws.AllRequests);
    }

    [Theory]
    [InlineData("SNS_TOPIC_ARN", null)]
    [InlineData("SNS_TOPIC_ARN", "device-offline")]
    [InlineData("SQS_QUEUE_URL", null)]
    [InlineData("GRACE_PERIOD", "five minutes")]
    [InlineData("MAX_CONCURRENCY", "0")]
    [InlineData("AWS_ENDPOINT_URL_SNS", "sns.local")]
    public async Task Constructor_MissingOrInvalidVariable_ThrowsNamingIt(string variable, string? value)
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        LambdaEnvironment.Set(variable, value);

        var error = Assert.Throws<FunctionConfigurationException>(() => new Function());

        Assert.Equal(variable, error.Variable);
        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_UnknownTimeZone_FailsAtColdStartNamingTheOption()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        LambdaEnvironment.Set("TIME_ZONE", "Mars/Olympus_Mons");

        var error = Assert.Throws<FunctionConfigurationException>(() => new Function());

        Assert.Contains("TimeZone", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mars/Olympus_Mons", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_SeveralInvalidValues_NamesEveryOne()
    {
        await using var aws = await LambdaEnvironment.StartAsync();
        LambdaEnvironment.Set("TIME_ZONE", "Mars/Olympus_Mons");
        LambdaEnvironment.Set("SHADOW_NAME", "not a shadow name");
        LambdaEnvironment.Set("SQS_QUEUE_URL", aws.QueueUrl + ".fifo");

        var error = Assert.Throws<FunctionConfigurationException>(() => new Function());

        Assert.Contains("TimeZone", error.Message, StringComparison.Ordinal);
        Assert.Contains("ShadowName", error.Message, StringComparison.Ordinal);
        Assert.Contains("FIFO queue", error.Message, StringComparison.Ordinal);
        Assert.Empty(aws.AllRequests);
    }

    private static Function Create(CapturingLoggerProvider? logs = null, TimeProvider? clock = null)
        => new(FunctionSettings.FromEnvironment(), services =>
        {
            if (logs is not null)
            {
                services.AddLogging(logging => logging.AddProvider(logs));
            }

            if (clock is not null)
            {
                services.AddSingleton(clock);
            }
        });

    private static async Task<string[]> InvokeAsync(Function function, string sqsEvent)
    {
        using var document = JsonDocument.Parse(await ReadAsync(await function.HandleAsync(SqsEvents.AsStream(sqsEvent))));
        return [.. document.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(failure => failure.GetProperty("itemIdentifier").GetString()!)];
    }

    private static async Task<string> ReadAsync(Stream output)
    {
        await using (output)
        {
            using var reader = new StreamReader(output);
            return await reader.ReadToEndAsync();
        }
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());
}
