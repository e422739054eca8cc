using System.Net;
using System.Text;
using Amazon.Runtime;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Sns;

public sealed class SnsPublisherTests : IAsyncLifetime
{
    private static readonly DateTimeOffset OfflineSince = DateTimeOffset.FromUnixTimeSeconds(1_767_226_200);
    private FakeSns _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSns.StartNewAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task PublishAsync_StandardTopic_SendsSignedFormWithSubjectMessageAndAttributes()
    {
        var topic = _fake.CreateTopic("device-offline");
        await using var provider = Build(topic);

        var messageId = await Publisher(provider).PublishAsync(Notification("greenhouse-pi-3"));

        var published = Assert.Single(_fake.Published);
        Assert.Equal(published.MessageId, messageId);
        var request = Assert.Single(_fake.Requests);
        Assert.True(request.Signature.Valid, request.Signature.Problem);
        Assert.Equal(("sns", AwsTestHost.Region), (request.Signature.Service, request.Signature.Region));
        Assert.Equal(TestAwsCredentials.SessionToken, request.Header("X-Amz-Security-Token"));
        Assert.Equal(("POST", "/"), (request.Method, request.RawTarget));
        var form = request.Form;
        Assert.Equal("Publish", form["Action"]);
        Assert.Equal("2010-03-31", form["Version"]);
        Assert.Equal(topic, form["TopicArn"]);
        Assert.Equal("greenhouse-pi-3 is offline", form["Subject"]);
        Assert.Equal("greenhouse-pi-3 has been offline since 2026-01-01 00:10:00 +00:00.", form["Message"]);
        Assert.Equal(
            new Dictionary<string, string> { ["thing"] = "greenhouse-pi-3", ["verdict"] = "notify", ["offlineSince"] = "2026-01-01T00:10:00.000Z" },
            published.Attributes);
        Assert.Equal("String", form["MessageAttributes.entry.1.Value.DataType"]);
        Assert.DoesNotContain("MessageGroupId", form.Keys);
        Assert.DoesNotContain("MessageDeduplicationId", form.Keys);
    }

    [Fact]
    public async Task PublishAsync_FifoTopic_GroupsByThingAndDeduplicatesByOutage()
    {
        var topic = _fake.CreateTopic("device-offline.fifo");
        await using var provider = Build(topic);
        var notification = Notification("factory:pump-7");

        await Publisher(provider).PublishAsync(notification);
        await Publisher(provider).PublishAsync(notification with { DecidedAt = notification.DecidedAt.AddMinutes(1) });

        Assert.Equal(2, _fake.Published.Count);
        Assert.All(_fake.Published, message => Assert.Equal("factory:pump-7", message.Form["MessageGroupId"]));
        Assert.All(_fake.Published, message => Assert.Equal(notification.OutageId, message.Form["MessageDeduplicationId"]));
    }

    [Fact]
    public async Task PublishAsync_FifoTopicWithLongThingName_HashesTheDeduplicationIdToAValidStableOne()
    {
        var topic = _fake.CreateTopic("device-offline.fifo");
        await using var provider = Build(topic);
        var thing = new string('t', 128);

        await Publisher(provider).PublishAsync(Notification(thing));
        await Publisher(provider).PublishAsync(Notification(thing));

        var ids = _fake.Published.Select(message => message.Form["MessageDeduplicationId"]).ToList();
        Assert.Equal(ids[0], ids[1]);
        Assert.Matches("^[0-9a-f]{64}$", ids[0]);
        Assert.Equal(thing, _fake.Published[0].Form["MessageGroupId"]);
    }

    [Fact]
    public async Task PublishAsync_SubjectWithLineBreaksAndTooLong_IsSanitisedBeforeSending()
    {
        var topic = _fake.CreateTopic("device-offline");
        await using var provider = Build(topic);
        var subject = "pump-7\r\nis\toffline " + new string('x', 200);

        await Publisher(provider).PublishAsync(Notification("pump-7") with { Subject = subject });

        var sent = Assert.Single(_fake.Published).Form["Subject"];
        Assert.True(sent.Length < 100, sent);
        Assert.StartsWith("pump-7 is offline xxx", sent, StringComparison.Ordinal);
        Assert.DoesNotContain(sent, char.IsControl);
    }

