namespace GracefulDisconnect.Tests.Alerts;

public class ThresholdParsingTests
{
    [Theory]
    [InlineData("6/1h", 6, 3600)]
    [InlineData("2/1s", 2, 1)]
    [InlineData("10000/30d", 10_000, 30 * 86_400)]
    [InlineData("3/90s", 3, 90)]
    [InlineData("4/00:10:00", 4, 600)]
    public void FlapThresholdParse_Valid_ReadsCountAndWindow(string text, int disconnects, int windowSeconds)
    {
        var threshold = FlapThreshold.Parse(text);

        Assert.Equal(new FlapThreshold(disconnects, TimeSpan.FromSeconds(windowSeconds)), threshold);
        Assert.True(FlapThreshold.TryParse(text, out var tried, out var problem));
        Assert.Equal(threshold, tried);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData(null, "'' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("", "'' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("6", "'6' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("abc", "'abc' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("6/", "'6/' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("/1h", "'/1h' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("6/1x", "'6/1x' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("-6/1h", "'-6/1h' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("+6/1h", "'+6/1h' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData(" 6/1h", "' 6/1h' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("6.5/1h", "'6.5/1h' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("6/1h/2", "'6/1h/2' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("1h/6", "'1h/6' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("99999999999/1h", "'99999999999/1h' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData("0/1h", "a flap threshold counts 2 to 10000 disconnects, not 0.")]
    [InlineData("1/1h", "a flap threshold counts 2 to 10000 disconnects, not 1.")]
    [InlineData("10001/1h", "a flap threshold counts 2 to 10000 disconnects, not 10001.")]
    [InlineData("6/999ms", "a flap window is 1s to 30d, not 00:00:00.9990000.")]
    [InlineData("6/0s", "a flap window is 1s to 30d, not 00:00:00.")]
    [InlineData("6/30.00:00:01", "a flap window is 1s to 30d, not 30.00:00:01.")]
    [InlineData("6/31d", "a flap window is 1s to 30d, not 31.00:00:00.")]
    public void FlapThresholdParse_Invalid_SaysWhy(string? text, string expected)
    {
        Assert.False(FlapThreshold.TryParse(text, out _, out var problem));
        Assert.Equal(expected, problem);
        if (text is not null)
        {
            Assert.Equal(expected, Assert.Throws<FormatException>(() => FlapThreshold.Parse(text)).Message);
        }
    }

    [Theory]
    [InlineData("1/1h")]
    [InlineData("6/31d")]
    public void FlapThresholdTryParse_OutOfRange_LeavesTheDefault(string text)
    {
        Assert.False(FlapThreshold.TryParse(text, out var value, out _));
        Assert.Equal(default, value);
    }

    [Theory]
    [InlineData("2h/10")]
    [InlineData("30s/1")]
    public void DigestThresholdTryParse_OutOfRange_LeavesTheDefault(string text)
    {
        Assert.False(DigestThreshold.TryParse(text, out var value, out _));
        Assert.Equal(default, value);
    }

    [Fact]
    public void FlapThresholdIsValid_CountCheckedBeforeWindow()
    {
        Assert.False(new FlapThreshold(1, TimeSpan.Zero).IsValid(out var problem));
        Assert.Equal("a flap threshold counts 2 to 10000 disconnects, not 1.", problem);
        Assert.False(default(FlapThreshold).IsValid(out _));
    }

    [Theory]
    [InlineData("6/1h", "6/01:00:00")]
    [InlineData("2/1s", "2/00:00:01")]
    [InlineData("10000/30d", "10000/30.00:00:00")]
    [InlineData("3/1.5s", "3/00:00:01.5000000")]
    public void FlapThresholdToString_RoundTrips(string text, string expected)
    {
        var threshold = FlapThreshold.Parse(text);

        Assert.Equal(expected, threshold.ToString());
        Assert.Equal(threshold, FlapThreshold.Parse(threshold.ToString()));
    }

    [Theory]
    [InlineData("30s/10", 30, 10)]
    [InlineData("1s/2", 1, 2)]
    [InlineData("1h/1000000", 3600, 1_000_000)]
    [InlineData("00:00:30/10", 30, 10)]
    [InlineData("2m/5", 120, 5)]
    public void DigestThresholdParse_Valid_ReadsWindowAndMin(string text, int windowSeconds, int min)
    {
        var threshold = DigestThreshold.Parse(text);

        Assert.Equal(new DigestThreshold(TimeSpan.FromSeconds(windowSeconds), min), threshold);
        Assert.True(DigestThreshold.TryParse(text, out var tried, out var problem));
        Assert.Equal(threshold, tried);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData(null, "'' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData("", "'' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData("30s", "'30s' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData("30s/", "'30s/' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData("/10", "'/10' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData("30x/10", "'30x/10' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData("10/30s", "'10/30s' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData("30s/-1", "'30s/-1' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData("30s/ten", "'30s/ten' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData("30s/10/", "'30s/10/' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData("30s/99999999999", "'30s/99999999999' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData("30s/0", "a digest needs 2 to 1000000 things, not 0.")]
    [InlineData("30s/1", "a digest needs 2 to 1000000 things, not 1.")]
    [InlineData("30s/1000001", "a digest needs 2 to 1000000 things, not 1000001.")]
    [InlineData("999ms/10", "a digest window is 1s to 1h (every notification waits that long), not 00:00:00.9990000.")]
    [InlineData("0s/10", "a digest window is 1s to 1h (every notification waits that long), not 00:00:00.")]
    [InlineData("01:00:01/10", "a digest window is 1s to 1h (every notification waits that long), not 01:00:01.")]
    [InlineData("2h/10", "a digest window is 1s to 1h (every notification waits that long), not 02:00:00.")]
    public void DigestThresholdParse_Invalid_SaysWhy(string? text, string expected)
    {
        Assert.False(DigestThreshold.TryParse(text, out _, out var problem));
        Assert.Equal(expected, problem);
        if (text is not null)
        {
            Assert.Equal(expected, Assert.Throws<FormatException>(() => DigestThreshold.Parse(text)).Message);
        }
    }

    [Fact]
    public void DigestThresholdIsValid_WindowCheckedBeforeMin()
    {
        Assert.False(new DigestThreshold(TimeSpan.Zero, 1).IsValid(out var problem));
        Assert.StartsWith("a digest window is 1s to 1h", problem, StringComparison.Ordinal);
        Assert.False(default(DigestThreshold).IsValid(out _));
    }

    [Theory]
    [InlineData("30s/10", "00:00:30/10")]
    [InlineData("1s/2", "00:00:01/2")]
    [InlineData("1h/1000000", "01:00:00/1000000")]
    [InlineData("2.5s/3", "00:00:02.5000000/3")]
    public void DigestThresholdToString_RoundTrips(string text, string expected)
    {
        var threshold = DigestThreshold.Parse(text);

        Assert.Equal(expected, threshold.ToString());
        Assert.Equal(threshold, DigestThreshold.Parse(threshold.ToString()));
    }
}
