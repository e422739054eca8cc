using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks;

/// <summary>Posts each notification to a Slack incoming webhook as Block Kit.</summary>
internal sealed class SlackNotifier : INotifier
{
    public const string Channel = "Slack";

    private readonly IOptionsMonitor<SlackNotifierOptions> _options;
    private readonly WebhookTransport _transport;
    private readonly ILogger _logger;

    public SlackNotifier(IHttpClientFactory clients, IOptionsMonitor<SlackNotifierOptions> options, TimeProvider time, ILoggerFactory loggers, string name)
    {
        _options = options;
        _ = options.Get(name); // invalid options fail here, not at the first outage
        _logger = loggers.CreateLogger(typeof(SlackNotifier).Namespace + "." + Channel);
        _transport = new WebhookTransport(clients, time, _logger, Channel, name);
    }

    public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var options = _options.Get(_transport.Name);
        var body = SlackMessage.Build(notification, options.MaxListedThings, out var truncated);
        if (truncated && _logger.IsEnabled(LogLevel.Debug))
        {
            WebhooksLog.Truncated(_logger, Channel, _transport.Name, notification.NotificationId);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookUrl.Parse(options.Url)) { Content = WebhookTransport.Json(body) };
        await _transport.PostAsync(request, notification, new SecretRedactor(options.Url), options, cancellationToken).ConfigureAwait(false);
    }
}
