namespace GracefulDisconnect;

/// <summary>
/// Sends each notification to several notifiers at once, as one <see cref="INotifier"/>: a failing channel
/// (Slack down) does not keep the others (Teams, SNS) from getting it, and when the notification is offered
/// again after a failure, only the channels that have not had it yet are tried, so the ones that succeeded
/// are not sent a duplicate.
/// </summary>
/// <remarks>
/// <para>
/// Which channels succeeded is remembered per <see cref="DeviceNotification.NotificationId"/> only while some
/// channel of it is still failing, and for at most <c>maxRemembered</c> notifications (the oldest are forgotten
/// first; a forgotten one is sent to every channel again, which at-least-once delivery allows). Memory is also
/// all it is: a new instance, or another process, sends to every channel again.
/// </para>
/// <para>
/// Two calls for the same notification at the same time are not merged: each sends to the channels that had not
/// succeeded when it began. The engine never does that; a caller that might should serialise its calls per id.
/// </para>
/// <para>
/// The engine registered with <c>AddGracefulDisconnect</c> already fans out to every registered notifier with
/// per-channel retries; use this class when composing notifiers yourself (one <see cref="INotifier"/> for a host
/// that takes only one, or a group of channels behind another decorator).
/// </para>
/// </remarks>
public sealed class FanOutNotifier : INotifier
{
    /// <summary>How many partly delivered notifications are remembered by default.</summary>
    public const int DefaultMaxRemembered = 10_000;

    /// <summary>The most channels one instance fans out to.</summary>
    public const int MaxChannels = 64;

    private readonly INotifier[] _channels;
    private readonly int _maxRemembered;
    private readonly Lock _gate = new();

    // NotificationId → bit set of channels that already have it, plus its place in the age order for eviction.
    private readonly Dictionary<string, (ulong Delivered, LinkedListNode<string> Age)> _partly = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _age = new();

    /// <summary>Creates a notifier that sends to every one of <paramref name="notifiers"/>.</summary>
    /// <param name="notifiers">The channels, 1 to <see cref="MaxChannels"/>.</param>
    public FanOutNotifier(params INotifier[] notifiers)
        : this((IEnumerable<INotifier>)notifiers, DefaultMaxRemembered)
    {
    }

    /// <summary>Creates a notifier that sends to every one of <paramref name="notifiers"/>.</summary>
    /// <param name="notifiers">The channels, 1 to <see cref="MaxChannels"/>.</param>
    /// <param name="maxRemembered">How many partly delivered notifications to remember at most (at least 1).</param>
    public FanOutNotifier(IEnumerable<INotifier> notifiers, int maxRemembered)
    {
        ArgumentNullException.ThrowIfNull(notifiers);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRemembered, 1);
        _channels = [.. notifiers];
        if (_channels.Length == 0)
        {
            throw new ArgumentException("Give at least one notifier to fan out to.", nameof(notifiers));
        }

        if (_channels.Length > MaxChannels)
        {
            throw new ArgumentException($"At most {MaxChannels} notifiers are supported, not {_channels.Length}.", nameof(notifiers));
        }

        if (Array.IndexOf(_channels, null) is var missing and >= 0)
        {
            throw new ArgumentException($"Notifier {missing} is null.", nameof(notifiers));
        }

        _maxRemembered = maxRemembered;
    }

    /// <summary>The channels, in the order given.</summary>
    public IReadOnlyList<INotifier> Notifiers => _channels;

    /// <summary>How many notifications are remembered as partly delivered (for tests and diagnostics).</summary>
    internal int RememberedCount
    {
        get
        {
            lock (_gate)
            {
                return _partly.Count;
            }
        }
    }

    /// <summary>
    /// Sends to every channel that has not had this notification yet, concurrently. Throws an
    /// <see cref="AggregateException"/> naming the channels that failed (their exceptions inside) when any did;
    /// the ones that succeeded are remembered and skipped when the same notification is sent again.
    /// </summary>
    /// <param name="notification">What to send.</param>
    /// <param name="cancellationToken">Cancels the sends; channels that succeeded before are still remembered.</param>
    /// <returns>A task that completes once every channel has it.</returns>
    public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var id = notification.NotificationId;
        var delivered = Delivered(id);
        var pending = new List<int>(_channels.Length);
        for (var channel = 0; channel < _channels.Length; channel++)
        {
            if ((delivered & (1UL << channel)) == 0)
            {
                pending.Add(channel);
            }
        }

        var sends = new Task<Exception?>[pending.Count];
        for (var i = 0; i < pending.Count; i++)
        {
            sends[i] = TrySendAsync(_channels[pending[i]], notification, cancellationToken);
        }

        var outcomes = await Task.WhenAll(sends).ConfigureAwait(false);
        List<(int Channel, Exception Error)>? failures = null;
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i] is { } error)
            {
                (failures ??= []).Add((pending[i], error));
            }
            else
            {
                delivered |= 1UL << pending[i];
            }
        }

        if (failures is null)
        {
            Forget(id);
            return;
        }

        if (delivered != 0)
        {
            Remember(id, delivered);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var names = string.Join(", ", failures.Select(failure => $"#{failure.Channel} {_channels[failure.Channel].GetType().Name}"));
        throw new AggregateException(
            $"{failures.Count} of {_channels.Length} notifiers failed to send {id}: {names}. "
            + "The others have it and are skipped when it is sent again.",
            failures.Select(failure => failure.Error));
    }

    // A channel that throws before its first await must not stop the others from starting.
    private static async Task<Exception?> TrySendAsync(INotifier channel, DeviceNotification notification, CancellationToken cancellationToken)
    {
        try
        {
            await channel.NotifyAsync(notification, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    private ulong Delivered(string id)
    {
        lock (_gate)
        {
            return _partly.TryGetValue(id, out var entry) ? entry.Delivered : 0;
        }
    }

    private void Forget(string id)
    {
        lock (_gate)
        {
            if (_partly.Remove(id, out var entry))
            {
                _age.Remove(entry.Age);
            }
        }
    }

    private void Remember(string id, ulong delivered)
    {
        lock (_gate)
        {
            if (_partly.TryGetValue(id, out var entry))
            {
                _partly[id] = (entry.Delivered | delivered, entry.Age);
                return;
            }

            while (_partly.Count >= _maxRemembered && _age.First is { } oldest)
            {
                _partly.Remove(oldest.Value);
                _age.RemoveFirst();
            }

            _partly[id] = (delivered, _age.AddLast(id));
        }
    }
}
