namespace GracefulDisconnect.Cli.Tests.CommandLine;

/// <summary>The tool's own text shows durations in the units its options take, never as <c>1.00:00:00</c>.</summary>
public sealed class DurationDisplayTests
{
    [Theory]
    [InlineData("1.00:00:00", "1d")]
    [InlineData("2.00:00:00", "2d")]
    [InlineData("00:05:00", "5m")]
    [InlineData("00:00:30", "30s")]
    [InlineData("01:00:00", "1h")]
    [InlineData("00:00:00.250", "250ms")]
    [InlineData("00:01:30", "1m 30s")]
    [InlineData("1.12:00:00", "1d 12h")]
    [InlineData("2.03:00:00", "2d 3h")]
    [InlineData("00:00:30.250", "30.25s")]
    [InlineData("1.02:03:04.500", "1d 2h 3m 4.5s")]
    [InlineData("1.00:00:07", "1d 7s")]
    [InlineData("00:04:59.9996", "5m")]
    [InlineData("00:00:00", "0s")]
    [InlineData("-00:00:05", "-5s")]
    public void Format_Duration_ReadsAsTheOptionsAreWritten(string value, string expected)
        => Assert.Equal(expected, DurationDisplay.Format(TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("1d")]
    [InlineData("5m")]
    [InlineData("90s")]
    [InlineData("36h")]
    [InlineData("250ms")]
    public void Format_SingleUnitResult_ParsesBackToTheSameDuration(string typed)
    {
        var value = DurationText.Parse(typed);
        var shown = DurationDisplay.Format(value);

        // What the tool prints is what the user may type back whenever it is one unit.
        if (!shown.Contains(' ', StringComparison.Ordinal))
        {
            Assert.Equal(value, DurationText.Parse(shown));
        }
    }
}
