namespace GracefulDisconnect.Cli.Replay;

/// <summary>Writes <c>2026-01-01T00:05:00.000Z</c> straight into UTF-8 bytes: replays format millions of them.</summary>
internal static class Utf8Timestamp
{
    public const int Length = 24;

    /// <summary>The same text as a string, for the few places that need one.</summary>
    public static string Format(DateTimeOffset value)
    {
        Span<byte> utf8 = stackalloc byte[Length];
        Write(value, utf8);
        return System.Text.Encoding.ASCII.GetString(utf8);
    }

    public static void Write(DateTimeOffset value, Span<byte> destination)
    {
        var utc = value.UtcDateTime;
        utc.Deconstruct(out int year, out int month, out int day);
        var timeOfDay = utc.Ticks % TimeSpan.TicksPerDay;
        var hour = (int)(timeOfDay / TimeSpan.TicksPerHour);
        var minute = (int)(timeOfDay / TimeSpan.TicksPerMinute % 60);
        var second = (int)(timeOfDay / TimeSpan.TicksPerSecond % 60);
        var millisecond = (int)(timeOfDay / TimeSpan.TicksPerMillisecond % 1000);

        Digits(destination, 0, year, 4);
        destination[4] = (byte)'-';
        Digits(destination, 5, month, 2);
        destination[7] = (byte)'-';
        Digits(destination, 8, day, 2);
        destination[10] = (byte)'T';
        Digits(destination, 11, hour, 2);
        destination[13] = (byte)':';
        Digits(destination, 14, minute, 2);
        destination[16] = (byte)':';
        Digits(destination, 17, second, 2);
        destination[19] = (byte)'.';
        Digits(destination, 20, millisecond, 3);
        destination[23] = (byte)'Z';
    }

    private static void Digits(Span<byte> destination, int start, int value, int count)
    {
        for (var i = start + count - 1; i >= start; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
