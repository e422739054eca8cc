using System.Net.Http.Json;
using GracefulDisconnect;

namespace GracefulDisconnect.Samples.ConsoleApp;

/// <summary>
/// A custom channel: posts to a Slack incoming webhook (<c>{"text": ...}</c>). Throwing on failure is
/// all it takes to be retried with backoff by the engine. The webhook URL is a secret: it is never logged.
/// </summary>
internal sealed class SlackNotifier(HttpClient http, Uri webhook) : INotifier
{
    public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync(webhook, new { text = $":red_circle: {notification.Message}" }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // Slack answers with a short reason ("invalid_payload", "channel_not_found"); the URL stays out of it.
            throw new HttpRequestException($"Slack webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
