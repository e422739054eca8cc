using System.Text.Json;
using GracefulDisconnect.Testing.Aws;
using GracefulDisconnect.Testing.DynamoDb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>
/// The handler end to end: recorded SQS events and scheduled events in, partial batch responses out, AWS played by
/// loopback fakes that verify SigV4 and by dynalite (a table created from template.yaml's declaration). Two
/// <see cref="Function"/> instances on one table are two execution environments.
/// </summary>
[Collection(LambdaEnvironmentGroup.Name)]
public sealed class FunctionTests(DynaliteServer dynalite)
{
    // The recorded event's rule output: greenhouse-pi-3 went offline at 2026-01-01T00:10:00Z.
    private const string RecordedThing = "greenhouse-pi-3";
    private const string RecordedMessageId = "059f36b4-87a3-44ab-83d2-661975830a7d";
    private static readonly DateTimeOffset RecordedDisconnect = DateTimeOffset.FromUnixTimeSeconds(1_767_226_200);

    // When the delay queue hands the recorded disconnect over: its grace (5 minutes) has just passed.
    private static readonly DateTimeOffset RecordedArrival = RecordedDisconnect.AddMinutes(5).AddSeconds(2);

    private const string ScheduledEvent = """{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-01-01T00:20:00Z","region":"ap-northeast-1","resources":["arn:aws:events:ap-northeast-1:123456789012:rule/sweep"],"detail":{}}""";

    [Fact]
    public async Task HandleAsync_RecordedEventForAThingStillOffline_PublishesOnceAndReportsNoFailure()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        await using var function = Create(clock: new FrozenClock(RecordedArrival));

        var response = await ReadAsync(await function.HandleAsync(SqsEvents.AsStream(SqsEvents.Recorded)));

