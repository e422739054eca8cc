namespace GracefulDisconnect.Tests.Text;

public class DurationTextTests
{
    public static TheoryData<string, TimeSpan> Durations => new()
    {
        { "90s", TimeSpan.FromSeconds(90) },
        { "5m", TimeSpan.FromMinutes(5) },
        { "2h", TimeSpan.FromHours(2) },
        { "1d", TimeSpan.FromDays(1) },
        { "250ms", TimeSpan.FromMilliseconds(250) },
        { "1.5h", TimeSpan.FromMinutes(90) },
        { "0.5s", TimeSpan.FromMilliseconds(500) },
        { "0s", TimeSpan.Zero },
        { "5M", TimeSpan.FromMinutes(5) },
        { "250MS", TimeSpan.FromMilliseconds(250) },
        { " 5m ", TimeSpan.FromMinutes(5) },
        { "00:05:00", TimeSpan.FromMinutes(5) },
        { "01:30:15", new TimeSpan(1, 30, 15) },
        { "1.02:03:04", new TimeSpan(1, 2, 3, 4) },
        { "00:00:00.250", TimeSpan.FromMilliseconds(250) },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void Parse_AcceptedForms_ReturnsDuration(string text, TimeSpan expected)
    {
        Assert.Equal(expected, DurationText.Parse(text));
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("ms")]
    [InlineData("5x")]
    [InlineData("five minutes")]
    [InlineData("5 m")]
    [InlineData("-5m")]
    [InlineData("+5m")]
    [InlineData("-00:05:00")]
    [InlineData("1,5h")]
    [InlineData("1e3s")]
    [InlineData("5m3s")]
    [InlineData("00:60:00")]
    [InlineData("1:2:3:4:5")]
    public void TryParse_Garbage_ReturnsFalse(string? text)
    {
        Assert.False(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.Zero, value);
    }

    [Theory]
    [InlineData("10675200d")]
    [InlineData("99999999999999999999h")]
    [InlineData("79228162514264337593543950335d")]
    [InlineData("79228162514264337593543950335ms")]
    public void TryParse_BeyondTimeSpanMaxValue_ReturnsFalse(string text)
    {
        Assert.False(DurationText.TryParse(text, out _));
    }

    [Fact]
    public void Parse_Garbage_ThrowsFormatExceptionShowingTheForms()
    {
        var exception = Assert.Throws<FormatException>(() => DurationText.Parse("soon"));

        Assert.Contains("'soon'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("90s", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Overflow_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => DurationText.Parse("79228162514264337593543950335d"));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(2_500_000L)]
    [InlineData(3_000_000_000L)]
    [InlineData(864_000_000_000L * 400)]
    public void Format_ThenParse_RoundTrips(long ticks)
    {
        var value = TimeSpan.FromTicks(ticks);

        Assert.Equal(value, DurationText.Parse(DurationText.Format(value)));
    }

    [Fact]
    public void Format_FiveMinutes_IsConstantFormat()
    {
        Assert.Equal("00:05:00", DurationText.Format(TimeSpan.FromMinutes(5)));
        Assert.Equal("1.00:00:00.2500000", DurationText.Format(TimeSpan.FromDays(1) + TimeSpan.FromMilliseconds(250)));
    }
}
