using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Samples.Worker;

/// <summary>
/// Receives the IoT rule's connection events from the queue (long polling), hands each to
/// <see cref="DisconnectMonitor"/>, which schedules the re-check in this process, and deletes the message once
/// it is scheduled. A malformed message is left on the queue, so the redrive policy moves it to the dead-letter
/// queue. On stop: polling ends, the batch in hand is finished, running re-checks finish, and re-checks not yet
/// due go back to the queue as events with the remaining delay, for the next worker to schedule.
/// </summary>
/// <remarks>
/// Not <see cref="SqsRecheckPoller"/>: that one pairs with the SQS scheduler (every re-check is a delayed
/// message). Here the queue is only the feed, and waiting happens in memory, one receive per event.
/// </remarks>
internal sealed class SqsEventConsumer(
    IAmazonSQS sqs,
    DisconnectMonitor monitor,
    PendingRechecks pending,
    PollHealth health,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<SqsEventConsumer> logger) : BackgroundService
{
    private const string ReceiveCount = "ApproximateReceiveCount";
    private readonly WorkerOptions _options = options.Value;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var owed = pending.Close().ToList();
        WorkerLog.Stopping(logger, owed.Count, pending.Running);
        try
        {
            // A notification half sent is worse than one not started: running re-checks finish first.
            owed.AddRange(await pending.WhenIdleAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            WorkerLog.InFlightAbandoned(logger);
        }

        var sent = 0;
        foreach (var (trigger, dueAt) in owed)
        {
            try
            {
                await sqs.SendMessageAsync(
                    new SendMessageRequest { QueueUrl = _options.QueueUrl, MessageBody = EventBody(trigger), DelaySeconds = DelaySeconds(dueAt - time.GetUtcNow()) },
                    cancellationToken);
                sent++;
            }
            catch (Exception exception)
            {
                WorkerLog.HandBackFailed(logger, trigger.ThingName, trigger.DisconnectedAt, exception);
            }
        }

        WorkerLog.HandedBack(logger, sent, owed.Count);
    }

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

            // The batch is in hand: schedule and delete all of it even if a stop was just requested (milliseconds).
            foreach (var message in messages)
            {
                await HandleAsync(message);
            }

            if (messages.Count == 0 && _options.IdleDelay > TimeSpan.Zero && !await DelayAsync(_options.IdleDelay, stoppingToken))
            {
                break;
            }
        }
    }

    private async Task HandleAsync(Message message)
    {
        try
        {
            var connectionEvent = ConnectionEventParser.Parse(message.Body ?? string.Empty);
            if (await monitor.OnEventAsync(connectionEvent, CancellationToken.None) is { } dueAt)
            {
                WorkerLog.Scheduled(logger, message.MessageId, connectionEvent.ThingName, dueAt);
            }
            else
            {
                WorkerLog.ConnectIgnored(logger, message.MessageId, connectionEvent.ThingName);
            }
        }
        catch (Exception exception) when (exception is ConnectionEventFormatException or ArgumentException)
        {
            health.MessageRejected();
            WorkerLog.MalformedMessage(logger, message.MessageId, message.Attributes?.GetValueOrDefault(ReceiveCount), exception.Message);
            return;
        }
        catch (Exception exception)
        {
            WorkerLog.MessageFailed(logger, message.MessageId, exception);
            return;
        }

        try
        {
            await sqs.DeleteMessageAsync(_options.QueueUrl, message.ReceiptHandle, CancellationToken.None);
        }
        catch (Exception exception)
        {
            WorkerLog.DeleteFailed(logger, message.MessageId, exception);
        }
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

    /// <summary>Whole seconds still to wait, rounded up so the event never comes back early, at most the SQS limit of 900.</summary>
    internal static int DelaySeconds(TimeSpan remaining)
        => remaining <= TimeSpan.Zero ? 0 : (int)Math.Min(SqsSchedulerOptions.MaxDelaySeconds, Math.Ceiling(remaining.TotalSeconds));

    /// <summary>A disconnect in the generic event format, which the next worker parses like any rule output.</summary>
    internal static string EventBody(DisconnectTrigger trigger)
    {
        var buffer = new ArrayBufferWriter<byte>(192);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("thing", trigger.ThingName);
            json.WriteBoolean("connected", false);
            json.WriteString("at", trigger.DisconnectedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            if (trigger.Version is { } version)
            {
                json.WriteNumber("version", version);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
