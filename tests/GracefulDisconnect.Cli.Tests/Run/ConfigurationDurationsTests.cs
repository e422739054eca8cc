using System.Text;
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
            ["GracefulDisconnect:Alerts:ReminderInterval"] = "1d",
            ["GracefulDisconnect:Alerts:Flapping"] = "6/1h",
            ["GracefulDisconnect:Templates:Subject"] = "5m",
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
                ["GracefulDisconnect:Alerts:ReminderInterval"] = "1.00:00:00",
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

    [Fact]
    public void Normalize_NestedSectionsFromJson_TheEnvironmentOverridesAndDurationsBindInsideAlerts()
    {
        // The environment variable as run reads it, under a prefix of this test's own so no other process sees it.
        var prefix = $"GD_TEST_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "GracefulDisconnect__Alerts__ReminderInterval", "1h");
        try
        {
            var json = """
                {
                  "GracefulDisconnect": {
                    "GracePeriod": "2m",
                    "Alerts": {
                      "NotifyRecovery": true,
                      "ReminderInterval": "5m",
                      "MaxReminders": 3,
                      "Flapping": "6/1h",
                      "FlappingOverrides": { "noisy": "20/1h" },
                      "Digest": "30s/10"
                    },
                    "Templates": { "Subject": "{thing} down", "RecoveredMessage": "{thing} back after {offlineFor}" }
                  }
                }
                """;
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
            var configuration = new ConfigurationBuilder().AddJsonStream(stream).AddEnvironmentVariables(prefix).Build();
            var (rewritten, problems) = ConfigurationDurations.Normalize(configuration, RunConfiguration.Sections);
            var options = new GracefulDisconnectOptions();

            new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(rewritten).Build().GetSection("GracefulDisconnect").Bind(options);

            Assert.Empty(problems);
            Assert.Equal("01:00:00", rewritten["GracefulDisconnect:Alerts:ReminderInterval"]);
            Assert.Equal(TimeSpan.FromMinutes(2), options.GracePeriod);
            Assert.True(options.Alerts.NotifyRecovery);
            Assert.Equal(TimeSpan.FromHours(1), options.Alerts.ReminderInterval);
            Assert.Equal(3, options.Alerts.MaxReminders);
            Assert.Equal(new FlapThreshold(6, TimeSpan.FromHours(1)), options.Alerts.Flapping);
            Assert.Equal(new FlapThreshold(20, TimeSpan.FromHours(1)), options.Alerts.FlappingFor("noisy"));
            Assert.Equal(new DigestThreshold(TimeSpan.FromSeconds(30), 10), options.Alerts.Digest);
            Assert.Equal("{thing} down", options.Templates.Subject);
            Assert.Equal("{thing} back after {offlineFor}", options.Templates.RecoveredMessage);
            Assert.Equal(new NotificationTemplates().Message, options.Templates.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "GracefulDisconnect__Alerts__ReminderInterval", null);
        }
    }
}
