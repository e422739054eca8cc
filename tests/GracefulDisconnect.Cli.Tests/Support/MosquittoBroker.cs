using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>
/// A real Mosquitto on a free 127.0.0.1 port with its own config and persistence in a temp directory: the minimal
/// part of the MQTT package's test fixture that <c>run --mqtt</c> needs. It fails loudly when Mosquitto or its clients
/// are missing: these tests must never pass by skipping.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(10);
    private readonly Process _process;

    private MosquittoBroker(string directory, int port, Process process)
    {
        Directory = directory;
        Port = port;
        _process = process;
    }

    private int _disposed;

    public string Directory { get; }

    public int Port { get; }

    public string Uri => $"mqtt://127.0.0.1:{Port}";

    public static async Task<MosquittoBroker> StartAsync()
    {
        var mosquitto = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists) ?? OnPath("mosquitto") ?? throw NotInstalled("mosquitto");
        _ = OnPath("mosquitto_pub") ?? throw NotInstalled("mosquitto_pub");
        var directory = System.IO.Directory.CreateTempSubdirectory("gd-cli-mosquitto-").FullName;
        var port = FreePort();
        var config = Path.Combine(directory, "mosquitto.conf");

        // Persistence, so the broker keeps our session (and its retained messages) like a real one does.
        await File.WriteAllLinesAsync(config,
        [
            "persistence true",
            $"persistence_location {directory}/",
            $"log_dest file {Path.Combine(directory, "mosquitto.log")}",
            "user root",
            $"listener {port} 127.0.0.1",
            "allow_anonymous true",
        ]);
        var process = Process.Start(new ProcessStartInfo(mosquitto, ["-c", config]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("mosquitto did not start.");
        var broker = new MosquittoBroker(directory, port, process);
        var watch = Stopwatch.StartNew();
        while (!await AcceptsAsync(port))
        {
            if (process.HasExited || watch.Elapsed > StartLimit)
            {
                var stderr = process.HasExited ? await process.StandardError.ReadToEndAsync() : "(still running)";
                await broker.DisposeAsync();
                throw new InvalidOperationException($"mosquitto did not listen on 127.0.0.1:{port} within {StartLimit.TotalSeconds} s: {stderr}");
            }

            await Task.Delay(20);
        }

        return broker;
    }

    /// <summary>Publishes with mosquitto_pub (QoS 1), as a device or its broker-side will would.</summary>
    public async Task PublishAsync(string topic, string payload, bool retain = false)
    {
        var start = new ProcessStartInfo("mosquitto_pub", ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-t", topic, "-m", payload])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        if (retain)
        {
            start.ArgumentList.Add("-r");
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto_pub did not start.");
        using var timeout = new CancellationTokenSource(RunningCli.Limit);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"mosquitto_pub -t {topic} -m {payload} exited with {process.ExitCode}: {await error}");
    }

    /// <summary>Stops the broker (a test may do so early, to take it away from a running source); later calls do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? OnPath(string program)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    private static InvalidOperationException NotInstalled(string program) => new(
        $"{program} is not installed, and the run --mqtt tests need a real Mosquitto broker and its clients. Install them: apt-get update && apt-get install -y mosquitto mosquitto-clients");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
