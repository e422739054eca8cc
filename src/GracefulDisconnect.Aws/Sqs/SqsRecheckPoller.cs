using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>
/// For long-running hosts: receives a batch from the re-check queue (long polling), hands each message to
/// <see cref="SqsRecheckConsumer"/>, deletes what was handled and leaves the rest for redelivery. Call
/// <see cref="PollOnceAsync"/> in a loop (for example from a <c>BackgroundService</c>).
/// </summary>
public sealed class SqsRecheckPoller
{
    private readonly IAmazonSQS _sqs;
    private readonly SqsRecheckConsumer _consumer;
    private readonly SqsSchedulerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a poller; usually resolved from DI after <c>AddSqsScheduler</c>.</summary>
    /// <param name="sqs">The SQS client.</param>
    /// <param name="consumer">Handles each message.</param>
    /// <param name="options">The queue and polling options.</param>
    /// <param name="logger">The logger.</param>
    public SqsRecheckPoller(IAmazonSQS sqs, SqsRecheckConsumer consumer, IOptions<SqsSchedulerOptions> options, ILogger<SqsRecheckPoller>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(options);
        _sqs = sqs;
        _consumer = consumer;
        _options = options.Value;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Receives and handles one batch.</summary>
    /// <param name="cancellationToken">Cancels the wait and the work.</param>
    /// <returns>Counts of what happened.</returns>
    public async Task<SqsPollResult> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        var response = await _sqs.ReceiveMessageAsync(
            new ReceiveMessageRequest
            {
                QueueUrl = _options.QueueUrl,
                MaxNumberOfMessages = _options.MaxMessagesPerPoll,
                WaitTimeSeconds = (int)_options.ReceiveWaitTime.TotalSeconds,
            },
            cancellationToken).ConfigureAwait(false);
        var messages = response.Messages ?? [];
        var handled = 0;
        foreach (var message in messages)
        {
            if (await TryHandleAsync(message, cancellationToken).ConfigureAwait(false))
            {
                await _sqs.DeleteMessageAsync(_options.QueueUrl, message.ReceiptHandle, cancellationToken).ConfigureAwait(false);
                handled++;
            }
        }

        return new SqsPollResult(messages.Count, handled, messages.Count - handled);
    }

    // One bad message must not stop the batch; it stays on the queue and the redrive policy decides its fate.
    private async Task<bool> TryHandleAsync(Message message, CancellationToken cancellationToken)
    {
        try
        {
            await _consumer.HandleMessageAsync(message.Body ?? string.Empty, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConnectionEventFormatException exception)
        {
            AwsLog.MalformedMessage(_logger, message.MessageId, exception.Message);
            return false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            AwsLog.MessageFailed(_logger, message.MessageId, exception);
            return false;
        }
    }
}
