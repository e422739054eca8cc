using Amazon.SQS;
using Amazon.SQS.Model;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Samples.Worker;

/// <summary>
/// Receives the IoT rule's connection events from the queue (long polling), records each batch with the device
/// engine (<see cref="IConnectionEventSink"/>), and deletes the messages only once the engine has made them durable
/// in its store: a message deleted is never lost, and one not deleted comes back after the visibility timeout (the
/// engine takes a repeat as the same event). Waiting for the grace period happens in the store, not in memory, so a
/// stop or a crash loses nothing and there is nothing to hand back. A malformed message is left on the queue, so the
/// redrive policy moves it to the dead-letter queue.
/// </summary>
/// <remarks>
/// Not <see cref="SqsRecheckPoller"/>: that one pairs with the SQS scheduler (every re-check is a delayed message).
/// Here the queue is only the feed.
/// </remarks>
internal sealed class SqsEventConsumer(
    IAmazonSQS sqs,
    IConnectionEventSink engine,
    PollHealth health,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<SqsEventConsumer> logger) : BackgroundService
{
    private const string ReceiveCount = "ApproximateReceiveCount";
    private readonly WorkerOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        WorkerLog.Started(logger, _options.QueueUrl, _options.MaxMessagesPerPoll, _options.ReceiveWaitTime);
        var failuresInARow = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            List<Message> messages;
            try
            {
                var response = await sqs.ReceiveMessageAsync(
                    new ReceiveMessageRequest
                    {
                        QueueUrl = _options.QueueUrl,
                        MaxNumberOfMessages = _options.MaxMessagesPerPoll,
                        WaitTimeSeconds = (int)_options.ReceiveWaitTime.TotalSeconds,
                        MessageSystemAttributeNames = [ReceiveCount],
                    },
                    stoppingToken);
                messages = response.Messages ?? [];
                health.PollSucceeded(messages.Count);
                failuresInARow = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                health.PollFailed(exception);
                var delay = Backoff(++failuresInARow);
                if (failuresInARow == 1)
                {
                    WorkerLog.PollFailed(logger, delay, exception);
                }
                else
                {
                    // The stack trace was logged once; a network outage must not flood the journal.
                    WorkerLog.PollStillFailing(logger, failuresInARow, delay, exception.Message);
                }
                if (!await DelayAsync(delay, stoppingToken))
                {
                    break;
                }

                continue;
            }

            // The batch is in hand: record and delete all of it even if a stop was just requested (one commit).
            await HandleAsync(messages);

            if (messages.Count == 0 && _options.IdleDelay > TimeSpan.Zero && !await DelayAsync(_options.IdleDelay, stoppingToken))
            {
                break;
            }
        }
    }

    private async Task HandleAsync(List<Message> messages)
    {
        var parsed = new List<(Message Message, ConnectionEvent Event)>(messages.Count);
        foreach (var message in messages)
        {
            try
            {
                parsed.Add((message, ConnectionEventParser.Parse(message.Body ?? string.Empty)));
            }
            catch (ConnectionEventFormatException exception)
            {
                Reject(message, exception);
            }
        }

        IEnumerable<Message> recorded;
        try
        {
            await engine.RecordAsync([.. parsed.Select(item => item.Event)], CancellationToken.None);
            recorded = parsed.Select(item => item.Message);
        }
        catch (ArgumentException)
        {
            // A thing name the engine refuses fails its whole batch, recording nothing: record one by one, so the
            // bad message alone is left for the dead-letter queue.
            recorded = await RecordEachAsync(parsed);
        }
        catch (Exception exception)
        {
            // The store could not be written: delete nothing, so every message of the batch comes back.
            foreach (var (message, _) in parsed)
            {
                WorkerLog.MessageFailed(logger, message.MessageId, exception);
            }

            return;
        }

        foreach (var message in recorded)
        {
            try
            {
                await sqs.DeleteMessageAsync(_options.QueueUrl, message.ReceiptHandle, CancellationToken.None);
            }
            catch (Exception exception)
            {
                WorkerLog.DeleteFailed(logger, message.MessageId, exception);
            }
        }
    }

    private async Task<List<Message>> RecordEachAsync(List<(Message Message, ConnectionEvent Event)> parsed)
    {
        var recorded = new List<Message>(parsed.Count);
        foreach (var (message, connectionEvent) in parsed)
        {
            try
            {
                await engine.RecordAsync([connectionEvent], CancellationToken.None);
                recorded.Add(message);
            }
            catch (ArgumentException exception)
            {
                Reject(message, exception);
            }
            catch (Exception exception)
            {
                WorkerLog.MessageFailed(logger, message.MessageId, exception);
            }
        }

        return recorded;
    }

    private void Reject(Message message, Exception exception)
    {
        health.MessageRejected();
        WorkerLog.MalformedMessage(logger, message.MessageId, message.Attributes?.GetValueOrDefault(ReceiveCount), exception.Message);
    }

    private TimeSpan Backoff(int failuresInARow)
    {
        var delay = _options.PollRetryDelay * Math.Pow(2, Math.Min(failuresInARow - 1, 20));
        return delay < _options.MaxPollRetryDelay ? delay : _options.MaxPollRetryDelay;
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
