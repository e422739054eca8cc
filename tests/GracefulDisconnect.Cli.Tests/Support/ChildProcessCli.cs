using System.Diagnostics;
using System.Text;

namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>
/// Runs the built tool (<c>gracefuldisconnect.dll</c>, copied next to the tests by the project reference)
/// as a child process: real exit codes, real stdin, stdout and stderr kept apart.
/// </summary>
internal static class ChildProcessCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static string ToolPath { get; } = Path.Combine(AppContext.BaseDirectory, "gracefuldisconnect.dll");

    public static async Task<CliResult> RunAsync(string? stdin, params string[] args)
    {
        Assert.True(File.Exists(ToolPath), $"the tool is not next to the tests: {ToolPath}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the tool");
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            if (stdin is not null)
            {
                var bytes = new UTF8Encoding(false).GetBytes(stdin);
                await process.StandardInput.BaseStream.WriteAsync(bytes, timeout.Token);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gracefuldisconnect {string.Join(' ', args)} did not finish within {Timeout}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    // `dotnet test` tells child tools which host it runs on; fall back to the one on PATH.
    internal static string DotnetHost()
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
