using Microsoft.Extensions.Logging;

namespace GracefulDisconnect;

/// <summary>
/// Sends a notification to every registered channel: a <see cref="FanOutNotifier"/> (channels in parallel, one failing
/// channel neither blocks nor duplicates the others, channels that succeeded are skipped when the re-check is retried)
/// over channels each retried on its own with exponential backoff and jitter. Throws when any channel is still failing
/// after its attempts: that channel's exception, or an <see cref="AggregateException"/> when several failed.
/// </summary>
internal sealed class NotificationDispatcher
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly FanOutNotifier _channels;

    public NotificationDispatcher(IEnumerable<INotifier> channels, GracefulDisconnectOptions options, TimeProvider time, ILogger logger)
    {
        INotifier[] registered = [.. channels];
        if (registered.Length == 0)
        {
            throw new InvalidOperationException("No INotifier is registered. Add one, for example builder.AddNotifier<MyNotifier>() or .AddSnsNotifier(...).");
        }

        if (registered.Length > FanOutNotifier.MaxChannels)
        {
            throw new InvalidOperationException($"At most {FanOutNotifier.MaxChannels} notifiers are supported, not {registered.Length}.");
        }

        _channels = new FanOutNotifier(registered.Select(channel => new RetryingChannel(channel, options, time, logger)), FanOutNotifier.DefaultMaxRemembered);
    }

    public async ValueTask SendAsync(DeviceNotification notification, CancellationToken cancellationToken)
    {
        try
        {
            await _channels.NotifyAsync(notification, cancellationToken).ConfigureAwait(false);
        }
        catch (AggregateException failed) when (failed.InnerExceptions.Count == 1)
        {
            // One channel failed: its own exception says best what went wrong.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed.InnerExceptions[0]);
        }
    }

    /// <summary>One channel, tried <see cref="GracefulDisconnectOptions.NotifyAttempts"/> times with backoff before it counts as failed.</summary>
    private sealed class RetryingChannel(INotifier channel, GracefulDisconnectOptions options, TimeProvider time, ILogger logger) : INotifier
    {
        public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await channel.NotifyAsync(notification, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (Exception exception) when (attempt < options.NotifyAttempts && (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
                {
                    var delay = Backoff(attempt);
                    Log.NotifyAttemptFailed(logger, notification.NotificationId, channel.GetType().Name, attempt, delay, exception);
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // Exponential with "equal jitter": half fixed, half random, so retries from many outages spread out.
        private TimeSpan Backoff(int attempt)
        {
            var exponential = options.NotifyRetryDelay * Math.Pow(2, attempt - 1);
            var capped = exponential < MaxBackoff ? exponential : MaxBackoff;
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
            return (capped / 2) + (capped / 2 * Random.Shared.NextDouble());
#pragma warning restore CA5394
        }
    }
}
