namespace GracefulDisconnect.Cli.Demo;

/// <summary>Prints each re-check decision as it happens and counts them for the summary.</summary>
internal sealed class PrintingRecheckHandler(IRecheckHandler inner, DemoConsole console, TimeProvider time, DemoTally tally) : IRecheckHandler
{
    public async ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
    {
        var outcome = await inner.RecheckAsync(trigger, cancellationToken).ConfigureAwait(false);
        if (outcome.Result is not (RecheckResult.NotYetDue or RecheckResult.Failed))
        {
            tally.Decided(outcome.Result);
            console.Decision(time.GetUtcNow(), trigger.ThingName, outcome.Result);
        }

        return outcome;
    }
}

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

/// <summary>Counts for the summary; updated from the scheduler's worker threads.</summary>
internal sealed class DemoTally
{
    private readonly int[] _results = new int[Enum.GetValues<RecheckResult>().Length];
    private readonly int[] _sent = new int[Enum.GetValues<NotificationKind>().Length];
    private int _disconnects;

    public int Disconnects => Volatile.Read(ref _disconnects);

    public int Decisions => _results.Sum();

    public int Count(RecheckResult result) => Volatile.Read(ref _results[(int)result]);

    public void Disconnected() => Interlocked.Increment(ref _disconnects);

    public void Decided(RecheckResult result) => Interlocked.Increment(ref _results[(int)result]);

    public int Count(NotificationKind kind) => Volatile.Read(ref _sent[(int)kind]);

    public void Sent(NotificationKind kind) => Interlocked.Increment(ref _sent[(int)kind]);
}
