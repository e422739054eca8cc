using GracefulDisconnect.Cli.Run;
using Microsoft.Extensions.Configuration;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>Durations written like the command line's (<c>5m</c>) bind in configuration; other values are left alone.</summary>
public sealed class ConfigurationDurationsTests
{
    [Fact]
    public void Normalize_DurationKeysOnly_TheRestUntouched()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GracefulDisconnect:GracePeriod"] = "5m",
            ["GracefulDisconnect:ReminderInterval"] = "1d",
            ["GracefulDisconnect:GracePeriodOverrides:pump"] = "90s",
            ["GracefulDisconnect:RetryDelay"] = "00:00:30",
            ["GracefulDisconnect:Culture"] = "5m",
            ["GracefulDisconnect:Mqtt:KeepAlive"] = "2h",
            ["GracefulDisconnect:Mqtt:Mappings:0:Up:0"] = "5m",
        }).Build();

        var (rewritten, problems) = ConfigurationDurations.Normalize(configuration, RunConfiguration.Sections);

        Assert.Empty(problems);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["GracefulDisconnect:GracePeriod"] = "00:05:00",
                ["GracefulDisconnect:ReminderInterval"] = "1.00:00:00",
                ["GracefulDisconnect:GracePeriodOverrides:pump"] = "00:01:30",
                ["GracefulDisconnect:RetryDelay"] = "00:00:30",
                ["GracefulDisconnect:Mqtt:KeepAlive"] = "02:00:00",
            },
            rewritten);
    }

    [Fact]
    public void Normalize_BoundOptions_TakeTheDurations()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GracefulDisconnect:GracePeriod"] = "5m",
            ["GracefulDisconnect:GracePeriodOverrides:pump"] = "90s",
        }).Build();
        var (rewritten, _) = ConfigurationDurations.Normalize(configuration, RunConfiguration.Sections);
        var options = new GracefulDisconnectOptions();

        new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(rewritten).Build().GetSection("GracefulDisconnect").Bind(options);

        Assert.Equal(TimeSpan.FromMinutes(5), options.GracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(90), options.GracePeriodFor("pump"));
    }
}
