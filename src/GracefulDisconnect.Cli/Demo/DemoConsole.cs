namespace GracefulDisconnect.Cli.Demo;

/// <summary>Prints the demo's live lines: time since start, thing, what happened. Colour only on a terminal.</summary>
internal sealed class DemoConsole(TextWriter output, DateTimeOffset startedAt, bool colour)
{
    private readonly Lock _gate = new();

    public void Event(DateTimeOffset at, ConnectionEvent connectionEvent)
        => Line(at, connectionEvent.ThingName, connectionEvent.Connected ? "connected" : "disconnected", Dim);

    public void Decision(DateTimeOffset at, string thing, string result)
        => Line(at, thing, result == Notify ? "re-check: NOTIFY" : $"re-check: {result}", result == Notify ? Red : Green);

    private static readonly string Notify = RecheckResult.Notified.ToReportName();

    public void Notification(DateTimeOffset at, DeviceNotification notification)
        => Line(at, notification.ThingName, $"notification -> {notification.Message}", Red);

    public void Text(string text)
    {
        lock (_gate)
        {
            output.WriteLine(text);
        }
    }

    private const string Dim = "\u001b[2m";
    private const string Red = "\u001b[1;31m";
    private const string Green = "\u001b[32m";
    private const string Reset = "\u001b[0m";

    private void Line(DateTimeOffset at, string thing, string what, string style)
    {
        var elapsed = at - startedAt;
        var text = $"{elapsed:mm\\:ss\\.f}  {thing,-10}  {what}";
        lock (_gate)
        {
            output.WriteLine(colour ? style + text + Reset : text);
        }
    }
}
