using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace GracefulDisconnect.Testing.Aws;

/// <summary>
/// A fake Amazon SNS speaking the query protocol: <c>Publish</c> to topics the test creates, with the real
/// service's checks (subject, size, FIFO ids) and XML answers (<c>PublishResponse</c>, <c>ErrorResponse</c>).
/// </summary>
public sealed class FakeSns : FakeAwsService
{
    private const string Namespace = "http://sns.amazonaws.com/doc/2010-03-31/";
    private readonly ConcurrentDictionary<string, byte> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ScriptedFailure> _failures = new();
    private readonly ConcurrentQueue<PublishedMessage> _published = new();

    private FakeSns()
        : base("sns")
    {
    }

    /// <summary>The messages accepted so far.</summary>
    public IReadOnlyList<PublishedMessage> Published => [.. _published];

    /// <summary>Starts a fake.</summary>
    /// <returns>The running fake.</returns>
    public static async Task<FakeSns> StartNewAsync()
    {
        var fake = new FakeSns();
        await fake.StartAsync();
        return fake;
    }

    /// <summary>Creates a topic and returns its ARN.</summary>
    /// <param name="name">The topic name (ending in <c>.fifo</c> for a FIFO topic).</param>
    /// <param name="region">The region in the ARN.</param>
    /// <returns>The ARN.</returns>
    public string CreateTopic(string name, string region = "ap-northeast-1")
    {
        var arn = $"arn:aws:sns:{region}:123456789012:{name}";
        _topics[arn] = 0;
        return arn;
    }

    /// <summary>Makes the next request fail with an SNS error (queued failures are used one per request).</summary>
    /// <param name="failure">The failure; <see cref="ScriptedFailure.Code"/> is the XML <c>Error/Code</c>.</param>
    public void FailNext(ScriptedFailure failure) => _failures.Enqueue(failure);

    /// <inheritdoc/>
    protected override async Task HandleValidAsync(HttpContext context, RecordedRequest request)
    {
        if (_failures.TryDequeue(out var failure))
        {
            await ErrorAsync(context, failure.Status, failure.Status >= 500 ? "Receiver" : "Sender", failure.Code, failure.Message, failure.RetryAfterSeconds);
            return;
        }

        var form = request.Form;
        if (request.Method != "POST" || request.RawPath != "/" || !(request.Header("Content-Type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) ?? false))
        {
            await ErrorAsync(context, 400, "Sender", "InvalidAction", "Expected POST / with a form body");
            return;
        }

        if (Value(form, "Action") != "Publish" || Value(form, "Version") != "2010-03-31")
        {
            await ErrorAsync(context, 400, "Sender", "InvalidAction", $"Unsupported action {Value(form, "Action")} version {Value(form, "Version")}");
            return;
        }

        var topic = Value(form, "TopicArn");
        if (topic is null || !_topics.ContainsKey(topic))
        {
            await ErrorAsync(context, 404, "Sender", "NotFound", "Topic does not exist");
            return;
        }

        if (Problem(form, topic) is { } problem)
        {
            await ErrorAsync(context, 400, "Sender", "InvalidParameter", problem);
            return;
        }

        var messageId = Guid.NewGuid().ToString();
        _published.Enqueue(new PublishedMessage(topic, messageId, form));
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync($"""
            <PublishResponse xmlns="{Namespace}">
              <PublishResult><MessageId>{messageId}</MessageId></PublishResult>
              <ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata>
            </PublishResponse>
            """);
    }

    /// <inheritdoc/>
    protected override Task RejectSignatureAsync(HttpContext context, string problem)
        => ErrorAsync(context, 403, "Sender", "SignatureDoesNotMatch", $"The request signature we calculated does not match the signature you provided. ({problem})");

    private static string? Problem(IReadOnlyDictionary<string, string> form, string topic)
    {
        var message = Value(form, "Message");
        if (string.IsNullOrEmpty(message))
        {
            return "Invalid parameter: Message";
        }

        if (Encoding.UTF8.GetByteCount(message) > 262_144)
        {
            return "Invalid parameter: Message too long";
        }

        if (Value(form, "Subject") is { } subject && (subject.Length >= 100 || subject.Length == 0 || subject.Any(char.IsControl)))
        {
            return "Invalid parameter: Subject";
        }

        if (topic.EndsWith(".fifo", StringComparison.Ordinal))
        {
            if (Value(form, "MessageGroupId") is not { Length: > 0 and <= 128 })
            {
                return "Invalid parameter: The MessageGroupId parameter is required for FIFO topics";
            }

            if (Value(form, "MessageDeduplicationId") is not { Length: > 0 and <= 128 })
            {
                return "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly";
            }
        }

        for (var i = 1; form.ContainsKey($"MessageAttributes.entry.{i}.Name"); i++)
        {
            if (Value(form, $"MessageAttributes.entry.{i}.Value.DataType") is not ("String" or "Number" or "Binary" or "String.Array"))
            {
                return $"Invalid parameter: MessageAttributes.entry.{i}.Value.DataType";
            }
        }

        return null;
    }

    private static string? Value(IReadOnlyDictionary<string, string> form, string name) => form.TryGetValue(name, out var value) ? value : null;

    private static Task ErrorAsync(HttpContext context, int status, string type, string code, string message, int? retryAfterSeconds = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return context.Response.WriteAsync($"""
            <ErrorResponse xmlns="{Namespace}">
              <Error><Type>{type}</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error>
              <RequestId>{Guid.NewGuid()}</RequestId>
            </ErrorResponse>
            """);
    }
}
