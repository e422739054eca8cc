namespace GracefulDisconnect.Tests.Configuration;

public class GracefulDisconnectOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new GracefulDisconnectOptions();

        Assert.Equal(TimeSpan.FromMinutes(5), options.GracePeriod);
        Assert.Empty(options.GracePeriodOverrides);
        Assert.Equal("UTC", options.TimeZone);
        Assert.Equal(string.Empty, options.Culture);
        Assert.Equal(16, options.MaxConcurrentRechecks);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), options.NotifyRetryDelay);
        Assert.Equal("GracefulDisconnect", GracefulDisconnectOptions.SectionName);
    }

    [Fact]
    public void GracePeriodFor_NoOverrides_ReturnsGracePeriod()
    {
        var options = new GracefulDisconnectOptions { GracePeriod = TimeSpan.FromMinutes(2) };

        Assert.Equal(TimeSpan.FromMinutes(2), options.GracePeriodFor("t1"));
    }

    [Fact]
    public void GracePeriodFor_Override_ReturnsIt()
    {
        var options = new GracefulDisconnectOptions { GracePeriod = TimeSpan.FromMinutes(2) };
        options.GracePeriodOverrides["cellular-7"] = TimeSpan.FromMinutes(30);

        Assert.Equal(TimeSpan.FromMinutes(30), options.GracePeriodFor("cellular-7"));
        Assert.Equal(TimeSpan.FromMinutes(2), options.GracePeriodFor("t1"));
    }

    [Fact]
    public void GracePeriodFor_OverrideNameDiffersInCase_ReturnsGracePeriod()
    {
        var options = new GracefulDisconnectOptions();
        options.GracePeriodOverrides["Cellular-7"] = TimeSpan.FromMinutes(30);

        Assert.Equal(options.GracePeriod, options.GracePeriodFor("cellular-7"));
    }
}
