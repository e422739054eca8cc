using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>A wrong <c>run --mqtt</c> command line exits 2 with one clear line per problem, and never prints the password.</summary>
public sealed class RunMqttUsageTests
{
    private const string Password = "hunter2-Secret";

    [Theory]
    [InlineData(new[] { "--mqtt", "ftp://broker", "--preset", "tasmota" }, "--mqtt: the scheme 'ftp' is not mqtt://")]
    [InlineData(new[] { "--mqtt", "not a uri", "--preset", "tasmota" }, "--mqtt: not a broker URI")]
    [InlineData(new[] { "--mqtt", "mqtt://broker/path", "--preset", "tasmota" }, "--mqtt: give only scheme, host and port")]
    [InlineData(new[] { "--mqtt", "mqtt://broker", "--preset", "tasmot" }, "--preset: 'tasmot' is not a preset; use one of tasmota, esphome")]
    [InlineData(new[] { "--mqtt", "mqtt://broker" }, "--mqtt needs --preset <name> (repeatable) or --topic")]
    [InlineData(new[] { "--mqtt", "mqtt://broker", "--topic", "site/{thing}/status", "--up", "online" }, "--topic needs --up <value> and --down <value>")]
    [InlineData(new[] { "--mqtt", "mqtt://broker", "--topic", "site/+/status", "--up", "online", "--down", "offline" }, "--topic: 'site/+/status' has no {thing} segment")]
    [InlineData(new[] { "--mqtt", "mqtt://broker", "--preset", "homie", "--up", "online" }, "--up needs --topic.")]
    [InlineData(new[] { "--mqtt", "mqtt://broker", "--preset", "homie", "--input", "events.jsonl" }, "--mqtt and --input are two event sources; give one of them.")]
    [InlineData(new[] { "--mqtt", "mqtt://broker", "--preset", "homie", "--exit-when-idle" }, "--exit-when-idle needs an input that ends")]
    [InlineData(new[] { "--preset", "homie" }, "--preset needs --mqtt.")]
    [InlineData(new[] { "--topic", "site/{thing}/status" }, "--topic needs --mqtt.")]
    [InlineData(new[] { "--heartbeat-topic", "site/{thing}/#" }, "--heartbeat-topic needs --mqtt.")]
    [InlineData(new[] { "--mqtt", "mqtt://broker", "--preset", "tasmota", "--heartbeat-topic", "site/+/data" }, "--heartbeat-topic: 'site/+/data' has no {thing} segment")]
    [InlineData(new[] { "--mqtt", "mqtt://broker", "--preset", "tasmota", "--heartbeat-topic", "site/#/{thing}" }, "--heartbeat-topic: 'site/#/{thing}' has # before the last segment")]
    public async Task Run_WrongMqttFlags_Exits2WithTheProblemOnOneLine(string[] flags, string expected)
    {
        var store = Path.Combine(Path.GetTempPath(), $"gd-cli-mqtt-usage-{Guid.NewGuid():N}.db");

        var result = await InProcessCli.RunWithoutInputAsync(["run", "--grace", "2s", "--store", store, .. flags]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Contains(result.ErrLines, line => line.StartsWith(expected, StringComparison.Ordinal));

        // Refused before anything is opened.
        Assert.False(File.Exists(store), result.ToString());
    }

    [Theory]
    [InlineData("ftp://admin:" + Password + "@broker")]
    [InlineData("mqtt://admin:" + Password + "@broker/path")]
    public async Task Run_WrongBrokerWithAPassword_NeverPrintsThePassword(string broker)
    {
        var result = await InProcessCli.RunWithoutInputAsync("run", "--grace", "2s", "--mqtt", broker, "--preset", "tasmota");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain(Password, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.StdOut, StringComparison.Ordinal);
    }
}
