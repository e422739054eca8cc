using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect;

/// <summary>
/// Sends a notification to every registered channel. Each channel is retried on its own with
/// exponential backoff and jitter, so one failing channel (Slack down) neither blocks nor duplicates
/// the others (SNS): channels that succeeded are remembered per outage and skipped when the re-check
/// is retried later. Throws when any channel is still failing after its attempts.
/// </summary>
internal sealed class NotificationDispatcher
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly INotifier[] _channels;
    private readonly GracefulDisconnectOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Outage id → bit set of channels that already have it; only outages with a failing channel linger here.
    private readonly ConcurrentDictionary<string, ulong> _delivered = new(StringComparer.Ordinal);

    public NotificationDispatcher(IEnumerable<INotifier> channels, GracefulDisconnectOptions options, TimeProvider time, ILogger logger)
    {
        _channels = [.. channels];
        _options = options;
        _time = time;
        _logger = logger;
        if (_channels.Length == 0)
        {
            throw new InvalidOperationException("No INotifier is registered. Add one, for example builder.AddNotifier<MyNotifier>() or .AddSnsNotifier(...).");
        }

        if (_channels.Length > 64)
        {
            throw new InvalidOperationException($"At most 64 notifiers are supported, not {_channels.Length}.");
        }
    }

    public async ValueTask SendAsync(DeviceNotification notification, CancellationToken cancellationToken)
    {
        var delivered = _delivered.GetValueOrDefault(notification.NotificationId);
        List<Exception>? failures = null;
        for (var channel = 0; channel < _channels.Length; channel++)
        {
            var bit = 1UL << channel;
            if ((delivered & bit) != 0)
            {
                continue;
            }

            try
            {
                await SendWithRetriesAsync(_channels[channel], notification, cancellationToken).ConfigureAwait(false);
                delivered |= bit;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                (failures ??= []).Add(exception);
            }
        }

        if (failures is null)
        {
            _delivered.TryRemove(notification.NotificationId, out _);
            return;
        }

        _delivered[notification.NotificationId] = delivered;
        throw failures.Count == 1 ? failures[0] : new AggregateException("Several notifiers failed.", failures);
    }

    private async ValueTask SendWithRetriesAsync(INotifier channel, DeviceNotification notification, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await channel.NotifyAsync(notification, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (attempt < _options.NotifyAttempts && (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
            {
                var delay = Backoff(attempt);
                Log.NotifyAttemptFailed(_logger, notification.NotificationId, channel.GetType().Name, attempt, delay, exception);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Exponential with "equal jitter": half fixed, half random, so retries from many outages spread out.
    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.NotifyRetryDelay * Math.Pow(2, attempt - 1);
        var capped = exponential < MaxBackoff ? exponential : MaxBackoff;
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        return (capped / 2) + (capped / 2 * Random.Shared.NextDouble());
#pragma warning restore CA5394
    }
}
