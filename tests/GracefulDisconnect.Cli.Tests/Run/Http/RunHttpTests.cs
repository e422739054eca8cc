using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Run.Http.StatusTestSupport;
using static GracefulDisconnect.Cli.Tests.Run.RunWorkspace;

namespace GracefulDisconnect.Cli.Tests.Run.Http;

/// <summary><c>run --http</c> as a real child process: the page, its token, /metrics, /healthz and the refusals.</summary>
public sealed class RunHttpTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string Onload = "\"onload=alert(2) x";

    [Fact]
    public async Task Http_WithToken_EveryPageNeedsItAndThePageEscapesDeviceNames()
    {
        await using var run = new RunWorkspace();
        var port = FreePort();
        var process = run.Start("--http", $"127.0.0.1:{port}", "--http-token", "t0ken-123");
        var t0 = Now().AddMinutes(-10);
        await process.WriteLinesAsync(Down("pump-1", t0), Down(Script, t0), $"{{\"thing\":{System.Text.Json.JsonSerializer.Serialize(Onload)},\"connected\":false,\"at\":\"{Iso(t0)}\"}}", Up("lamp", t0));
        await UntilAsync(() => run.NotifiedIds().Count == 3, () => "three outages notified\n" + process);

        using var anonymous = Client(port);
        using var wrong = Client(port, "t0ken-12");
        using var client = Client(port, "t0ken-123");
        foreach (var path in new[] { "", "metrics", "healthz", "nope" })
        {
            using var refused = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("Basic", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            using var wrongToken = await wrong.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        }

        using var page = await client.GetAsync("");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;onload=alert(2) x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"onload", html, StringComparison.Ordinal);
        Assert.Contains("pump-1", html, StringComparison.Ordinal);
        Assert.Contains("<b class=\"bad\">3</b><span class=\"muted\">offline now</span>", html, StringComparison.Ordinal);
        Assert.Contains("Came online in the last 24 hours", html, StringComparison.Ordinal);
        Assert.Contains("lamp", html, StringComparison.Ordinal);

        // A browser sends the token as the password of HTTP Basic.
        using var browser = Client(port);
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("me:t0ken-123")));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("")).StatusCode);

        Assert.Equal("ok\n", await client.GetStringAsync("healthz"));
        var metrics = await client.GetStringAsync("metrics");
        Assert.Contains("gracefuldisconnect_rechecks_total{result=\"notify\"} 3", metrics, StringComparison.Ordinal);

        using var post = await client.PostAsync("", new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Contains("(token required)", process.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_StoreDeletedWhileRunning_HealthzSays503WithOneLineAndRunExits74()
    {
        await using var run = new RunWorkspace();
        var port = FreePort();
        var process = run.Start("--http", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var client = Client(port);
        await UntilServingAsync(client, () => process.ToString());
        Assert.Equal("ok\n", await client.GetStringAsync("healthz"));

        File.Delete(run.StorePath);
        await process.WriteLinesAsync(Down("t1", Now()));

        // Until the run exits (74), /healthz answers 503 with one line, or nothing once the server has stopped.
        var bodies = new List<string>();
        while (!process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("healthz");
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    bodies.Add(await response.Content.ReadAsStringAsync());
                }
            }
            catch (HttpRequestException)
            {
                // The run is stopping.
            }

            await Task.Delay(20);
        }

        // Which one the page sees first depends on who met the deleted file: the engine (its fault) or the reader (the run stops).
        Assert.All(bodies, body =>
        {
            Assert.True(body.Contains("deleted", StringComparison.Ordinal) || body == "engine stopping\n", body);
            Assert.Single(body.TrimEnd('\n').Split('\n'));
        });

        Assert.Equal(ExitCodes.StoreError, await process.WaitForExitAsync());
    }

    [Theory]
    [InlineData("example.com:8080", "not an IP address")]
    [InlineData("127.0.0.1:99999", "not a port")]
    [InlineData("0.0.0.0:8080", "--http-allow-anonymous")]
    public async Task Http_BadOrUnsafeAddress_Exits2WithOneClearLine(string address, string expected)
    {
        await using var run = new RunWorkspace();
        var result = await ChildProcessCli.RunAsync(string.Empty, "run", "--grace", "1m", "--store", run.StorePath, "--http", address);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_PortInUse_Exits2NamingTheAddress()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var run = new RunWorkspace();

        var result = await ChildProcessCli.RunAsync(string.Empty, "run", "--grace", "1m", "--store", run.StorePath, "--http", $"127.0.0.1:{port}");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"--http 127.0.0.1:{port}: cannot listen", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }
}
