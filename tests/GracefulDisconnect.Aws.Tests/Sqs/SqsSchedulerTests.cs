using Amazon.Runtime;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Sqs;

public sealed class SqsSchedulerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    // Starts before the 2019 lifecycle samples; tests move it forward (a FakeTimeProvider cannot go back).
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2019, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private FakeSqs _fake = null!;
    private string _queueUrl = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeSqs.StartNewAsync(_time);
        _queueUrl = _fake.CreateQueue("gracefuldisconnect-rechecks");
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task FortyMinuteGrace_TheEngineSchedulesTheWake_ItHopsThroughTheQueue900Then900Then600Seconds_AndNotifiesOnceWhenDue()
    {
        _time.SetUtcNow(Start);
        var notifier = new RecordingNotifier();
        await using var provider = Build(handler: null, TimeSpan.FromMinutes(40), notifier: notifier);
        var poller = provider.GetRequiredService<SqsRecheckPoller>();
        var engine = provider.GetRequiredService<DeviceEngine>();

        await engine.RecordAsync([new ConnectionEvent("factory:pump-7", Connected: false, Start, Version: 3)]);
        Assert.Equal(0, (await poller.PollOnceAsync()).Received);
        _time.Advance(TimeSpan.FromSeconds(900));
        Assert.Equal(new SqsPollResult(1, 1, 0), await poller.PollOnceAsync());
        _time.Advance(TimeSpan.FromSeconds(900));
        Assert.Equal(new SqsPollResult(1, 1, 0), await poller.PollOnceAsync());
        _time.Advance(TimeSpan.FromSeconds(599));
        Assert.Equal(0, (await poller.PollOnceAsync()).Received);
        await engine.DeliverAsync();
        Assert.Empty(notifier.Sent);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new SqsPollResult(1, 1, 0), await poller.PollOnceAsync());
        await engine.DeliverAsync();

        Assert.Equal([900, 900, 600], _fake.Sent.Select(message => message.DelaySeconds));
        Assert.Equal("factory:pump-7@1767225600", Assert.Single(notifier.Sent).NotificationId);
        Assert.Equal(0, _fake.Remaining);
        Assert.Equal(3, _fake.Deleted.Count);
        Assert.All(_fake.Requests, request => Assert.True(request.Signature.Valid, request.Signature.Problem));
        Assert.All(_fake.Requests, request => Assert.Equal(("sqs", AwsTestHost.Region), (request.Signature.Service, request.Signature.Region)));
        Assert.Contains(_fake.Requests, request => request.Header("X-Amz-Target") == "AmazonSQS.SendMessage");
        Assert.Contains(_fake.Requests, request => request.Header("X-Amz-Target") == "AmazonSQS.ReceiveMessage");
        Assert.Contains(_fake.Requests, request => request.Header("X-Amz-Target") == "AmazonSQS.DeleteMessage");
    }

    [Fact]
    public async Task TheSameWakeDeliveredTwice_NotifiesOnce_AndAReconnectBeforeItIsDue_NotifiesNothing()
    {
        _time.SetUtcNow(Start);
        var notifier = new RecordingNotifier();
        await using var provider = Build(handler: null, TimeSpan.FromMinutes(5), notifier: notifier);
        var engine = provider.GetRequiredService<DeviceEngine>();
        await engine.RecordAsync([new ConnectionEvent("pump-7", false, Start), new ConnectionEvent("pump-8", false, Start)]);
        var wake = _fake.Sent.Select(message => message.Body).ToList();
        await engine.RecordAsync([new ConnectionEvent("pump-8", true, Start.AddMinutes(1))]);
        _time.SetUtcNow(Start.AddMinutes(5));

        // An SQS message may come twice (at-least-once): enqueue each wake again.
        foreach (var body in wake.Concat(wake))
        {
            _fake.Enqueue(_queueUrl, body);
        }

        while ((await provider.GetRequiredService<SqsRecheckPoller>().PollOnceAsync()).Received > 0)
        {
        }

        await engine.DeliverAsync();
        Assert.Equal(["pump-7@1767225600"], notifier.Sent.Select(notification => notification.NotificationId));
    }

    [Fact]
    public async Task ScheduleAsync_SendsTheTriggerAsSmallJson()
    {
        _time.SetUtcNow(Start);
        await using var provider = Build(new RecordingRecheckHandler(), TimeSpan.FromMinutes(5));

        await provider.GetRequiredService<IScheduler>().ScheduleAsync(new DisconnectTrigger("pump-7", Start.AddMilliseconds(451), 3), Start.AddMinutes(5));

        var sent = Assert.Single(_fake.Sent);
        Assert.Equal(300, sent.DelaySeconds);
        Assert.Equal("""{"thing":"pump-7","disconnectedAt":"2026-01-01T00:00:00.451Z","version":3,"dueAt":"2026-01-01T00:05:00.000Z"}""", sent.Body);
    }

    [Fact]
    public async Task HandleMessageAsync_RuleOutputDeliveredAfterTheGrace_RechecksAtOnce()
    {
        var handler = new RecordingRecheckHandler();
        await using var provider = Build(handler, TimeSpan.FromMinutes(5));
        _time.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(1_767_226_200).AddMinutes(5).AddSeconds(1));

        var result = await Consumer(provider).HandleMessageAsync(Payload.Read("rule-output.json"));

        Assert.Equal(SqsMessageAction.Rechecked, result.Action);
        Assert.Equal(new DisconnectTrigger("greenhouse-pi-3", DateTimeOffset.FromUnixTimeSeconds(1_767_226_200)), Assert.Single(handler.Calls));
        Assert.Empty(_fake.Sent);
    }

    [Fact]
    public async Task HandleMessageAsync_RuleOutputFromAFiveMinuteQueueWithFortyMinuteGrace_IsSentBackForTheRest()
    {
        var handler = new RecordingRecheckHandler();
        await using var provider = Build(handler, TimeSpan.FromMinutes(40));
        var disconnectedAt = DateTimeOffset.FromUnixTimeSeconds(1_767_226_200);
        _time.SetUtcNow(disconnectedAt.AddMinutes(5));

        var result = await Consumer(provider).HandleMessageAsync(Payload.Read("rule-output.json"));

        Assert.Equal(SqsMessageAction.Deferred, result.Action);
        Assert.Equal(disconnectedAt.AddMinutes(40), result.NextDeliveryAt);
        Assert.Empty(handler.Calls);
        var sent = Assert.Single(_fake.Sent);
        Assert.Equal(900, sent.DelaySeconds);
        Assert.Contains("\"dueAt\":\"2026-01-01T00:50:00.000Z\"", sent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleMessageAsync_LifecycleDisconnectSample_RechecksWithMillisecondsAndVersion()
    {
        var handler = new RecordingRecheckHandler();
        await using var provider = Build(handler, TimeSpan.FromMinutes(5));
        _time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(1_573_002_340_451).AddMinutes(6));

        await Consumer(provider).HandleMessageAsync(Payload.Read("lifecycle-disconnected.json"));

        Assert.Equal(new DisconnectTrigger("186b5", DateTimeOffset.FromUnixTimeMilliseconds(1_573_002_340_451), 0), Assert.Single(handler.Calls));
    }

    [Fact]
    public async Task HandleMessageAsync_LifecycleConnectSample_IsIgnored()
    {
        var handler = new RecordingRecheckHandler();
        await using var provider = Build(handler, TimeSpan.FromMinutes(5));

        var result = await Consumer(provider).HandleMessageAsync(Payload.Read("lifecycle-connected.json"));

        Assert.Equal(new SqsMessageResult(SqsMessageAction.Ignored), result);
        Assert.Empty(handler.Calls);
        Assert.Empty(_fake.Sent);
    }

    [Fact]
    public async Task HandleMessageAsync_LambdaSqsEventSample_HandlesEveryRecordBody()
    {
        var handler = new RecordingRecheckHandler();
        await using var provider = Build(handler, TimeSpan.FromMinutes(5));
        using var sqsEvent = System.Text.Json.JsonDocument.Parse(Payload.Read("sqs-event.json"));
        foreach (var record in sqsEvent.RootElement.GetProperty("Records").EnumerateArray())
        {
            var receivedAt = long.Parse(record.GetProperty("attributes").GetProperty("ApproximateFirstReceiveTimestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            _time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(receivedAt));

            var result = await Consumer(provider).HandleMessageAsync(record.GetProperty("body").GetString()!);

            Assert.Equal(SqsMessageAction.Rechecked, result.Action);
        }

        Assert.Equal("greenhouse-pi-3", Assert.Single(handler.Calls).ThingName);
    }

    [Fact]
    public async Task HandleMessageAsync_RecheckSaysWhenNext_TheConsumerSendsNothingBack_TheHandlerSchedulesItsOwnWakes()
    {
        var handler = new RecordingRecheckHandler(_ => new RecheckOutcome(RecheckResult.Failed, Start.AddMinutes(20).AddSeconds(60)));
        await using var provider = Build(handler, TimeSpan.FromMinutes(5));
        _time.SetUtcNow(Start.AddMinutes(20));

        var result = await Consumer(provider).HandleMessageAsync("""{"thing":"pump-7","disconnectedAt":"2026-01-01T00:00:00Z","dueAt":"2026-01-01T00:05:00Z"}""");

        Assert.Equal((SqsMessageAction.Rechecked, RecheckResult.Failed), (result.Action, result.Outcome!.Value.Result));
        Assert.Equal(Start.AddMinutes(21), result.NextDeliveryAt);
        Assert.Empty(_fake.Sent);
    }

    [Fact]
    public async Task HandleMessageAsync_ARawDisconnectTheEngineNeverSaw_IsRecordedAndNotified()
    {
        var notifier = new RecordingNotifier();
        await using var provider = Build(handler: null, TimeSpan.FromMinutes(5), notifier: notifier);
        _time.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(1_767_226_200).AddMinutes(5).AddSeconds(1));

        var result = await Consumer(provider).HandleMessageAsync(Payload.Read("rule-output.json"));
        await provider.GetRequiredService<DeviceEngine>().DeliverAsync();

        Assert.Equal(RecheckResult.Notified, result.Outcome!.Value.Result);
        Assert.Equal("greenhouse-pi-3@1767226200", Assert.Single(notifier.Sent).NotificationId);
    }

    [Theory]
    [InlineData("not json", null)]
    [InlineData("""{"thing":"pump-7","disconnectedAt":"yesterday","dueAt":"2026-01-01T00:05:00Z"}""", "disconnectedAt")]
    [InlineData("""{"disconnectedAt":"2026-01-01T00:00:00Z","dueAt":"2026-01-01T00:05:00Z"}""", "thing")]
    [InlineData("""{"thingName":"pump-7","connected":false}""", "timestamp")]
    [InlineData("""{"hello":"world"}""", null)]
    public async Task HandleMessageAsync_MalformedBody_ThrowsNamingTheField(string body, string? field)
    {
        await using var provider = Build(new RecordingRecheckHandler(), TimeSpan.FromMinutes(5));

        var error = await Assert.ThrowsAsync<ConnectionEventFormatException>(() => Consumer(provider).HandleMessageAsync(body).AsTask());

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public async Task PollOnceAsync_MalformedMessage_IsLeftOnTheQueueWhileTheRestAreHandled()
    {
        _time.SetUtcNow(Start);
        var handler = new RecordingRecheckHandler();
        await using var provider = Build(handler, TimeSpan.FromMinutes(5));
        _fake.Enqueue(_queueUrl, "{broken");
        _fake.Enqueue(_queueUrl, """{"thingName":"pump-7","connected":false,"timestamp":1767225000}""");

        var result = await provider.GetRequiredService<SqsRecheckPoller>().PollOnceAsync();

        Assert.Equal(new SqsPollResult(2, 1, 1), result);
        Assert.Single(handler.Calls);
        Assert.Equal(1, _fake.Remaining);
    }

    [Fact]
    public async Task AddSqsScheduler_FifoQueue_IsRefusedAtStartWithAClearMessage()
    {
        await using var provider = Build(new RecordingRecheckHandler(), TimeSpan.FromMinutes(5), options => options.QueueUrl = _queueUrl + ".fifo");

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("FIFO queue", error.Message, StringComparison.Ordinal);
        Assert.Contains("QueueUrl", error.Message, StringComparison.Ordinal);
    }

    private static SqsRecheckConsumer Consumer(IServiceProvider provider) => provider.GetRequiredService<SqsRecheckConsumer>();

    // With a handler, the consumer hands it the wakes; without one, the engine is the handler and decides from its own
    // record of events (no reader), notifying through the given notifier.
    private ServiceProvider Build(IRecheckHandler? handler, TimeSpan grace, Action<SqsSchedulerOptions>? configure = null, INotifier? notifier = null)
        => AwsTestHost.Build(
            builder =>
            {
                builder.Services.Configure<GracefulDisconnectOptions>(options => options.GracePeriod = grace);
                builder.UseLastKnownState().AddNotifier(notifier ?? new RecordingNotifier());
                builder.AddSqsScheduler(options =>
                {
                    options.QueueUrl = _queueUrl;
                    options.Endpoint = _fake.Endpoint.ToString();
                    options.Region = AwsTestHost.Region;
                    options.ReceiveWaitTime = TimeSpan.Zero;
                    options.Credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, TestAwsCredentials.SecretAccessKey, TestAwsCredentials.SessionToken);
                    configure?.Invoke(options);
                });
            },
            services =>
            {
                services.AddSingleton<TimeProvider>(_time);
                if (handler is not null)
                {
                    services.AddSingleton(handler);
                }
            });
}
