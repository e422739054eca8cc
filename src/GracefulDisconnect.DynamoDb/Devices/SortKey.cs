using System.Globalization;

namespace GracefulDisconnect.DynamoDb;

/// <summary>
/// Index range keys that sort as the port orders: a time as its UTC ticks in 19 zero-padded digits (never negative,
/// so string order is time order), then the tie-breaker. DynamoDB compares string keys by their UTF-8 bytes, which
/// for a thing name is ordinal order (by code point; it differs from .NET's UTF-16 ordinal only for characters
/// above U+FFFF against U+E000-U+FFFF).
/// </summary>
internal static class SortKey
{
    public const int TimeDigits = 19;

    /// <summary>A time (with a thing name or a sequence after it).</summary>
    public static string Of(DateTimeOffset time, string tieBreaker)
        => string.Concat(Ticks(time.UtcTicks), "#", tieBreaker);

    /// <summary>An outbox message's key: when it may next be sent, then its sequence (commit order).</summary>
    public static string Of(DateTimeOffset time, long sequence)
        => Of(time, sequence.ToString("D19", CultureInfo.InvariantCulture));

    /// <summary>The first key after every key of a time at or before <paramref name="now"/>: query <c>key &lt; bound</c> for what is due.</summary>
    public static string DueBound(DateTimeOffset now)
        => now.UtcTicks == DateTimeOffset.MaxValue.UtcTicks ? "A" : Ticks(now.UtcTicks + 1);

    /// <summary>The time a key starts with.</summary>
    public static DateTimeOffset TimeOf(string key)
        => new(long.Parse(key.AsSpan(0, TimeDigits), NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);

    private static string Ticks(long ticks) => ticks.ToString("D19", CultureInfo.InvariantCulture);
}
