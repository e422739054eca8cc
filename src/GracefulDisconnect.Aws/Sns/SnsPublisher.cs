using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>
/// SNS <c>Publish</c> over the query protocol (<c>POST /</c>, form body), signed by the named HttpClient's
/// pipeline. Message attributes <c>thing</c>, <c>verdict</c> and <c>offlineSince</c> let subscribers filter.
/// </summary>
internal sealed class SnsPublisher : ISnsPublisher
{
    public const string HttpClientName = "GracefulDisconnect.Aws.Sns";
    public const string EndpointKey = "GracefulDisconnect.Aws.Sns";
    public const string SigningName = "sns";
    public const string EndpointVariable = "AWS_ENDPOINT_URL_SNS";

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "KMSThrottling", "KMSThrottlingException",
    };

    private readonly IHttpClientFactory _clients;
    private readonly AwsServiceEndpoint _endpoint;
    private readonly string _topicArn;
    private readonly bool _fifo;
    private readonly ILogger _logger;

    public SnsPublisher(
        IHttpClientFactory clients,
        IOptions<SnsNotifierOptions> options,
        [FromKeyedServices(EndpointKey)] AwsServiceEndpoint endpoint,
        ILogger<SnsPublisher> logger)
    {
        _clients = clients;
        _endpoint = endpoint;
        _topicArn = options.Value.TopicArn;
        _fifo = SnsTopicArn.Parse(_topicArn).IsFifo;
        _logger = logger;
    }

    public static Uri DefaultEndpoint(string region, string dnsSuffix) => new($"https://sns.{region}.{dnsSuffix}");

    /// <summary>Retry throttling, which SNS reports as HTTP 400 with an error code, besides 429 and 5xx.</summary>
    public static async ValueTask<bool> IsRetryableAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (AwsHttpClients.IsRetryableStatus(response))
        {
            return true;
        }

        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            return false;
        }

        // Buffered, so the caller can still read the body when the error is not retried.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var code = SnsXml.Error(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Code;
        return code is not null && ThrottlingCodes.Contains(code);
    }

    public async ValueTask<string> PublishAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint.Uri.AbsoluteUri.TrimEnd('/') + "/"))
        {
            Content = new FormUrlEncodedContent(Form(notification)),
        };
        using var response = await _clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = SnsXml.Error(body);
            throw new AwsServiceException("Publish", $"topic '{_topicArn}' (thing '{notification.ThingName}')", response.StatusCode, error.Code, error.Message, error.RequestId ?? AwsErrorType.RequestId(response));
        }

        var messageId = SnsXml.MessageId(body)
            ?? throw new AwsServiceException("Publish", $"topic '{_topicArn}' (thing '{notification.ThingName}')", response.StatusCode, "MissingMessageId", "the response carried no PublishResult/MessageId", AwsErrorType.RequestId(response));
        AwsLog.Published(_logger, notification.NotificationId, notification.ThingName, messageId);
        return messageId;
    }

    private List<KeyValuePair<string, string>> Form(DeviceNotification notification)
    {
        var form = new List<KeyValuePair<string, string>>(24)
        {
            new("Action", "Publish"),
            new("Version", "2010-03-31"),
            new("TopicArn", _topicArn),
        };
        var attributes = new (string Name, string Value)[]
        {
            ("thing", notification.ThingName),
            ("verdict", notification.Kind.ToReportName()),
            ("offlineSince", notification.OfflineSince.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        };

        var subject = SnsMessageText.Subject(notification.Subject);
        if (subject is not null)
        {
            form.Add(new("Subject", subject));
        }

        // Attributes count towards the size limit, so the message gets what is left.
        var attributeBytes = attributes.Sum(attribute => Encoding.UTF8.GetByteCount(attribute.Name) + Encoding.UTF8.GetByteCount(attribute.Value) + "String".Length);
        var message = string.IsNullOrEmpty(notification.Message) ? subject ?? notification.ThingName : notification.Message;
        form.Add(new("Message", SnsMessageText.Message(message, SnsMessageText.MaxMessageBytes - attributeBytes)));

        for (var i = 0; i < attributes.Length; i++)
        {
            var prefix = $"MessageAttributes.entry.{(i + 1).ToString(CultureInfo.InvariantCulture)}";
            form.Add(new($"{prefix}.Name", attributes[i].Name));
            form.Add(new($"{prefix}.Value.DataType", "String"));
            form.Add(new($"{prefix}.Value.StringValue", attributes[i].Value));
        }

        if (_fifo)
        {
            form.Add(new("MessageGroupId", SnsFifoIds.GroupId(notification.ThingName)));
            form.Add(new("MessageDeduplicationId", SnsFifoIds.DeduplicationId(notification.NotificationId)));
        }

        return form;
    }
}
