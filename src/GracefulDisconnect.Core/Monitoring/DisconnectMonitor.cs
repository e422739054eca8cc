using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect;

/// <summary>
/// The entry point for events: every disconnect becomes a re-check scheduled for the end of its
/// grace period (or now, when the event arrives later than that). Connects need no action for the
/// re-check, which reads the current state anyway; with the opt-in alerts switched on
/// (<see cref="GracefulDisconnectOptions.NotifyRecovery"/>, <see cref="GracefulDisconnectOptions.Flapping"/>) a connect
/// may send a recovery and a disconnect a flapping notification. Hand every event to <see cref="OnEventAsync"/>.
/// </summary>
public sealed class DisconnectMonitor
{
    private readonly IScheduler _scheduler;
    private readonly GracefulDisconnectOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LiveAlerts? _alerts;

    /// <summary>Creates a monitor; usually resolved from DI after <c>AddGracefulDisconnect</c>.</summary>
    /// <param name="scheduler">Where re-checks go.</param>
    /// <param name="options">The options (grace periods).</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public DisconnectMonitor(IScheduler scheduler, IOptions<GracefulDisconnectOptions> options, TimeProvider time, ILogger<DisconnectMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _scheduler = scheduler;
        _options = options.Value;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    internal DisconnectMonitor(IScheduler scheduler, IOptions<GracefulDisconnectOptions> options, TimeProvider time, ILogger<DisconnectMonitor>? logger, LiveAlerts alerts)
        : this(scheduler, options, time, logger)
    {
        _alerts = alerts;
    }

    /// <summary>Handles a connect or disconnect event.</summary>
    /// <param name="connectionEvent">The event.</param>
    /// <param name="cancellationToken">Cancels scheduling.</param>
    /// <returns>When the re-check is due, for a disconnect; <see langword="null"/> for a connect.</returns>
    /// <exception cref="ArgumentException">The thing name is not valid.</exception>
    /// <exception cref="AlertNotSentException">
    /// A recovery or flapping notification could not be sent after every attempt. The event was handled otherwise;
    /// the notification is kept in memory and sent again with the next event of the device, so let an at-least-once
    /// source deliver this event again.
    /// </exception>
    public async ValueTask<DateTimeOffset?> OnEventAsync(ConnectionEvent connectionEvent, CancellationToken cancellationToken = default)
    {
        // This monitor has no silence detection, and a sign of life is neither a connect nor a disconnect.
        if (connectionEvent.SignOfLife)
        {
            ValidateThingName(connectionEvent.ThingName);
            return null;
        }

        if (connectionEvent.Connected)
        {
            ValidateThingName(connectionEvent.ThingName);
            if (_alerts is not null)
            {
                await _alerts.OnConnectAsync(connectionEvent.ThingName, connectionEvent.At, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        return await OnDisconnectAsync(connectionEvent.ToTrigger(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Schedules the re-check of a disconnect.</summary>
    /// <param name="trigger">The disconnect.</param>
    /// <param name="cancellationToken">Cancels scheduling.</param>
    /// <returns>When the re-check is due.</returns>
    /// <exception cref="ArgumentException">The thing name is not valid.</exception>
    /// <exception cref="AlertNotSentException">A flapping notification could not be sent; see <see cref="OnEventAsync"/>.</exception>
    public async ValueTask<DateTimeOffset> OnDisconnectAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
    {
        ValidateThingName(trigger.ThingName);
        var dueAt = GracePeriodDecision.DueAt(trigger, _options.GracePeriodFor(trigger.ThingName));
        var now = _time.GetUtcNow();
        if (dueAt < now)
        {
            dueAt = now;
        }

        await _scheduler.ScheduleAsync(trigger, dueAt, cancellationToken).ConfigureAwait(false);
        Log.RecheckScheduled(_logger, trigger.ThingName, trigger.DisconnectedAt, dueAt);
        if (_alerts is not null)
        {
            await _alerts.OnDisconnectAsync(trigger, cancellationToken).ConfigureAwait(false);
        }

        return dueAt;
    }

    private static void ValidateThingName(string? thingName)
    {
        if (!ThingName.IsValid(thingName, out var problem))
        {
            throw new ArgumentException($"Thing name {problem}.", nameof(thingName));
        }
    }
}
