using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using GracefulDisconnect.DynamoDb;

namespace GracefulDisconnect.Testing.DynamoDb;

/// <summary>
/// A throwaway dynalite (DynamoDB's API on Node.js, in memory) on a free 127.0.0.1 port for the tests, reached with
/// the real AWS SDK client and dummy credentials. dynalite is installed by <c>.ci/run</c> with
/// <c>npm install --prefix tests/.dynalite dynalite@4.0.0</c>; <c>GRACEFULDISCONNECT_DYNALITE</c> may point at another
/// install (its prefix folder, or its <c>cli.js</c>). A missing node or dynalite fails the tests loudly, never skips them.
/// </summary>
public sealed class DynaliteServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "GRACEFULDISCONNECT_DYNALITE";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private Process? _process;
    private readonly System.Text.StringBuilder _output = new();

    public int Port { get; private set; }

    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}");

    /// <summary>A table name no other test uses.</summary>
    public static string NewTable() => "gd-test-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A client of this server, as a separate process would have (its own connections).</summary>
    public AmazonDynamoDBClient NewClient(int maxErrorRetry = 2) => new(
        new BasicAWSCredentials("dynalite-test-key", "dynalite-test-secret"),
        new AmazonDynamoDBConfig { ServiceURL = ServiceUrl.AbsoluteUri, AuthenticationRegion = "us-east-1", MaxErrorRetry = maxErrorRetry });

    public DynamoDbStoreOptions Options(string table, bool createTableIfMissing = true) => new() { TableName = table, CreateTableIfMissing = createTableIfMissing };

    public async Task InitializeAsync()
    {
        // Belt and braces: every test client has explicit credentials and endpoint, and nothing here may ask an
        // instance metadata service for credentials or a region.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        var cli = FindCli();
        Port = FreePort();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { cli, "--host", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("The DynamoDB tests run dynalite on Node.js, and 'node' could not be started. Install it: apt-get install -y nodejs npm", exception);
        }

        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // A test host that is aborted never disposes its fixtures: dynalite must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += StopOnExit;

        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"dynalite ({cli}) exited with {_process.ExitCode} before listening on 127.0.0.1:{Port}:\n{Output()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException exception)
            {
                throw new InvalidOperationException($"dynalite ({cli}) did not listen on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds} s:\n{Output()}", exception);
            }
        }
    }

    public Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        Stop();
        return Task.CompletedTask;
    }

    private void StopOnExit(object? sender, EventArgs e) => Stop();

    private void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.Length == 0 ? "(no output)" : _output.ToString();
        }
    }

    private static string FindCli()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(configured))
        {
            candidates.Add(configured.EndsWith(".js", StringComparison.Ordinal) ? configured : Path.Combine(configured, "node_modules", "dynalite", "cli.js"));
        }
        else if (FindRepositoryRoot() is { } root)
        {
            candidates.Add(Path.Combine(root, "tests", ".dynalite", "node_modules", "dynalite", "cli.js"));
        }

        return candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            $"The DynamoDB tests need dynalite, and it was not found (looked for {string.Join(", ", candidates.DefaultIfEmpty("nothing: no repository root above " + AppContext.BaseDirectory))}). "
            + $"Install it from the repository root: npm install --prefix tests/.dynalite --no-save --no-package-lock dynalite@4.0.0 (as .ci/run does), or set {EnvironmentVariable} to an install's folder or its cli.js");
    }

    private static string? FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GracefulDisconnect.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
