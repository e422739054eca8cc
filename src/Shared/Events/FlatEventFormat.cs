namespace GracefulDisconnect;

/// <summary>
/// Describes a flat JSON event format: which top-level field holds the thing, the connection state and
/// the time, and how each is written. The generic format, AWS lifecycle events and the IoT rule output
/// differ only in these details, so one reader (<see cref="FlatEventReader"/>) serves all three.
/// </summary>
internal sealed class FlatEventFormat
{
    public required string ThingField { get; init; }

    public required string StateField { get; init; }

    /// <summary>Whether the state is an <c>eventType</c> string (<c>connected</c>/<c>disconnected</c>) rather than a boolean.</summary>
    public bool StateIsEventType { get; init; }

    public required string TimeField { get; init; }

    public required FlatEventTime TimeKind { get; init; }

    public required string VersionField { get; init; }

    internal byte[] ThingUtf8 => field ??= System.Text.Encoding.UTF8.GetBytes(ThingField);

    internal byte[] StateUtf8 => field ??= System.Text.Encoding.UTF8.GetBytes(StateField);

    internal byte[] TimeUtf8 => field ??= System.Text.Encoding.UTF8.GetBytes(TimeField);

    internal byte[] VersionUtf8 => field ??= System.Text.Encoding.UTF8.GetBytes(VersionField);

    /// <summary><c>{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","version":3}</c>.</summary>
    public static FlatEventFormat Generic { get; } = new()
    {
        ThingField = "thing",
        StateField = "connected",
        TimeField = "at",
        TimeKind = FlatEventTime.Iso8601,
        VersionField = "version",
    };
}

/// <summary>How a flat event format writes its time.</summary>
internal enum FlatEventTime
{
    Iso8601,
    EpochMilliseconds,
    EpochSeconds,
}
