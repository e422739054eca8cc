using System.Net;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// A webhook notifier could not deliver a notification (after its own retries, if any): the service answered with a
/// status other than 2xx, did not answer in time, or could not be reached. The message names the channel kind and
/// its configured name, the status and at most a short, sanitised snippet of the response, never the URL or a
/// secret. Thrown so that the engine retries the notification later.
/// </summary>
public sealed class WebhookDeliveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WebhookDeliveryException()
        : this("A webhook notification could not be delivered.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public WebhookDeliveryException(string message)
        : base(message)
    {
        Channel = string.Empty;
        ChannelName = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Channel = string.Empty;
        ChannelName = string.Empty;
    }

    internal WebhookDeliveryException(string channel, string channelName, string message, HttpStatusCode? statusCode, string? responseSnippet, TimeSpan? retryAfter, Exception? innerException)
        : base(message, innerException)
    {
        Channel = channel;
        ChannelName = channelName;
        StatusCode = statusCode;
        ResponseSnippet = responseSnippet;
        RetryAfter = retryAfter;
    }

    /// <summary>The kind of channel: <c>Slack</c>, <c>Teams</c> or <c>Webhook</c>.</summary>
    public string Channel { get; }

    /// <summary>The name the channel was registered with (for example <c>slack</c>, or <c>ops</c> for a second Slack channel).</summary>
    public string ChannelName { get; }

    /// <summary>The HTTP status of the last attempt; null when no response came (timeout, connection failure).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The start of the response body, one line, with any secret of the channel masked; null when there was none.</summary>
    public string? ResponseSnippet { get; }

    /// <summary>How long the service asked to wait (<c>Retry-After</c>) when that was longer than the notifier waits by itself.</summary>
    public TimeSpan? RetryAfter { get; }
}
