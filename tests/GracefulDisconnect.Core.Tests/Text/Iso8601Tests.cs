using System.Text;

namespace GracefulDisconnect.Tests.Text;

public class Iso8601Tests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static long? Parse(string text) => Iso8601.TryParse(Encoding.UTF8.GetBytes(text), out var ticks) ? ticks : null;

    [Theory]
    [InlineData("2026-01-01T12:00:00Z", 0)]
    [InlineData("2026-01-01t12:00:00z", 0)]
    [InlineData("2026-01-01T12:00:00", 0)]
    [InlineData("2026-01-01T12:00:00.5Z", 5_000_000)]
    [InlineData("2026-01-01T12:00:00.451Z", 4_510_000)]
    [InlineData("2026-01-01T12:00:00.0000001Z", 1)]
    [InlineData("2026-01-01T12:00:00.00000009Z", 0)]
    [InlineData("2026-01-01T21:00:00+09:00", 0)]
    [InlineData("2026-01-01T06:30:00-05:30", 0)]
    [InlineData("2026-01-01T12:00:00+00:00", 0)]
    public void TryParse_CommonShapes_ReturnsUtcTicks(string text, long ticksAfterNoon)
    {
        Assert.Equal(Noon.UtcTicks + ticksAfterNoon, Parse(text));
    }

    [Theory]
    [InlineData("2026-01-01 12:00:00Z")]
    [InlineData("2026-01-01T12:00:00+0900", 9)]
    [InlineData("2026-01-01T12:00Z")]
    public void TryParse_OtherIsoShapes_FallBackToTheFrameworkParser(string text, int offsetHours = 0)
    {
        Assert.Equal(Noon.AddHours(-offsetHours).UtcTicks, Parse(text));
    }

    [Fact]
    public void TryParse_LeapDay_IsAccepted()
    {
        Assert.Equal(new DateTimeOffset(2028, 2, 29, 0, 0, 0, TimeSpan.Zero).UtcTicks, Parse("2028-02-29T00:00:00Z"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026")]
    [InlineData("2026-01-01T12:00:00.Z")]
    [InlineData("2026-01-01T12:00:00Zjunk")]
    [InlineData("2026-02-29T00:00:00Z")]
    [InlineData("2026-00-10T00:00:00Z")]
    [InlineData("2026-01-32T00:00:00Z")]
    [InlineData("2026-01-01T24:00:01Z")]
    [InlineData("2026-01-01T12:60:00Z")]
    [InlineData("2026-01-01T12:00:00+25:00")]
    [InlineData("20x6-01-01T12:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    public void TryParse_NotATimestamp_ReturnsFalse(string text)
    {
        Assert.Null(Parse(text));
    }

    [Fact]
    public void TryParse_VeryLongGarbage_ReturnsFalse()
    {
        Assert.Null(Parse(new string('9', 10_000)));
    }

    [Fact]
    public void TryParse_Extremes_AreAccepted()
    {
        Assert.Equal(DateTimeOffset.MinValue.UtcTicks, Parse("0001-01-01T00:00:00Z"));
        Assert.Equal(DateTimeOffset.MaxValue.UtcTicks, Parse("9999-12-31T23:59:59.9999999Z"));
    }
}
