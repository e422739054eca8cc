using System.Globalization;
using System.Text;
using GracefulDisconnect.Cli.Replay;

namespace GracefulDisconnect.Cli.Tests.Replay;

public sealed class Utf8TimestampTests
{
    [Theory]
    [InlineData("2026-01-01T00:05:00Z", "2026-01-01T00:05:00.000Z")]
    [InlineData("2028-02-29T12:34:56.789Z", "2028-02-29T12:34:56.789Z")]
    [InlineData("2026-01-01T05:30:00.0009999+05:30", "2026-01-01T00:00:00.000Z")]
    [InlineData("2025-12-31T23:59:59.9999999Z", "2025-12-31T23:59:59.999Z")]
    [InlineData("2026-01-01T00:00:00-08:00", "2026-01-01T08:00:00.000Z")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.999Z")]
    public void Write_Instant_IsUtcWithMilliseconds(string input, string expected)
    {
        var value = DateTimeOffset.Parse(input, CultureInfo.InvariantCulture);

        Assert.Equal(expected, Write(value));
    }

    [Fact]
    public void Write_ManyRandomInstants_MatchesTheFrameworkFormatting()
    {
        var random = new Random(20260101);
        for (var i = 0; i < 20_000; i++)
        {
            var ticks = random.NextInt64(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks);
            var value = new DateTimeOffset(ticks, TimeSpan.Zero);

            Assert.Equal(value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), Write(value));
        }
    }

    [Fact]
    public void Write_WritesExactlyLengthBytes()
    {
        var destination = new byte[Utf8Timestamp.Length + 2];
        destination.AsSpan().Fill((byte)'#');

        Utf8Timestamp.Write(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), destination.AsSpan(1));

        Assert.Equal("#2026-01-01T00:00:00.000Z#", Encoding.ASCII.GetString(destination));
    }

    private static string Write(DateTimeOffset value)
    {
        var buffer = new byte[Utf8Timestamp.Length];
        Utf8Timestamp.Write(value, buffer);
        return Encoding.ASCII.GetString(buffer);
    }
}
