namespace GracefulDisconnect.Cli.Run;

/// <summary>Writes one JSON line per notification to standard output, for piping into anything.</summary>
internal sealed class StdoutNotifier(TextWriter output) : INamedNotifier
{
    public string Name => "stdout";

    private readonly Lock _gate = new();

    public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var line = NotificationLine.Format(notification);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }

        return ValueTask.CompletedTask;
    }
}
