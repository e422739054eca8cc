using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace GracefulDisconnect.Email;

/// <summary>
/// Sends each notification as one e-mail through an SMTP server with MailKit. Every send opens its own connection
/// and closes it (notifications are rare, and a long-lived connection would be dropped by the server between them
/// anyway). Sends are serialized: a burst (a regional outage without a digest) reaches the server one message at a
/// time, which keeps within the connection and rate limits of hosted SMTP services. Throws
/// <see cref="SmtpNotifierException"/> when a message was not accepted, so the engine retries it.
/// </summary>
internal sealed class SmtpEmailNotifier : INotifier, IDisposable
{
    private readonly SmtpNotifierOptions _options;
    private readonly NotificationEmail _email;
    private readonly SecretRedactor _redactor;
    private readonly ILogger _logger;
    private readonly string _endpoint;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public SmtpEmailNotifier(IOptions<SmtpNotifierOptions> options, ILogger<SmtpEmailNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _email = new NotificationEmail(_options);
        _redactor = new SecretRedactor(_options.UserName, _options.Password);
        _logger = logger;
        _endpoint = SmtpEndpoint.Describe(_options);
    }

    public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var message = _email.Create(notification);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendAsync(notification, message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private async Task SendAsync(DeviceNotification notification, MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds) };
        var stage = SmtpStage.Connect;
        try
        {
            EmailLog.Connecting(_logger, _endpoint, _options.Security, notification.NotificationId);
            await client.ConnectAsync(_options.Host, _options.Port, SmtpEndpoint.SocketOptions(_options), cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(_options.UserName))
            {
                stage = SmtpStage.Authenticate;
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            stage = SmtpStage.Send;
            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (SmtpFailure.IsSendFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            var (failure, problem) = SmtpFailure.Create(exception, _options, stage, notification.NotificationId, _redactor);
            EmailLog.SendFailed(_logger, notification.NotificationId, _endpoint, stage, problem);
            throw failure;
        }

        EmailLog.Sent(_logger, notification.Kind, notification.NotificationId, notification.ThingName, _email.RecipientCount, _endpoint, message.MessageId ?? string.Empty);
        await QuitAsync(client).ConfigureAwait(false);
    }

    // The server has accepted the message: a failing QUIT must not make the engine send it again.
    private async Task QuitAsync(SmtpClient client)
    {
        try
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (SmtpFailure.IsSendFailure(exception))
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var problem = HeaderText.OneLine(_redactor.Redact(exception.Message));
                EmailLog.QuitFailed(_logger, _endpoint, problem);
            }
        }
    }
}
