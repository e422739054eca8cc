using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>
/// <see cref="IScheduler"/> on an SQS delay queue: each re-check is a message delayed until it is due, at
/// most 15 minutes at a time. A longer wait hops: <see cref="SqsRecheckConsumer"/> sends a message that
/// arrives early back with the time still remaining.
/// </summary>
internal sealed class SqsScheduler(IAmazonSQS sqs, IOptions<SqsSchedulerOptions> options, TimeProvider time, ILogger<SqsScheduler> logger) : IScheduler
{
    private readonly string _queueUrl = options.Value.QueueUrl;

    public async ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(trigger.ThingName, nameof(trigger));
        var delay = DelaySeconds(dueAt - time.GetUtcNow());
        var request = new SendMessageRequest
        {
            QueueUrl = _queueUrl,
            MessageBody = RecheckMessage.Serialize(trigger, dueAt),
            DelaySeconds = delay,
        };
        await sqs.SendMessageAsync(request, cancellationToken).ConfigureAwait(false);
        AwsLog.Enqueued(logger, trigger.ThingName, trigger.DisconnectedAt, delay, dueAt);
    }

    /// <summary>Whole seconds still to wait, rounded up so a message never arrives before it is due, capped at 900.</summary>
    internal static int DelaySeconds(TimeSpan remaining)
        => remaining <= TimeSpan.Zero ? 0 : (int)Math.Min(SqsSchedulerOptions.MaxDelaySeconds, Math.Ceiling(remaining.TotalSeconds));
}
