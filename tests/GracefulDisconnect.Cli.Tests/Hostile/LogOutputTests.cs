using System.Net;
using System.Net.Sockets;
using System.Text;
using GracefulDisconnect.Cli.Tests.Run;
using static GracefulDisconnect.Cli.Tests.Run.RunWorkspace;

namespace GracefulDisconnect.Cli.Tests.Hostile;

/// <summary>
/// What the engine writes about hostile input and failing channels: no control character of the input ever
/// reaches a log line or stderr (a terminal would obey an escape sequence; a log reader would see a forged
/// line), and a webhook's secret never reaches a log through a failure our code logs.
/// </summary>
public sealed class LogOutputTests
{
    [Fact]
    public async Task Run_Verbose_LinesFullOfControlCharacters_StderrHasNoneOfThem()
    {
        await using var run = new RunWorkspace();
        var process = run.Start("--verbose", "--exit-when-idle");
        var t0 = Now();
        var at = Iso(t0);
        await process.WriteAsync(Lines(
        [
            Utf8($$"""{"thing":"esc\u001b[31mred","connected":false,"at":"{{at}}"}"""),
            [.. Utf8("{\"thing\":\"raw"), 0x1B, 0x07, .. Utf8("\",\"connected\":false,\"at\":\"" + at + "\"}")],
            Utf8($$"""{"thing":"plain","connected":false,"at":"{{at}}","note":"\u0007\u0000\r\n\u001b]0;pwned\u0007"}"""),
            Utf8("""{"thing":"t2","connected":false,"at":"\u001b[2J"}"""),
            [0x1B, .. Utf8("[2J"), 0x07, 0x00, 0x08],
            Utf8("""{"clientId":"nel\u0085x","timestamp":1767225600000,"eventType":"disconnected"}"""),
            Utf8($$"""{"thing":"caf\u00e9-\ud83d\ude00","connected":false,"at":"{{at}}"}"""),
            Utf8($$"""{"thing":"spaced",{{"\r"}}"connected":false,"at":"{{at}}"}"""),
            [.. Utf8("{\"thing\":\"bad"), 0xFF, 0x1B, .. Utf8("\",\"connected\":false,\"at\":\"" + at + "\"}")],
            [.. Utf8("{\"thing\":\"big\",\"pad\":\""), .. Enumerable.Repeat((byte)0x1B, 70 * 1024), .. Utf8("\"}")],
        ]));
        process.CloseInput();

        Assert.True(await process.WaitForExitAsync() == 0, process.ToString());
        var stderr = process.StdErr;
        Assert.Contains("Notified outage plain@", stderr, StringComparison.Ordinal);
        foreach (var line in new[] { 1, 2, 4, 5, 6, 9, 10 })
        {
            Assert.Contains($"line {line}: ", stderr, StringComparison.Ordinal);
        }

        var controls = stderr.Where(c => char.IsControl(c) && c != '\n').Select(c => $"U+{(int)c:X4}").Distinct().ToList();
        Assert.True(controls.Count == 0, $"stderr holds {string.Join(", ", controls)}:\n{stderr}");
        run.AssertNotifiedExactly([OutageId("plain", t0), OutageId("caf\u00e9-\ud83d\ude00", t0), OutageId("spaced", t0)], stderr);
    }

    [Fact]
    public async Task Engine_WebhookNotifierFailingThroughHttpClient_LogsNeitherTheSecretPathNorControlCharacters()
    {
        await using var run = new RunWorkspace();

        // Like the Slack sample: the secret is the URL's path. Nobody listens on the port, then a server answers 404.
        var closedPort = ClosedPort();
        using var listener = new HttpListener();
        var openPort = ClosedPort();
        listener.Prefixes.Add($"http://127.0.0.1:{openPort}/");
        listener.Start();
        var answering = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                context.Response.StatusCode = 404;
                context.Response.Close();
            }
        });
        const string Secret = "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
        using var http = new HttpClient();
        var refused = new WebhookNotifier(http, new Uri($"http://127.0.0.1:{closedPort}/services/{Secret}"));
        var notFound = new WebhookNotifier(http, new Uri($"http://127.0.0.1:{openPort}/services/{Secret}?token={Secret}"));

        var t0 = Now();
        var engine = await InProcessEngine.StartAsync(run.StorePath, [refused, notFound]);
        await using (engine)
        {
            await engine.DeliverAsync(new ConnectionEvent("pump-7", false, t0));
            await UntilAsync(
                () => engine.Logs.Entries.Any(entry => entry.EventId.Id == 1023),
                () => "the failure to be logged\n" + engine.Logs.AllText());
        }

        listener.Stop();
        var text = engine.Logs.AllText();
        Assert.Contains("HttpRequestException", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.All(engine.Logs.Entries, entry => Assert.DoesNotContain(entry.Message, char.IsControl));
        Assert.All(engine.Logs.Entries.Where(e => e.Exception is not null), entry => Assert.DoesNotContain(entry.Exception!.Message, c => char.IsControl(c) && c != '\n'));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static int ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private sealed class WebhookNotifier(HttpClient http, Uri webhook) : INotifier
    {
        public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        {
            using var response = await http.PostAsync(webhook, new StringContent(notification.Message), cancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }
}
