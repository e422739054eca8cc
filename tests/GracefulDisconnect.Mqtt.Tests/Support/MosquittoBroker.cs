using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GracefulDisconnect.Mqtt.Tests;

/// <summary>
/// A real Mosquitto on 127.0.0.1, in a temp directory with its own config: anonymous listener, optional TLS and
/// password listeners, persistence on disk so a restart keeps retained messages and sessions. Fails loudly when
/// Mosquitto is not installed: these tests are the point of the package and must not pass by skipping.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    public const string User = "device-admin";
    public const string UserPassword = "s3cret-pass";
    public const string ClientPfxPassword = "pfx-pass";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(10);
    private readonly string _configPath;
    private Process? _process;

    private MosquittoBroker(string directory, int port, int? tlsPort, int? authPort, int? mutualTlsPort, string configPath)
    {
        MutualTlsPort = mutualTlsPort;
        Directory = directory;
        Port = port;
        TlsPort = tlsPort;
        AuthPort = authPort;
        _configPath = configPath;
    }

    public string Directory { get; }

    public int Port { get; }

    public int? TlsPort { get; }

    public int? AuthPort { get; }

    /// <summary>A TLS listener that requires a client certificate signed by the test CA.</summary>
    public int? MutualTlsPort { get; }

    public string ClientPfxPath => Path.Combine(Directory, "client.pfx");

    public string Uri => $"mqtt://127.0.0.1:{Port}";

    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    public string LogPath => Path.Combine(Directory, "mosquitto.log");

    public static async Task<MosquittoBroker> StartAsync(bool withTls = false, bool withAuth = false)
    {
        var mosquitto = FindMosquitto();
        RequireClients();
        var directory = System.IO.Directory.CreateTempSubdirectory("gd-mosquitto-").FullName;
        var port = FreePort();
        int? tlsPort = withTls ? FreePort() : null;
        int? authPort = withAuth ? FreePort() : null;
        int? mutualTlsPort = withTls ? FreePort() : null;

        var config = new StringBuilder()
            .AppendLine("per_listener_settings true")
            .AppendLine("persistence true")
            .AppendLine($"persistence_location {directory}/")
            .AppendLine("persistent_client_expiration 1d")
            .AppendLine("max_queued_messages 10000")
            .AppendLine($"log_dest file {Path.Combine(directory, "mosquitto.log")}")
            .AppendLine("log_type all")
            // Tests run as root (CI does); stay root so the temp directory stays writable.
            .AppendLine("user root")
            .AppendLine($"listener {port} 127.0.0.1")
            .AppendLine("allow_anonymous true");

        if (tlsPort is { } tls)
        {
            await CreateCertificatesAsync(directory);
            config.AppendLine($"listener {tls} 127.0.0.1")
                .AppendLine("allow_anonymous true")
                .AppendLine($"cafile {Path.Combine(directory, "ca.crt")}")
                .AppendLine($"certfile {Path.Combine(directory, "server.crt")}")
                .AppendLine($"keyfile {Path.Combine(directory, "server.key")}");
            config.AppendLine($"listener {mutualTlsPort} 127.0.0.1")
                .AppendLine("allow_anonymous true")
                .AppendLine("require_certificate true")
                .AppendLine($"cafile {Path.Combine(directory, "ca.crt")}")
                .AppendLine($"certfile {Path.Combine(directory, "server.crt")}")
                .AppendLine($"keyfile {Path.Combine(directory, "server.key")}");
        }

        if (authPort is { } auth)
        {
            var passwords = Path.Combine(directory, "passwords");
            await RunAsync("mosquitto_passwd", ["-b", "-c", passwords, User, UserPassword]);
            config.AppendLine($"listener {auth} 127.0.0.1")
                .AppendLine("allow_anonymous false")
                .AppendLine($"password_file {passwords}");
        }

        var configPath = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(configPath, config.ToString());
        var broker = new MosquittoBroker(directory, port, tlsPort, authPort, mutualTlsPort, configPath) { Executable = mosquitto };
        await broker.StartProcessAsync();
        return broker;
    }

    private string Executable { get; init; } = "mosquitto";

    /// <summary>Stops the broker as a service manager would (SIGTERM: it saves its state) and starts it again on the same ports.</summary>
    public async Task RestartAsync()
    {
        await StopProcessAsync();
        await StartProcessAsync();
    }

    /// <summary>Publishes with mosquitto_pub, as a device or its broker-side will would.</summary>
    public Task PublishAsync(string topic, string payload, bool retain = false, int qos = 1)
    {
        List<string> arguments = ["-h", "127.0.0.1", "-p", Port.ToString(), "-q", qos.ToString(), "-t", topic, "-m", payload];
        if (retain)
        {
            arguments.Add("-r");
        }

        return RunAsync("mosquitto_pub", arguments);
    }

    /// <summary>Removes a retained message, so tests sharing the broker do not see each other's.</summary>
    public Task ClearRetainedAsync(string topic)
        => RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", Port.ToString(), "-t", topic, "-r", "-n"]);

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync()
    {
        _process = Process.Start(new ProcessStartInfo(Executable, ["-c", _configPath])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("mosquitto did not start.");

        var watch = Stopwatch.StartNew();
        foreach (var port in new[] { Port, TlsPort, AuthPort, MutualTlsPort }.OfType<int>())
        {
            while (!await AcceptsAsync(port))
            {
                if (_process.HasExited || watch.Elapsed > StartLimit)
                {
                    var log = File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath) : "(no log)";
                    throw new InvalidOperationException(
                        $"mosquitto did not listen on 127.0.0.1:{port} within {StartLimit.TotalSeconds} s (exited: {_process.HasExited}). stderr: {await ReadErrorAsync()} log: {log}");
                }

                await Task.Delay(20);
            }
        }
    }

    private async Task<string> ReadErrorAsync()
        => _process is { HasExited: true } ? await _process.StandardError.ReadToEndAsync() : string.Empty;

    private async Task StopProcessAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        // SIGTERM, not Process.Kill's SIGKILL: Mosquitto writes its persistence file on a clean stop.
        await RunAsync("kill", ["-TERM", process.Id.ToString()]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
        }

        process.Dispose();
        _process = null;
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

    private static string FindMosquitto()
    {
        foreach (var candidate in new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return OnPath("mosquitto") ?? throw NotInstalled("mosquitto");
    }

    // The devices' side: every test publishes with mosquitto_pub (and the auth test makes its password file).
    private static void RequireClients()
    {
        foreach (var tool in new[] { "mosquitto_pub", "mosquitto_passwd" })
        {
            _ = OnPath(tool) ?? throw NotInstalled(tool);
        }
    }

    private static string? OnPath(string program)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    private static InvalidOperationException NotInstalled(string program) => new(
        $"{program} is not installed, and the MQTT source's tests need a real Mosquitto broker and its clients. Install them: apt-get update && apt-get install -y mosquitto mosquitto-clients");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task CreateCertificatesAsync(string directory)
    {
        string In(string name) => Path.Combine(directory, name);
        await RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=GracefulDisconnect test CA",
            "-keyout", In("ca.key"), "-out", In("ca.crt")]);
        await RunAsync("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", In("server.key"), "-out", In("server.csr")]);
        await File.WriteAllTextAsync(In("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        await RunAsync("openssl", ["x509", "-req", "-in", In("server.csr"), "-CA", In("ca.crt"), "-CAkey", In("ca.key"), "-CAcreateserial",
            "-days", "2", "-extfile", In("server.ext"), "-out", In("server.crt")]);
        await RunAsync("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=gracefuldisconnect-test", "-keyout", In("client.key"), "-out", In("client.csr")]);
        await RunAsync("openssl", ["x509", "-req", "-in", In("client.csr"), "-CA", In("ca.crt"), "-CAkey", In("ca.key"), "-CAcreateserial",
            "-days", "2", "-out", In("client.crt")]);
        await RunAsync("openssl", ["pkcs12", "-export", "-in", In("client.crt"), "-inkey", In("client.key"), "-out", In("client.pfx"),
            "-passout", $"pass:{ClientPfxPassword}"]);
    }

    internal static async Task RunAsync(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}: {await error}");
        }
    }
}
