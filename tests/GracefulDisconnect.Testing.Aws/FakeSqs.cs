using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace GracefulDisconnect.Testing.Aws;

/// <summary>
/// A fake Amazon SQS speaking the AWS JSON 1.0 protocol (<c>X-Amz-Target: AmazonSQS.*</c>) as AWSSDK.SQS 4
/// does: <c>SendMessage</c> (with <c>DelaySeconds</c> 0-900), <c>ReceiveMessage</c> (honouring delays and the
/// visibility timeout on the fake's clock) and <c>DeleteMessage</c>. Its clock is a <see cref="TimeProvider"/>,
/// so a test with a fake clock can walk through 15-minute delays instantly.
/// </summary>
public sealed class FakeSqs : FakeAwsService
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly HashSet<string> _queues = new(StringComparer.Ordinal);
    private readonly List<StoredMessage> _messages = [];
    private readonly List<SentMessage> _sent = [];
    private readonly List<string> _deleted = [];

    private FakeSqs(TimeProvider time)
        : base("sqs") => _time = time;

    /// <summary>Every accepted <c>SendMessage</c>, in order.</summary>
    public IReadOnlyList<SentMessage> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>Message ids deleted so far.</summary>
    public IReadOnlyList<string> Deleted
    {
        get
        {
            lock (_gate)
            {
                return [.. _deleted];
            }
        }
    }

    /// <summary>Messages still on the queue (delayed, visible or in flight).</summary>
    public int Remaining
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    /// <summary>Starts a fake.</summary>
    /// <param name="time">The queue's clock; the system clock by default.</param>
    /// <returns>The running fake.</returns>
    public static async Task<FakeSqs> StartNewAsync(TimeProvider? time = null)
    {
        var fake = new FakeSqs(time ?? TimeProvider.System);
        await fake.StartAsync();
        return fake;
    }

    /// <summary>Creates a queue and returns its URL.</summary>
    /// <param name="name">The queue name.</param>
    /// <returns>The queue URL.</returns>
    public string CreateQueue(string name)
    {
        var url = $"{Endpoint.AbsoluteUri.TrimEnd('/')}/123456789012/{name}";
        lock (_gate)
        {
            _queues.Add(url);
        }

        return url;
    }

    /// <summary>Puts a message on a queue directly, as an IoT rule action would.</summary>
    /// <param name="queueUrl">The queue.</param>
    /// <param name="body">The body.</param>
    /// <param name="delaySeconds">The delay.</param>
    /// <returns>The message id.</returns>
    public string Enqueue(string queueUrl, string body, int delaySeconds = 0)
    {
        lock (_gate)
        {
            var message = new StoredMessage(queueUrl, Guid.NewGuid().ToString(), body) { VisibleAt = _time.GetUtcNow().AddSeconds(delaySeconds) };
            _messages.Add(message);
            return message.Id;
        }
    }

    /// <inheritdoc/>
    protected override async Task HandleValidAsync(HttpContext context, RecordedRequest request)
    {
        var target = request.Header("X-Amz-Target");
        if (request.Method != "POST" || !(request.Header("Content-Type")?.StartsWith("application/x-amz-json-1.0", StringComparison.Ordinal) ?? false) || target is null)
        {
            await ErrorAsync(context, 400, "InvalidAction", "Expected an AWS JSON 1.0 request with X-Amz-Target");
            return;
        }

        JsonObject input;
        try
        {
            input = JsonNode.Parse(request.Body)?.AsObject() ?? new JsonObject();
        }
        catch (JsonException)
        {
            await ErrorAsync(context, 400, "MalformedQueryString", "Body is not JSON");
            return;
        }

        var queueUrl = (string?)input["QueueUrl"];
        bool known;
        lock (_gate)
        {
            known = queueUrl is not null && _queues.Contains(queueUrl);
        }

        if (!known)
        {
            await ErrorAsync(context, 400, "QueueDoesNotExist", "The specified queue does not exist.");
            return;
        }

        (int Status, JsonObject Body) output = target switch
        {
            "AmazonSQS.SendMessage" => Send(queueUrl!, input),
            "AmazonSQS.ReceiveMessage" => Receive(queueUrl!, input),
            "AmazonSQS.DeleteMessage" => Delete(queueUrl!, input),
            _ => (400, new JsonObject { ["__type"] = "com.amazonaws.sqs#InvalidAction", ["message"] = $"Unsupported {target}" }),
        };
        context.Response.StatusCode = output.Status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        if (output.Status != 200)
        {
            var code = ((string)output.Body["__type"]!).Split('#')[^1];
            context.Response.Headers["x-amzn-query-error"] = $"{code};Sender";
        }

        await context.Response.WriteAsync(output.Body.ToJsonString());
    }

    /// <inheritdoc/>
    protected override Task RejectSignatureAsync(HttpContext context, string problem)
        => ErrorAsync(context, 403, "SignatureDoesNotMatch", $"The request signature we calculated does not match the signature you provided. ({problem})");

    private (int Status, JsonObject Body) Send(string queueUrl, JsonObject input)
    {
        var body = (string?)input["MessageBody"];
        var delay = (int?)input["DelaySeconds"] ?? 0;
        if (string.IsNullOrEmpty(body) || delay is < 0 or > 900)
        {
            return (400, new JsonObject { ["__type"] = "com.amazonaws.sqs#InvalidParameterValue", ["message"] = $"Value {delay} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900." });
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var message = new StoredMessage(queueUrl, Guid.NewGuid().ToString(), body) { VisibleAt = now.AddSeconds(delay) };
            _messages.Add(message);
            _sent.Add(new SentMessage(queueUrl, message.Id, body, delay, now));
            return (200, new JsonObject { ["MessageId"] = message.Id, ["MD5OfMessageBody"] = Md5(body) });
        }
    }

    private (int Status, JsonObject Body) Receive(string queueUrl, JsonObject input)
    {
        var max = (int?)input["MaxNumberOfMessages"] ?? 1;
        var visibility = (int?)input["VisibilityTimeout"] ?? 30;
        var messages = new JsonArray();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var message in _messages.Where(message => message.QueueUrl == queueUrl && message.VisibleAt <= now).Take(max))
            {
                message.VisibleAt = now.AddSeconds(visibility);
                message.ReceiptHandle = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
                message.ReceiveCount++;
                messages.Add(new JsonObject
                {
                    ["MessageId"] = message.Id,
                    ["ReceiptHandle"] = message.ReceiptHandle,
                    ["MD5OfBody"] = Md5(message.Body),
                    ["Body"] = message.Body,
                    ["Attributes"] = new JsonObject { ["ApproximateReceiveCount"] = message.ReceiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                });
            }
        }

        return (200, messages.Count == 0 ? new JsonObject() : new JsonObject { ["Messages"] = messages });
    }

    private (int Status, JsonObject Body) Delete(string queueUrl, JsonObject input)
    {
        var handle = (string?)input["ReceiptHandle"];
        lock (_gate)
        {
            var message = _messages.FirstOrDefault(message => message.QueueUrl == queueUrl && message.ReceiptHandle == handle);
            if (message is null)
            {
                return (400, new JsonObject { ["__type"] = "com.amazonaws.sqs#ReceiptHandleIsInvalid", ["message"] = "The input receipt handle is invalid." });
            }

            _messages.Remove(message);
            _deleted.Add(message.Id);
            return (200, new JsonObject());
        }
    }

    // SQS's own integrity check, which the SDK verifies; not used for security.
#pragma warning disable CA5351
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        context.Response.Headers["x-amzn-query-error"] = $"{code};Sender";
        return context.Response.WriteAsync(new JsonObject { ["__type"] = $"com.amazonaws.sqs#{code}", ["message"] = message }.ToJsonString());
    }

    private sealed class StoredMessage(string queueUrl, string id, string body)
    {
        public string QueueUrl { get; } = queueUrl;

        public string Id { get; } = id;

        public string Body { get; } = body;

        public DateTimeOffset VisibleAt { get; set; }

        public string? ReceiptHandle { get; set; }

        public int ReceiveCount { get; set; }
    }
}
