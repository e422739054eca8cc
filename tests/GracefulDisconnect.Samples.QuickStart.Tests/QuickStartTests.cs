using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GracefulDisconnect.Samples.QuickStart.Tests;

/// <summary>The README's quick start works as written: it is the sample's code, and the sample notifies what it says.</summary>
public sealed class QuickStartTests
{
    [Fact]
    public void Readme_QuickStartBlock_IsTheSamplesProgram()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var section = readme[readme.IndexOf("\n## Quick start\n", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var block = section[start..section.IndexOf("\n```", start, StringComparison.Ordinal)];
        var program = File.ReadAllText(Path.Combine(root, "samples", "QuickStart", "Program.cs")).ReplaceLineEndings("\n").TrimEnd('\n');

        Assert.Equal(program, block);
    }

    [Fact]
    public async Task Run_TwoDevicesDropOneComesBack_OnlyTheOneStillOfflineIsNotifiedOnceAndCtrlCStopsIt()
    {
        var start = new ProcessStartInfo(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "GracefulDisconnect.Samples.QuickStart.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            if (e.Data.Contains("greenhouse-pi-3", StringComparison.Ordinal))
            {
                notified.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            // The grace period is 5 s; a later notification would be as wrong as none.
            await notified.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // Long enough for a second (duplicate) notification or one for the device that came back to show.
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            // Ctrl+C, as the program's comment says (SIGINT; a terminal sends it to the process).
            if (!process.HasExited)
            {
                Assert.Equal(0, Kill(process.Id, SigInt));
            }
        }

        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(exit.Token);
        lock (lines)
        {
            Assert.Equal(["Offline: greenhouse-pi-3 is offline"], lines);
        }

        Assert.Equal(string.Empty, await errors);
        Assert.Equal(0, process.ExitCode);
    }

    private const int SigInt = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    // The host `dotnet test` runs under; the SDK exports it to test processes.
    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GracefulDisconnect.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No GracefulDisconnect.sln above {AppContext.BaseDirectory}.");
    }
}
