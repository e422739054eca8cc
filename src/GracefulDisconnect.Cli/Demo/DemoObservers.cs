namespace GracefulDisconnect.Cli.Demo;

/// <summary>The demo's notifier: what a Slack or SNS notifier would send, printed instead.</summary>
internal sealed class ConsoleNotifier(DemoConsole console, TimeProvider time, DemoTally tally) : INotifier
{
    public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        tally.Sent(notification.Kind);
        console.Notification(time.GetUtcNow(), notification);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Counts for the summary.</summary>
internal sealed class DemoTally
{
    private readonly Dictionary<string, int> _decisions = new(StringComparer.Ordinal);
    private readonly int[] _sent = new int[Enum.GetValues<NotificationKind>().Length];
    private int _disconnects;
    private int _duplicates;

    public int Disconnects => Volatile.Read(ref _disconnects);

    public int Duplicates => Volatile.Read(ref _duplicates);

    public int Rechecks
    {
        get
        {
            lock (_decisions)
            {
                return _decisions.Values.Sum();
            }
        }
    }

    public int Count(string result)
    {
        lock (_decisions)
        {
            return _decisions.GetValueOrDefault(result);
        }
    }

    public void Disconnected(bool duplicate)
    {
        Interlocked.Increment(ref _disconnects);
        if (duplicate)
        {
            Interlocked.Increment(ref _duplicates);
        }
    }

    public void Decided(string result)
    {
        lock (_decisions)
        {
            _decisions[result] = _decisions.GetValueOrDefault(result) + 1;
        }
    }

    public int Count(NotificationKind kind) => Volatile.Read(ref _sent[(int)kind]);

    public void Sent(NotificationKind kind) => Interlocked.Increment(ref _sent[(int)kind]);
}