        Assert.Equal("""{"batchItemFailures":[]}""", response);
        var message = Assert.Single(aws.Sns.Published);
        Assert.Equal(aws.TopicArn, message.TopicArn);
        Assert.Equal(RecordedThing, message.Attributes["thing"]);
        Assert.Equal("notify", message.Attributes["verdict"]);
        Assert.Contains("greenhouse-pi-3 has been offline since 2026-01-01 00:10:00", message.Form["Message"], StringComparison.Ordinal);
        Assert.Single(aws.ShadowRequests(RecordedThing));
        Assert.All(aws.AllRequests, request =>
        {
            Assert.True(request.Signature.Valid, request.Signature.Problem);
            Assert.Equal((TestAwsCredentials.AccessKeyId, LambdaEnvironment.Region), (request.Signature.AccessKeyId, request.Signature.Region));
            Assert.Equal(TestAwsCredentials.SessionToken, request.Header("X-Amz-Security-Token"));
        });
    }

    [Fact]
    public async Task HandleAsync_SameRecordInTwoEnvironmentsAtOnce_PublishesOnce()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        await using var first = Create(clock: new FrozenClock(RecordedArrival));
        await using var second = Create(clock: new FrozenClock(RecordedArrival));

        var failures = await Task.WhenAll(InvokeAsync(first, SqsEvents.Recorded), InvokeAsync(second, SqsEvents.Recorded));

        Assert.All(failures, Assert.Empty);
        Assert.Equal("notify", Assert.Single(aws.Sns.Published).Attributes["verdict"]);
    }

    [Fact]
    public async Task HandleAsync_SameRecordRedeliveredToAnotherEnvironmentLater_PublishesOnce()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        await using var first = Create(clock: new FrozenClock(RecordedArrival));
        await using var second = Create(clock: new FrozenClock(RecordedArrival.AddMinutes(6)));

        Assert.Empty(await InvokeAsync(first, SqsEvents.Recorded));
        Assert.Empty(await InvokeAsync(second, SqsEvents.Recorded));

        Assert.Single(aws.Sns.Published);
    }

    [Fact]
    public async Task HandleAsync_BlipInOneBatch_PublishesNothingAndReadsNoShadow()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        aws.Iot.PutShadow("pump-1", connected: true, RecordedDisconnect.AddSeconds(20));
        await using var function = Create(clock: new FrozenClock(RecordedArrival.AddSeconds(20)));

        var failures = await InvokeAsync(function, SqsEvents.Create(
            ("m-1", SqsEvents.RuleOutput("pump-1", RecordedDisconnect)),
            ("m-2", SqsEvents.RuleOutput("pump-1", RecordedDisconnect.AddSeconds(20), connected: true))));

        Assert.Empty(failures);
        Assert.Empty(aws.Sns.Published);
        Assert.Empty(aws.ShadowRequests("pump-1"));
    }

    [Fact]
    public async Task HandleAsync_BlipInTwoBatches_ShadowConnected_PublishesNothing()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        aws.Iot.PutShadow("pump-1", connected: true, RecordedDisconnect.AddSeconds(20));
        await using var first = Create(clock: new FrozenClock(RecordedArrival));
        await using var second = Create(clock: new FrozenClock(RecordedArrival.AddSeconds(20)));

        Assert.Empty(await InvokeAsync(first, SqsEvents.Create(("m-1", SqsEvents.RuleOutput("pump-1", RecordedDisconnect)))));
        Assert.Empty(await InvokeAsync(second, SqsEvents.Create(("m-2", SqsEvents.RuleOutput("pump-1", RecordedDisconnect.AddSeconds(20), connected: true)))));

        Assert.Single(aws.ShadowRequests("pump-1"));
        Assert.Empty(aws.Sns.Published);
    }

    [Fact]
    public async Task HandleAsync_NotifyRecovery_ConnectOfANotifiedDeviceInTwoEnvironments_PublishesOneRecovery()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        LambdaEnvironment.Set("NOTIFY_RECOVERY", "true");
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        await using (var notifying = Create(clock: new FrozenClock(RecordedArrival)))
        {
            Assert.Empty(await InvokeAsync(notifying, SqsEvents.Recorded));
        }

        var backAt = RecordedDisconnect.AddMinutes(30);
        aws.Iot.PutShadow(RecordedThing, connected: true, backAt);
        var connect = SqsEvents.Create(("m-back", SqsEvents.RuleOutput(RecordedThing, backAt, connected: true)));
        await using var first = Create(clock: new FrozenClock(backAt.AddMinutes(5)));
        await using var second = Create(clock: new FrozenClock(backAt.AddMinutes(5)));

        var failures = await Task.WhenAll(InvokeAsync(first, connect), InvokeAsync(second, connect));

        Assert.All(failures, Assert.Empty);
        Assert.Equal(["notify", "recovered"], aws.Sns.Published.Select(message => message.Attributes["verdict"]));
        Assert.Contains("back online", aws.Sns.Published[1].Form["Message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WithoutNotifyRecovery_ConnectOfANotifiedDevice_PublishesNothingMore()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        await using var function = Create(clock: new FrozenClock(RecordedArrival));
        Assert.Empty(await InvokeAsync(function, SqsEvents.Recorded));

        Assert.Empty(await InvokeAsync(function, SqsEvents.Create(("m-back", SqsEvents.RuleOutput(RecordedThing, RecordedDisconnect.AddMinutes(30), connected: true)))));

        Assert.Equal("notify", Assert.Single(aws.Sns.Published).Attributes["verdict"]);
    }

    [Fact]
    public async Task HandleAsync_GraceLongerThanTheQueueDelay_NothingOnArrival_TheSweepAfterDuePublishesOnce()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite, gracePeriod: "20m");
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        await using var arrival = Create(clock: new FrozenClock(RecordedDisconnect.AddSeconds(901)));
        await using var earlySweep = Create(clock: new FrozenClock(RecordedDisconnect.AddMinutes(19)));
        await using var sweep = Create(clock: new FrozenClock(RecordedDisconnect.AddMinutes(20).AddSeconds(30)));

        Assert.Empty(await InvokeAsync(arrival, SqsEvents.Recorded));
        Assert.Equal("""{"rechecked":0,"delivered":0}""", await ReadAsync(await earlySweep.HandleAsync(SqsEvents.AsStream(ScheduledEvent))));
        Assert.Empty(aws.ShadowRequests(RecordedThing));
        Assert.Empty(aws.Sns.Published);

        var response = await ReadAsync(await sweep.HandleAsync(SqsEvents.AsStream(ScheduledEvent)));

        Assert.Equal("""{"rechecked":1,"delivered":1}""", response);
        Assert.Equal("notify", Assert.Single(aws.Sns.Published).Attributes["verdict"]);
        Assert.Equal("""{"rechecked":0,"delivered":0}""", await ReadAsync(await sweep.HandleAsync(SqsEvents.AsStream(ScheduledEvent))));
        Assert.Single(aws.Sns.Published);
    }

    [Fact]
    public async Task HandleAsync_TableMissing_ReportsEveryRecordPublishesNothingAndLogsOneClearLine()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite, createTable: false);
        aws.Iot.PutShadow("pump-1", connected: false, RecordedDisconnect);
        var logs = new CapturingLoggerProvider();
        await using var function = Create(logs, new FrozenClock(RecordedArrival));

        var failures = await InvokeAsync(function, SqsEvents.Create(
            ("m-1", SqsEvents.RuleOutput("pump-1", RecordedDisconnect)),
            ("m-2", SqsEvents.RuleOutput("pump-2", RecordedDisconnect)),
            ("m-3", "{broken")));

        Assert.Equal(["m-3", "m-1", "m-2"], failures);
        Assert.Empty(aws.Sns.Published);
        Assert.Empty(aws.AllRequests);
        var line = Assert.Single(logs.Entries, entry => entry.EventId == 4004);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains(aws.StateTable, line.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", line.Message, StringComparison.Ordinal);
        // The capturing logger appends " | " and the exception's message when an entry carries an exception (whose
        // stack trace the function's JSON lines would print): the user's lines carry none.
        Assert.All(logs.Entries.Where(entry => entry.Level >= LogLevel.Information), entry => Assert.DoesNotContain(" | ", entry.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_ThingThatReconnected_PublishesNothing()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        aws.Iot.PutShadow(RecordedThing, connected: true, RecordedDisconnect.AddSeconds(40));
        await using var function = Create(clock: new FrozenClock(RecordedArrival));

        var failures = await InvokeAsync(function, SqsEvents.Recorded);

        Assert.Empty(failures);
        Assert.Single(aws.ShadowRequests(RecordedThing));
        Assert.Empty(aws.Sns.Published);
    }

    [Fact]
    public async Task HandleAsync_MalformedRecordAmongGoodOnes_ReportsExactlyItsMessageIdAndProcessesTheOthers()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        aws.Iot.PutShadow("pump-1", connected: false, RecordedDisconnect);
        aws.Iot.PutShadow("pump-3", connected: true, RecordedDisconnect.AddMinutes(1));
        var logs = new CapturingLoggerProvider();
        await using var function = Create(logs, new FrozenClock(RecordedArrival));

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

    [Fact]
    public async Task HandleAsync_ThrottledShadowReadThenSuccess_RetriesAndPublishes()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        aws.Iot.ThrottleNext();
        await using var function = Create(clock: new FrozenClock(RecordedArrival));

        var failures = await InvokeAsync(function, SqsEvents.Recorded);

        Assert.Empty(failures);
        Assert.Equal(2, aws.ShadowRequests(RecordedThing).Count);
        Assert.Single(aws.Sns.Published);
    }

    [Fact]
    public async Task HandleAsync_ForbiddenShadowRead_AcknowledgesTheRecord_AndTheSweepRechecksItLater()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        LambdaEnvironment.Set("MAX_CONCURRENCY", "1");
        aws.Iot.PutShadow("pump-1", connected: false, RecordedDisconnect);
        aws.Iot.FailNext(new ScriptedFailure(403, "ForbiddenException", "User is not authorized to perform: iot:GetThingShadow"));
        var logs = new CapturingLoggerProvider();
        await using var function = Create(logs, new FrozenClock(RecordedArrival));
        await using var sweep = Create(clock: new FrozenClock(RecordedArrival.AddMinutes(2)));

        var failures = await InvokeAsync(function, SqsEvents.Create(("m-1", SqsEvents.RuleOutput("pump-1", RecordedDisconnect))));

        Assert.Empty(failures);
        Assert.Empty(aws.Sns.Published);
        Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("ForbiddenException", StringComparison.Ordinal));

        await sweep.HandleAsync(SqsEvents.AsStream(ScheduledEvent));

        Assert.Equal(2, aws.ShadowRequests("pump-1").Count);
        Assert.Equal("pump-1", Assert.Single(aws.Sns.Published).Attributes["thing"]);
    }

    [Fact]
    public async Task HandleAsync_PublishRefused_AcknowledgesTheRecord_AndTheSweepPublishesLaterOnce()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        aws.Sns.FailNext(new ScriptedFailure(403, "AuthorizationError", "User is not authorized to perform: SNS:Publish"));
        await using var function = Create(clock: new FrozenClock(RecordedArrival));
        await using var sweep = Create(clock: new FrozenClock(RecordedArrival.AddMinutes(2)));

        var first = await InvokeAsync(function, SqsEvents.Recorded);
        Assert.Empty(aws.Sns.Published);
        await sweep.HandleAsync(SqsEvents.AsStream(ScheduledEvent));
        await sweep.HandleAsync(SqsEvents.AsStream(ScheduledEvent));

        Assert.Empty(first);
        Assert.Single(aws.Sns.Published);
        Assert.Single(aws.ShadowRequests(RecordedThing));
    }

    [Fact]
    public async Task HandleAsync_SameOutageTwiceInOneBatch_PublishesOnce()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect);
        await using var function = Create(clock: new FrozenClock(RecordedArrival));
        var body = SqsEvents.RuleOutput(RecordedThing, RecordedDisconnect);

        var failures = await InvokeAsync(function, SqsEvents.Create(("m-1", body), ("m-2", body), ("m-3", body)));

        Assert.Empty(failures);
        Assert.Single(aws.Sns.Published);
    }

    [Fact]
    public async Task HandleAsync_FullBatchOfDifferentThings_HandlesEveryRecord()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        var records = Enumerable.Range(1, 10).Select(i => ($"m-{i}", SqsEvents.RuleOutput($"sensor-{i}", RecordedDisconnect))).ToArray();
        foreach (var i in Enumerable.Range(1, 10))
        {
            aws.Iot.PutShadow($"sensor-{i}", connected: i % 2 == 0, RecordedDisconnect.AddSeconds(i % 2 == 0 ? 30 : 0));
        }

        await using var function = Create(clock: new FrozenClock(RecordedArrival));

        var failures = await InvokeAsync(function, SqsEvents.Create(records));

        Assert.Empty(failures);
        Assert.Equal(["sensor-1", "sensor-3", "sensor-5", "sensor-7", "sensor-9"], aws.Sns.Published.Select(message => message.Attributes["thing"]).Order());
    }

    [Fact]
    public async Task HandleAsync_NamedShadowTimeZoneAndCulture_ReadsThatShadowAndWritesLocalTime()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        LambdaEnvironment.Set("SHADOW_NAME", "connectivity");
        LambdaEnvironment.Set("TIME_ZONE", "Asia/Tokyo");
        LambdaEnvironment.Set("CULTURE", "ja-JP");
        aws.Iot.PutShadow(RecordedThing, connected: false, RecordedDisconnect, shadowName: "connectivity");
        await using var function = Create(clock: new FrozenClock(RecordedArrival));

        var failures = await InvokeAsync(function, SqsEvents.Recorded);

        Assert.Empty(failures);
        Assert.Equal("name=connectivity", Assert.Single(aws.ShadowRequests(RecordedThing)).RawQuery);
        Assert.Contains("2026-01-01 09:10:00 +09:00", Assert.Single(aws.Sns.Published).Form["Message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_EmptyBatch_ReportsNoFailure()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        await using var function = new Function();

        Assert.Empty(await InvokeAsync(function, """{"Records":[]}"""));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"source":"aws.events","detail-type":"Object Created"}""")]
    [InlineData("""{"Records":{"messageId":"m-1"}}""")]
    [InlineData("""{"Records":[{"messageId":"m-1","body":"{}"},{"body":"{}"}]}""")]
    public async Task HandleAsync_InputIsNeitherAnSqsNorAScheduledEvent_ThrowsSoLambdaRetries_AndTouchesNothing(string input)
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        await using var function = new Function();

        var error = await Assert.ThrowsAsync<SqsEventFormatException>(() => function.HandleAsync(SqsEvents.AsStream(input)));

        Assert.StartsWith("The input is not an SQS event", error.Message, StringComparison.Ordinal);
        Assert.Empty(aws.AllRequests);
    }

    [Theory]
    [InlineData("SNS_TOPIC_ARN", null)]
    [InlineData("SNS_TOPIC_ARN", "device-offline")]
    [InlineData("STATE_TABLE", null)]
    [InlineData("STATE_TABLE", "a table")]
    [InlineData("NOTIFY_RECOVERY", "maybe")]
    [InlineData("REMIND_EVERY", "10s")]
    [InlineData("MAX_REMINDERS", "3")]
    [InlineData("GRACE_PERIOD", "five minutes")]
    [InlineData("MAX_CONCURRENCY", "0")]
    [InlineData("AWS_ENDPOINT_URL_SNS", "sns.local")]
    [InlineData("AWS_ENDPOINT_URL_DYNAMODB", "dynamodb.local")]
    public async Task Constructor_MissingOrInvalidVariable_ThrowsNamingIt(string variable, string? value)
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite, createTable: false);
        LambdaEnvironment.Set(variable, value);

        var error = Assert.Throws<FunctionConfigurationException>(() => new Function());

        Assert.Equal(variable, error.Variable);
        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_UnknownTimeZone_FailsAtColdStartNamingTheOption()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite, createTable: false);
        LambdaEnvironment.Set("TIME_ZONE", "Mars/Olympus_Mons");

        var error = Assert.Throws<FunctionConfigurationException>(() => new Function());

        Assert.Contains("TimeZone", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mars/Olympus_Mons", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_SeveralInvalidValues_NamesEveryOne()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite, createTable: false);
        LambdaEnvironment.Set("TIME_ZONE", "Mars/Olympus_Mons");
        LambdaEnvironment.Set("SHADOW_NAME", "not a shadow name");
        LambdaEnvironment.Set("SNS_TOPIC_ARN", "arn:aws:sqs:ap-northeast-1:123456789012:device-offline");

        var error = Assert.Throws<FunctionConfigurationException>(() => new Function());

        Assert.Contains("TimeZone", error.Message, StringComparison.Ordinal);
        Assert.Contains("ShadowName", error.Message, StringComparison.Ordinal);
        Assert.Contains("TopicArn", error.Message, StringComparison.Ordinal);
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
}
