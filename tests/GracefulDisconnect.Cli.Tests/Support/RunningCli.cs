using System.Diagnostics;
using System.Text;

namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>
/// A long-running <c>gracefuldisconnect</c> child process (the built <c>gracefuldisconnect.dll</c>, like
/// <see cref="ChildProcessCli"/>): standard input stays open for writing as the test goes, standard output
/// and error are collected as they come, and the test can SIGKILL it or send it SIGTERM/SIGINT.
/// </summary>
internal sealed class RunningCli : IAsyncDisposable
{
    /// <summary>The longest any single wait of these tests may take.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static readonly UTF8Encoding Utf8 = new(false);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private readonly string[] _args;

    private RunningCli(Process process, string[] args)
    {
        _process = process;
        _args = args;
        _stdoutPump = PumpAsync(process.StandardOutput, _stdout);
        _stderrPump = PumpAsync(process.StandardError, _stderr);
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StdOut
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StdErr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static RunningCli Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        Assert.True(File.Exists(ChildProcessCli.ToolPath), $"the tool is not next to the tests: {ChildProcessCli.ToolPath}");
        var start = new ProcessStartInfo(ChildProcessCli.DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(ChildProcessCli.ToolPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the tool");
        return new RunningCli(process, args);
    }

    /// <summary>Writes lines, each ended by <c>\n</c>, in one write, and flushes the pipe.</summary>
    public Task WriteLinesAsync(params string[] lines) => WriteAsync(Utf8.GetBytes(string.Concat(lines.Select(line => line + "\n"))));

    public async Task WriteAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Limit);
        var stdin = _process.StandardInput.BaseStream;
        await stdin.WriteAsync(bytes, timeout.Token);
        await stdin.FlushAsync(timeout.Token);
    }

    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>SIGKILL: no chance to clean up, exactly like <c>kill -9</c>.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        Assert.True(_process.WaitForExit(Limit), "the killed process did not go away");
    }

    /// <summary>Sends a POSIX signal by name (<c>TERM</c>, <c>INT</c>) through <c>kill(1)</c>.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + name, ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        Assert.True(kill.WaitForExit(Limit));
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the process to end on its own; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"gracefuldisconnect {string.Join(' ', _args)} did not exit within {Limit.TotalSeconds} s\n--- stdout\n{StdOut}--- stderr\n{StdErr}");
        }

        // The pumps end with the pipes; the process may exit a moment before the last bytes are read.
        await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(Limit);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        try
        {
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            // The pipes are the child's; nothing more to collect.
        }

        _process.Dispose();
    }

    public override string ToString() => $"gracefuldisconnect {string.Join(' ', _args)}\n--- stdout\n{StdOut}--- stderr\n{StdErr}";

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}
