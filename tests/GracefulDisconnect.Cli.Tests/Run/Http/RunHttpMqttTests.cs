using System.Net;
using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Run.Http.StatusTestSupport;

namespace GracefulDisconnect.Cli.Tests.Run.Http;

/// <summary>
/// <c>run --mqtt ... --http</c> against a real Mosquitto: device names from topics (anyone who can publish chooses
/// them) are escaped on the page, and the page and <c>/healthz</c> say whether the source is connected to its broker.
/// </summary>
public sealed class RunHttpMqttTests
{
    // Topic segments cannot hold '/', '+' or '#'; everything else a page could trip over they can.
    private const string Script = "<script>alert(1)";
    private const string Onload = "\"onload=alert(2) x";

    [Fact]
    public async Task HttpWithMqtt_NamesFromTopicsAreEscaped_AndABrokerGoneShowsOnThePageAndInHealthz()
    {
        var broker = await MosquittoBroker.StartAsync();
        await using var run = new RunWorkspace();
        var port = FreePort();
        var process = run.Start("--mqtt", broker.Uri, "--mqtt-client-id", "gd-http-" + Guid.NewGuid().ToString("N")[..8], "--preset", "tasmota", "--http", $"127.0.0.1:{port}", "--verbose");
        try
        {
            await RunWorkspace.UntilAsync(() => process.StdErr.Contains("[5000]", StringComparison.Ordinal) || process.HasExited, () => $"run to subscribe\n{process}");
            await broker.PublishAsync($"tele/{Script}/LWT", "Offline");
            await broker.PublishAsync($"tele/{Onload}/LWT", "Offline");
            await broker.PublishAsync("tele/lamp-3/LWT", "Online");
            await RunWorkspace.UntilAsync(() => run.NotifiedThings().Count == 2, () => $"both hostile names notified\n{process}");

            using var client = Client(port);
            var html = await client.GetStringAsync("");
            Assert.Contains("&lt;script&gt;alert(1)", html, StringComparison.Ordinal);
            Assert.Contains("&quot;onload=alert(2) x", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\"onload", html, StringComparison.Ordinal);
            Assert.Contains($"Source <b class=\"ok\">connected</b>: mqtt://127.0.0.1:{broker.Port}", html, StringComparison.Ordinal);
            Assert.Equal("ok\n", await client.GetStringAsync("healthz"));

            // The broker goes away: the engine is blind now, and both the page and the health check say so.
            await broker.DisposeAsync();
            await RunWorkspace.UntilAsync(() => HealthAsync(client).GetAwaiter().GetResult().Status == HttpStatusCode.ServiceUnavailable, () => $"/healthz to report the source\n{process}");
            var (_, health) = await HealthAsync(client);
            Assert.StartsWith($"source: not connected to mqtt://127.0.0.1:{broker.Port} since ", health, StringComparison.Ordinal);
            var blind = await client.GetStringAsync("");
            Assert.Contains("<b>Source not connected</b>: mqtt://127.0.0.1:", blind, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(1)", blind, StringComparison.Ordinal);
            Assert.False(process.HasExited, process.ToString());
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("healthz");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
