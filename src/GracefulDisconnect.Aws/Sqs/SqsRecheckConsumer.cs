using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Handles one message of the re-check queue, for any host (a Lambda function fed by SQS, a worker that
/// polls with <see cref="SqsRecheckPoller"/>). A message is either a re-check this package scheduled, or a
/// raw connection event an IoT rule sent straight to a queue whose <c>DelaySeconds</c> is the grace period
/// (<c>{"thingName","connected","timestamp"}</c>, a lifecycle event, or the generic format). A trigger that
/// is not due yet is sent back with the remaining delay (SQS delays at most 15 minutes); a due one is handed to the
/// <see cref="IRecheckHandler"/>, the engine, which decides from the device's record and schedules what comes next.
/// </summary>
public sealed class SqsRecheckConsumer
{
    private readonly IRecheckHandler _handler;
    private readonly IScheduler _scheduler;
    private readonly GracefulDisconnectOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a consumer; usually resolved from DI after <c>AddSqsScheduler</c>.</summary>
    /// <param name="handler">Runs due re-checks.</param>
    /// <param name="scheduler">Sends triggers back to the queue (the SQS scheduler registered by <c>AddSqsScheduler</c>).</param>
    /// <param name="options">The engine options (grace periods of raw events).</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public SqsRecheckConsumer(IRecheckHandler handler, IScheduler scheduler, IOptions<GracefulDisconnectOptions> options, TimeProvider time, ILogger<SqsRecheckConsumer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _handler = handler;
        _scheduler = scheduler;
        _options = options.Value;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Handles one message body. When it returns, the host deletes the message; when it throws, the host leaves it for redelivery.</summary>
    /// <param name="body">The SQS message body.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="ConnectionEventFormatException">
    /// The body is malformed (the message names the field). Redelivery cannot help: report the message as a
    /// batch item failure so the queue's redrive policy moves it to the dead-letter queue.
    /// </exception>
    public async ValueTask<SqsMessageResult> HandleMessageAsync(string body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var (trigger, dueAt) = Parse(body);
        if (trigger is not { } disconnect)
        {
            return new SqsMessageResult(SqsMessageAction.Ignored);
        }

        if (_time.GetUtcNow() < dueAt)
        {
            await _scheduler.ScheduleAsync(disconnect, dueAt, cancellationToken).ConfigureAwait(false);
            AwsLog.Deferred(_logger, disconnect.ThingName, dueAt);
            return new SqsMessageResult(SqsMessageAction.Deferred, disconnect, NextDeliveryAt: dueAt);
        }

        // The handler (the engine) asks the scheduler for the device's next wake itself, when it commits one.
        var outcome = await _handler.RecheckAsync(disconnect, cancellationToken).ConfigureAwait(false);
        return new SqsMessageResult(SqsMessageAction.Rechecked, disconnect, outcome, outcome.RetryAt);
    }

    private (DisconnectTrigger? Trigger, DateTimeOffset DueAt) Parse(string body)
    {
        var utf8 = Encoding.UTF8.GetBytes(body);
        try
        {
            using var document = JsonDocument.Parse(utf8);
            if (RecheckMessage.TryRead(document.RootElement, out var ours, out var dueAt))
            {
                return (ours, dueAt);
            }
        }
        catch (JsonException exception)
        {
            throw new ConnectionEventFormatException(null, "the message body is not valid JSON", exception);
        }

        // A raw event reached us through a queue whose DelaySeconds is the grace period: due at its own time plus grace.
        var connectionEvent = ConnectionEventParser.Parse(utf8);
        if (connectionEvent.Connected)
        {
            AwsLog.ConnectIgnored(_logger, connectionEvent.ThingName);
            return (null, default);
        }

        var trigger = connectionEvent.ToTrigger();
        return (trigger, GracePeriodDecision.DueAt(trigger, _options.GracePeriodFor(trigger.ThingName)));
    }
}
