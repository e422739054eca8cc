using System.Globalization;

namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>
/// Builds input lines in the three formats replay reads, and expected output lines. Times are written as
/// offsets into 2026-01-01 UTC (<c>"00:05:00"</c>, <c>"00:00:00.451"</c>) to keep scenarios readable.
/// </summary>
internal static class Events
{
    public static readonly DateTimeOffset Day = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Epoch seconds of 2026-01-01T00:00:00Z.</summary>
    public const long DayEpochSeconds = 1767225600;

    public static DateTimeOffset At(string timeOfDay) => Day + TimeSpan.Parse(timeOfDay, CultureInfo.InvariantCulture);

    /// <summary>The ISO-8601 input form, for example <c>2026-01-01T00:05:00Z</c> (fraction only when there is one).</summary>
    public static string Iso(string timeOfDay)
    {
        var at = At(timeOfDay);
        return at.ToString(at.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>The output form: always milliseconds and <c>Z</c>.</summary>
    public static string Out(string timeOfDay) => Out(At(timeOfDay));

    public static string Out(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static long EpochMs(string timeOfDay) => At(timeOfDay).ToUnixTimeMilliseconds();

    public static long EpochS(string timeOfDay) => At(timeOfDay).ToUnixTimeSeconds();

    public static string Generic(string thing, bool connected, string at, long? version = null, string? receivedAt = null)
        => "{\"thing\":\"" + thing + "\",\"connected\":" + Bool(connected) + ",\"at\":\"" + Iso(at) + "\""
           + (version is { } v ? ",\"version\":" + Num(v) : string.Empty)
           + Received(receivedAt) + "}";

    public static string Down(string thing, string at, string? receivedAt = null) => Generic(thing, false, at, receivedAt: receivedAt);

    public static string Up(string thing, string at, string? receivedAt = null) => Generic(thing, true, at, receivedAt: receivedAt);

    /// <summary>An AWS lifecycle event; <paramref name="at"/> becomes epoch milliseconds.</summary>
    public static string Lifecycle(string clientId, bool connected, string at, long? versionNumber = null, string? receivedAt = null)
        => "{\"clientId\":\"" + clientId + "\",\"timestamp\":" + Num(EpochMs(at)) + ",\"eventType\":\"" + (connected ? "connected" : "disconnected") + "\""
           + (versionNumber is { } v ? ",\"versionNumber\":" + Num(v) : string.Empty)
           + (connected ? string.Empty : ",\"clientInitiatedDisconnect\":false,\"disconnectReason\":\"CONNECTION_LOST\"")
           + Received(receivedAt) + "}";

    /// <summary>The reference IoT rule's output; <paramref name="at"/> becomes epoch seconds (truncated).</summary>
    public static string Rule(string thingName, bool connected, string at, string? receivedAt = null)
        => "{\"thingName\":\"" + thingName + "\",\"connected\":" + Bool(connected) + ",\"timestamp\":" + Num(EpochS(at)) + Received(receivedAt) + "}";

    /// <summary>One expected jsonl decision line.</summary>
    public static string Decision(string thing, string verdict, string offlineSince, string decidedAt, string grace)
        => "{\"thing\":\"" + thing + "\",\"verdict\":\"" + verdict + "\",\"offlineSince\":\"" + Out(offlineSince)
           + "\",\"decidedAt\":\"" + Out(decidedAt) + "\",\"grace\":\"" + grace + "\"}";

    private static string Received(string? receivedAt) => receivedAt is null ? string.Empty : ",\"receivedAt\":\"" + Iso(receivedAt) + "\"";

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
