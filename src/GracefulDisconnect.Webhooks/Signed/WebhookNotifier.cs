using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks;

/// <summary>Posts each notification as JSON, signed with HMAC-SHA256 (<see cref="WebhookSignature"/>).</summary>
internal sealed class WebhookNotifier : INotifier
{
    public const string Channel = "Webhook";

    private readonly IOptionsMonitor<WebhookNotifierOptions> _options;
    private readonly TimeProvider _time;
    private readonly WebhookTransport _transport;

    public WebhookNotifier(IHttpClientFactory clients, IOptionsMonitor<WebhookNotifierOptions> options, TimeProvider time, ILoggerFactory loggers, string name)
    {
        _options = options;
        _time = time;
        _ = options.Get(name); // invalid options fail here, not at the first outage
        _transport = new WebhookTransport(clients, time, loggers.CreateLogger(typeof(WebhookNotifier).Namespace + "." + Channel), Channel, name);
    }

    public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var options = _options.Get(_transport.Name);
        var body = WebhookPayload.Build(notification);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookUrl.Parse(options.Url)) { Content = WebhookTransport.Json(body) };
        foreach (var (header, value) in options.Headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(options.Secret!, timestamp, body));
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, IdHeaderValue(notification.NotificationId));
        var redactor = new SecretRedactor(options.Url, [options.Secret, .. options.Headers.Values]);
        await _transport.PostAsync(request, notification, redactor, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The id as it is when it is printable ASCII (AWS thing names always are), else percent-encoded UTF-8: headers carry ASCII only.</summary>
    internal static string IdHeaderValue(string id)
        => id.All(c => c is >= ' ' and <= '~') ? id : Uri.EscapeDataString(SafeText.Clean(id));
}
