using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// Posts one payload through a channel's named client and turns every way that can fail into a
/// <see cref="WebhookDeliveryException"/> that names the channel, never its URL.
/// </summary>
internal sealed class WebhookTransport(IHttpClientFactory clients, TimeProvider time, ILogger logger, string channel, string name)
{
    public const int MaxSnippetLength = 200;
    // Enough that a secret beginning inside the snippet is read whole, and so masked whole.
    private const int MaxSnippetBytes = 8192;

    public static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private static readonly ProductInfoHeaderValue UserAgent = new(
        "GracefulDisconnect.Webhooks",
        typeof(WebhookTransport).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly string _clientName = WebhookHttpClients.ClientName(channel, name);

    public string Channel => channel;

    public string Name => name;

    public static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonContentType;
        return content;
    }

    public async ValueTask PostAsync(HttpRequestMessage request, DeviceNotification notification, SecretRedactor redactor, WebhookClientOptions options, CancellationToken cancellationToken)
    {
        request.Headers.UserAgent.Add(UserAgent);
        var host = request.RequestUri?.Host ?? "?";
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(_clientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or OperationCanceledException)
        {
            throw Failure(
                $"timed out: {host} did not answer within {Seconds(options.AttemptTimeout)} (AttemptTimeout){Retried(options)}",
                null,
                null,
                null,
                exception,
                redactor);
        }
        catch (HttpRequestException exception)
        {
            var why = exception.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "the host name did not resolve",
                HttpRequestError.ConnectionError => "the connection failed",
                HttpRequestError.SecureConnectionError => "the TLS handshake failed",
                HttpRequestError.ProxyTunnelError => "the proxy refused the tunnel",
                _ => exception.HttpRequestError.ToString(),
            };
            throw Failure($"could not reach {host}: {why}{Retried(options)}", null, null, null, exception, redactor);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var kind = notification.Kind.ToReportName();
                    WebhooksLog.Sent(logger, notification.NotificationId, kind, notification.ThingName, channel, name, status);
                }

                return;
            }

            var snippet = await SnippetAsync(response, redactor, cancellationToken).ConfigureAwait(false);
            var retryAfter = RetryAfter.Get(response, time.GetUtcNow());
            var message = string.Create(CultureInfo.InvariantCulture, $"was refused: HTTP {status} ({response.StatusCode})");
            if (snippet is not null)
            {
                message += ": " + snippet;
            }

            if (status is >= 300 and < 400)
            {
                message += " (redirects are not followed: configure the final URL)";
            }

            if (retryAfter > options.MaxRetryDelay)
            {
                message += $"; it asked to wait {Seconds(retryAfter.Value)}, longer than MaxRetryDelay ({Seconds(options.MaxRetryDelay)}), so the engine retries it later";
                retryAfter = retryAfter.Value;
            }
            else
            {
                retryAfter = null;
            }

            if (logger.IsEnabled(LogLevel.Warning))
            {
                WebhooksLog.Refused(logger, channel, name, notification.NotificationId, status);
            }

            throw Failure(message, response.StatusCode, snippet, retryAfter, null, redactor);
        }
    }

    private WebhookDeliveryException Failure(string what, HttpStatusCode? status, string? snippet, TimeSpan? retryAfter, Exception? cause, SecretRedactor redactor)
    {
        // A runtime exception names the host at most; should one ever carry more, it is left out rather than risked.
        var inner = cause is not null && !redactor.ContainsSecret(cause.ToString()) ? cause : null;
        var message = $"{channel} notifier '{name}' {what}.";
        if (cause is not null)
        {
            message += inner is null
                ? $" ({cause.GetType().Name}; its details are left out because they quote the channel's secret URL)"
                : $" ({SafeText.OneLine(cause.Message)})";
        }

        return new WebhookDeliveryException(channel, name, redactor.Redact(message), status, snippet, retryAfter, inner);
    }

    private static async Task<string?> SnippetAsync(HttpResponseMessage response, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[MaxSnippetBytes];
                var read = 0;
                int got;
                while (read < buffer.Length && (got = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    read += got;
                }

                var text = SafeText.OneLine(SafeText.Clean(Encoding.UTF8.GetString(buffer, 0, read))).Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                // Masked before cutting, so a cut can never leave part of a secret behind; then masked once more for what the cut made.
                return redactor.Redact(SafeText.Truncate(redactor.Redact(text), MaxSnippetLength));
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static string Retried(WebhookClientOptions options)
        => options.MaxRetryAttempts > 0 ? string.Create(CultureInfo.InvariantCulture, $", after up to {options.MaxRetryAttempts} retries") : string.Empty;

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