    [Fact]
    public async Task PublishAsync_MessageOver256KiB_IsTruncatedWithAMarker()
    {
        var topic = _fake.CreateTopic("device-offline");
        await using var provider = Build(topic);
        var message = string.Concat(Enumerable.Repeat("オフライン ", 40_000));

        await Publisher(provider).PublishAsync(Notification("pump-7") with { Message = message });

        var sent = Assert.Single(_fake.Published).Form["Message"];
        Assert.InRange(Encoding.UTF8.GetByteCount(sent), 200_000, 256 * 1024);
        Assert.EndsWith(SnsMessageText.TruncationMarker, sent, StringComparison.Ordinal);
        Assert.StartsWith("オフライン オフライン", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_ErrorResponse_ThrowsWithCodeAndMessageAfterOneRequest()
    {
        var topic = _fake.CreateTopic("device-offline");
        _fake.FailNext(new ScriptedFailure(400, "InvalidParameter", "Invalid parameter: TopicArn"));
        await using var provider = Build(topic);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Publisher(provider).PublishAsync(Notification("pump-7")).AsTask());

        Assert.Single(_fake.Requests);
        Assert.Equal(("Publish", HttpStatusCode.BadRequest, "InvalidParameter", "Invalid parameter: TopicArn"), (error.Operation, error.StatusCode, error.ErrorCode, error.ServiceMessage));
        Assert.Contains(topic, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestAwsCredentials.SecretAccessKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_UnknownTopic_ThrowsNotFound()
    {
        await using var provider = Build("arn:aws:sns:ap-northeast-1:123456789012:nobody-made-this");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Publisher(provider).PublishAsync(Notification("pump-7")).AsTask());

        Assert.Equal("NotFound", error.ErrorCode);
    }

    [Theory]
    [InlineData(400, "Throttling")]
    [InlineData(429, "ThrottlingException")]
    [InlineData(500, "InternalError")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task PublishAsync_ThrottledOrServerError_RetriesThenPublishesOnce(int status, string code)
    {
        var topic = _fake.CreateTopic("device-offline");
        _fake.FailNext(new ScriptedFailure(status, code, "Rate exceeded"));
        _fake.FailNext(new ScriptedFailure(status, code, "Rate exceeded"));
        await using var provider = Build(topic);

        await Publisher(provider).PublishAsync(Notification("pump-7"));

        Assert.Equal(3, _fake.Requests.Count);
        Assert.All(_fake.Requests, request => Assert.True(request.Signature.Valid, request.Signature.Problem));
        Assert.Single(_fake.Published);
    }

    [Fact]
    public async Task PublishAsync_SampleResponses_AreParsed()
    {
        Assert.Equal("94f20ce6-13c5-43a0-9a9e-ca52d816e90b", SnsXml.MessageId(Payload.Read("sns-publish-response.xml")));
        Assert.Equal(("Sender", "InvalidParameter", "Invalid parameter: TopicArn", "0e2b6d2e-8f31-5b2f-9a61-1c5f0b0e2c1a"), SnsXml.Error(Payload.Read("sns-error-response.xml")));
        Assert.Null(SnsXml.MessageId("<html>not xml"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task NotifyAsync_ThroughTheEngine_PublishesToTheTopic()
    {
        var topic = _fake.CreateTopic("device-offline");
        await using var provider = Build(topic);
        var notifier = Assert.Single(provider.GetServices<INotifier>());

        await notifier.NotifyAsync(Notification("pump-7"));

        Assert.Equal("pump-7", Assert.Single(_fake.Published).Attributes["thing"]);
    }

    [Fact]
    public async Task PublishAsync_NoRegionOption_SignsForTheTopicsRegion()
    {
        var topic = _fake.CreateTopic("device-offline", region: "eu-west-1");
        await using var provider = Build(topic, options => options.Region = null);

        await Publisher(provider).PublishAsync(Notification("pump-7"));

        Assert.Equal("eu-west-1", Assert.Single(_fake.Requests).Signature.Region);
    }

    private static DeviceNotification Notification(string thing)
    {
        var outage = new OutageId(thing, OfflineSince).ToString();
        return new DeviceNotification(thing, OfflineSince, OfflineSince.AddMinutes(5), TimeSpan.FromMinutes(5), outage, $"{thing} is offline", $"{thing} has been offline since 2026-01-01 00:10:00 +00:00.");
    }

    private static ISnsPublisher Publisher(IServiceProvider provider) => provider.GetRequiredService<ISnsPublisher>();

    private ServiceProvider Build(string topicArn, Action<SnsNotifierOptions>? configure = null)
        => AwsTestHost.Build(builder => builder.AddSnsNotifier(options =>
        {
            options.TopicArn = topicArn;
            options.Endpoint = _fake.Endpoint.ToString();
            options.Region = AwsTestHost.Region;
            options.Credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, TestAwsCredentials.SecretAccessKey, TestAwsCredentials.SessionToken);
            AwsTestHost.FastRetries(options);
            configure?.Invoke(options);
        }));
}
