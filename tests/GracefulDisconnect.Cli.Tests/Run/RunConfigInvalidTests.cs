using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>An invalid <c>--config</c> exits 2 before running, with one line per problem naming its key.</summary>
public sealed class RunConfigInvalidTests
{
    [Fact]
    public async Task Config_BadDurations_Exits2WithOneLineNamingEachKey()
    {
        using var config = new TempConfig("""
            { "GracefulDisconnect": { "GracePeriod": "5x", "GracePeriodOverrides": { "pump": "later", "gate": "90s" }, "Alerts": { "ReminderInterval": "hourly", "Flapping": "6/1h" }, "Mqtt": { "KeepAlive": "soon" } } }
            """);

        var result = await InProcessCli.RunWithoutInputAsync("run", "--config", config.Path, "--store", config.Store);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [
                "run: GracefulDisconnect:Alerts:ReminderInterval: 'hourly' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.",
                "run: GracefulDisconnect:GracePeriod: '5x' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.",
                "run: GracefulDisconnect:GracePeriodOverrides:pump: 'later' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.",
                "run: GracefulDisconnect:Mqtt:KeepAlive: 'soon' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.",
            ],
            result.ErrLines);
        Assert.False(File.Exists(config.Store), "nothing is opened before the configuration is valid");
    }

    // One options type per case: the host stops at the first type that fails validation.
    [Theory]
    [InlineData("""{ "GracefulDisconnect": { "GracePeriod": "5m", "Webhook": { "Url": "ftp://hooks.example.com/x" } } }""", "GracefulDisconnect:Webhook", "Url", "Secret")]
    [InlineData("""{ "GracefulDisconnect": { "GracePeriod": "5m", "Mqtt": { "Broker": "http://broker", "Presets": [ "Tasmota" ], "MaxBatchSize": 0 } } }""", "GracefulDisconnect:Mqtt", "Broker", "MaxBatchSize")]
    [InlineData("""{ "GracefulDisconnect": { "GracePeriod": "5m", "Mqtt": { "Broker": "mqtt://broker", "Presets": [ "Tasmota" ], "HeartbeatTopics": [ "site/status", "site/#/{thing}" ] } } }""", "GracefulDisconnect:Mqtt", "HeartbeatTopics[0]", "HeartbeatTopics[1]")]
    public async Task Config_InvalidOptions_Exits2WithOneLinePerProblemNamingTheSectionAndKey(string json, string section, string firstKey, string secondKey)
    {
        using var config = new TempConfig(json);

        var result = await InProcessCli.RunWithoutInputAsync("run", "--config", config.Path, "--store", config.Store);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Equal(2, result.ErrLines.Length);
        Assert.All(result.ErrLines, line => Assert.StartsWith($"run: {section}: ", line, StringComparison.Ordinal));
        Assert.Single(result.ErrLines, line => line.Contains(firstKey, StringComparison.Ordinal) && !line.Contains(secondKey, StringComparison.Ordinal));
        Assert.Single(result.ErrLines, line => line.Contains(secondKey, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{ \"GracefulDisconnect\": ", "--config: ")]
    [InlineData("{ \"GracefulDisconnect\": { \"TimeZone\": \"Europe/Paris\" } }", "--grace <duration> is required")]
    [InlineData("{ \"GracefulDisconnect\": { \"GracePeriod\": \"5m\", \"Mqtt\": { \"Broker\": \"mqtt://h\", \"Presets\": [ \"Homie\" ] } } }", "--exit-when-idle needs an input that ends")]
    public async Task Config_UnusableFileOrCombination_Exits2(string json, string expected)
    {
        using var config = new TempConfig(json);

        var result = await InProcessCli.RunWithoutInputAsync("run", "--config", config.Path, "--store", config.Store, "--exit-when-idle");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.ErrLines, line => line.StartsWith("run: " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Config_MissingFile_Exits2NamingIt()
    {
        var missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gd-missing-{Guid.NewGuid():N}.json");

        var result = await InProcessCli.RunWithoutInputAsync("run", "--config", missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"run: --config: '{missing}' does not exist; give a JSON file with a \"GracefulDisconnect\" section."], result.ErrLines);
    }

    private sealed class TempConfig : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("gd-cli-config-").FullName;

        public TempConfig(string json) => File.WriteAllText(Path, json);

        public string Path => System.IO.Path.Combine(_folder, "config.json");

        public string Store => System.IO.Path.Combine(_folder, "store.db");

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
