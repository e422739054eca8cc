using System.Buffers.Binary;
using System.Diagnostics;
using static GracefulDisconnect.Cli.Tests.Run.Http.StatusTestSupport;
using static GracefulDisconnect.Cli.Tests.Run.RunWorkspace;

namespace GracefulDisconnect.Cli.Tests.Run.Http;

/// <summary>
/// The status page in a real headless Chromium (Debian's package, which <c>.ci/run</c> installs): a screenshot at a
/// phone's and a desktop's width that is a real rendering, not a blank or an error page. Without Chromium the test
/// fails: it is the check that the page works in a browser, and a skip would hide that it never ran.
/// </summary>
public sealed class StatusPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Theory]
    [InlineData(412, 900)]
    [InlineData(1280, 900)]
    public async Task StatusPage_InHeadlessChromium_RendersAScreenshotOfThePage(int width, int height)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (apt-get install chromium), as .ci/run does");
        await using var run = new RunWorkspace();
        var port = FreePort();
        var process = run.Start("--http", $"127.0.0.1:{port}");
        var t0 = Now().AddHours(-3);
        await process.WriteLinesAsync(Down("pump-1", t0), Down("<script>alert(1)</script>", t0.AddMinutes(20)), Down("gateway-東京", t0.AddMinutes(50)), Up("lamp", Now().AddMinutes(-1)));
        await UntilAsync(() => run.NotifiedIds().Count == 3, () => "three outages notified\n" + process);

        using var client = Client(port);
        var html = await client.GetStringAsync("");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("gateway-東京", html, StringComparison.Ordinal);

        var png = Path.Combine(run.Folder, $"status-{width}.png");
        var (exit, output) = await ScreenshotAsync($"http://127.0.0.1:{port}/", png, width, height, Path.Combine(run.Folder, "chromium-profile"));
        Assert.True(exit == 0 && File.Exists(png), $"chromium exited {exit} without a screenshot:\n{output}");

        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));

        // A blank page compresses to a few hundred bytes; text, tables and colour take tens of kilobytes.
        Assert.True(bytes.Length > 20_000, $"the screenshot is {bytes.Length} bytes: blank or an error page? ({png})");
    }

    private static async Task<(int Exit, string Output)> ScreenshotAsync(string url, string png, int width, int height, string profile)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // As root in a container: no sandbox; no background networking, whose connections this closed network refuses.
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profile}",
            $"--window-size={width},{height}", $"--screenshot={png}", url,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 60 s");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
