using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// Posts each notification to a chat webhook as a card. Slack (Block Kit) and Teams (Adaptive Card) differ only in how
/// the body is built; options, logging, truncation reporting and the transport are the same.
/// </summary>
/// <typeparam name="TOptions">The channel's options.</typeparam>
internal sealed class ChatCardNotifier<TOptions> : INotifier
    where TOptions : WebhookClientOptions
{
    private readonly IOptionsMonitor<TOptions> _options;
    private readonly BodyBuilder _build;
    private readonly WebhookTransport _transport;
    private readonly ILogger _logger;
    private readonly string _channel;

    public ChatCardNotifier(IHttpClientFactory clients, IOptionsMonitor<TOptions> options, TimeProvider time, ILoggerFactory loggers, string channel, string name, BodyBuilder build)
    {
        _options = options;
        _build = build;
        _channel = channel;
        _ = options.Get(name); // invalid options fail here, not at the first outage
        _logger = loggers.CreateLogger(typeof(ChatCardNotifier<>).Namespace + "." + channel);
        _transport = new WebhookTransport(clients, time, _logger, channel, name);
    }

    /// <summary>Builds the JSON body of one notification; <paramref name="truncated"/> tells whether text was cut to the channel's limits.</summary>
    public delegate byte[] BodyBuilder(DeviceNotification notification, TOptions options, out bool truncated);

    public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var options = _options.Get(_transport.Name);
        var body = _build(notification, options, out var truncated);
        if (truncated && _logger.IsEnabled(LogLevel.Debug))
        {
            WebhooksLog.Truncated(_logger, _channel, _transport.Name, notification.NotificationId);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookUrl.Parse(options.Url)) { Content = WebhookTransport.Json(body) };
        await _transport.PostAsync(request, notification, new SecretRedactor(options.Url), options, cancellationToken).ConfigureAwait(false);
    }
}
