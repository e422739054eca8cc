using System.CommandLine;

namespace GracefulDisconnect.Cli.Tests.CommandLine;

public sealed class DurationOptionTests
{
    [Theory]
    [InlineData("1s", 0, 0, 1)]
    [InlineData("90s", 0, 1, 30)]
    [InlineData("5m", 0, 5, 0)]
    [InlineData("1.5m", 0, 1, 30)]
    [InlineData("2h", 2, 0, 0)]
    [InlineData("1d", 24, 0, 0)]
    [InlineData("1500ms", 0, 0, 1.5)]
    [InlineData("00:05:00", 0, 5, 0)]
    [InlineData("1.02:00:00", 26, 0, 0)]
    [InlineData("5M", 0, 5, 0)]
    public void Many_ValidDuration_IsParsed(string text, int hours, int minutes, double seconds)
    {
        var (option, result) = ParseMany("--grace", text);

        Assert.Empty(result.Errors);
        Assert.Equal([new TimeSpan(hours, minutes, 0) + TimeSpan.FromSeconds(seconds)], result.GetValue(option)!);
    }

    [Fact]
    public void Many_Repeated_KeepsEveryValueInOrder()
    {
        var (option, result) = ParseMany("--grace", "5m", "--grace", "30s", "--grace", "5m");

        Assert.Empty(result.Errors);
        Assert.Equal([TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)], result.GetValue(option)!);
    }

    [Theory]
    [InlineData("5x", "--grace: '5x' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.")]
    [InlineData("m", "--grace: 'm' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.")]
    [InlineData("five minutes", "--grace: 'five minutes' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.")]
    [InlineData("-00:05:00", "--grace: '-00:05:00' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.")]
    [InlineData("999999999999d", "--grace: '999999999999d' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.")]
    [InlineData("999ms", "--grace: must be at least 1s, not '999ms'.")]
    [InlineData("0s", "--grace: must be at least 1s, not '0s'.")]
    [InlineData("00:00:00", "--grace: must be at least 1s, not '00:00:00'.")]
    public void Many_InvalidDuration_IsAParseError(string text, string message)
    {
        var (_, result) = ParseMany("--grace", text);

        Assert.Equal(message, Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Many_Missing_IsRequired()
    {
        var (_, result) = ParseMany();

        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void Single_Absent_TakesTheDefault()
    {
        var option = DurationOption.Single("--duration", "d", TimeSpan.FromSeconds(20));
        var result = new RootCommand { option }.Parse([]);

        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromSeconds(20), result.GetValue(option)!);
    }

    [Fact]
    public void Single_Given_IsParsedAndValidated()
    {
        var option = DurationOption.Single("--duration", "d", TimeSpan.FromSeconds(20));
        var root = new RootCommand { option };

        Assert.Equal(TimeSpan.FromSeconds(3), root.Parse(["--duration", "3s"]).GetValue(option));
        Assert.Equal("--duration: must be at least 1s, not '10ms'.", Assert.Single(root.Parse(["--duration", "10ms"]).Errors).Message);
    }

    private static (Option<TimeSpan[]> Option, ParseResult Result) ParseMany(params string[] args)
    {
        var option = DurationOption.Many("--grace", "d");
        return (option, new RootCommand { option }.Parse(args));
    }
}
