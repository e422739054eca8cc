using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GracefulDisconnect.PostgreSql;
using Npgsql;

namespace GracefulDisconnect.Testing.PostgreSql;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: <c>initdb</c> in a temporary folder, started with <c>pg_ctl</c> on a
/// free 127.0.0.1 port under the <c>postgres</c> user (the server refuses root), with SCRAM password authentication
/// so a wrong password is refused for real; stopped and deleted afterwards. Missing binaries fail the tests loudly.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string User = "gd_test";
    public const string Password = "pw-Zq81-only-for-tests";
    public const string Database = "gd_test";
    private const string SuperPassword = "super-Zq81-only-for-tests";

    private string _root = string.Empty;
    private string _bin = string.Empty;

    public int Port { get; private set; }

    private string Data => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "server.log");

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database={Database};Username={User};Password={Password};Timeout=10;Command Timeout=60";

    public string SuperConnectionString => $"Host=127.0.0.1;Port={Port};Database={Database};Username=postgres;Password={SuperPassword};Timeout=10";

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..20];

    public PostgreSqlStoreOptions Options(string schema) => new() { ConnectionString = ConnectionString, Schema = schema };

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        _root = Path.Combine(Path.GetTempPath(), "gd-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_root);
        var passwordFile = Path.Combine(_root, "superuser.pw");
        await File.WriteAllTextAsync(passwordFile, SuperPassword + "\n");
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root]);
        }

        Port = FreePort();
        await PostgresAsync("initdb", ["-D", Data, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--no-locale", "--no-sync"]);
        await StartAsync();

        // A test host that is aborted never disposes its fixtures: the cluster must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += StopOnExit;

        await using var admin = new NpgsqlConnection(SuperConnectionString.Replace($"Database={Database}", "Database=postgres", StringComparison.Ordinal));
        await admin.OpenAsync();
        await using (var command = new NpgsqlCommand { Connection = admin })
        {
            // CREATE DATABASE cannot run in the implicit transaction of a multi-statement command: one by one.
            command.CommandText = $"CREATE ROLE {User} LOGIN PASSWORD '{Password}'";
            await command.ExecuteNonQueryAsync();
            command.CommandText = $"CREATE DATABASE {Database} OWNER {User}";
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Creates an empty database owned by the test user, for a test whose processes take the store's default schema
    /// (the tool's <c>--store postgresql://...</c> names no schema); returns its name.
    /// </summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "db_" + Guid.NewGuid().ToString("N")[..20];
        await using var admin = new NpgsqlConnection(SuperConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} OWNER {User}", admin);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>The <c>postgresql://</c> address of a database of this server, as <c>run --store</c> takes it.</summary>
    public string Uri(string database) => $"postgresql://{User}:{System.Uri.EscapeDataString(Password)}@127.0.0.1:{Port}/{database}";

    /// <summary>A connection string to a database of this server, for a test's own look into it.</summary>
    public string ConnectionStringFor(string database) => ConnectionString.Replace($"Database={Database}", $"Database={database}", StringComparison.Ordinal);

    /// <summary>Restarts the server (fast shutdown: open connections are cut, as in a real restart).</summary>
    public Task RestartAsync() => PostgresAsync("pg_ctl", ["-D", Data, "-l", LogFile, "-m", "fast", "-w", "-t", "60", "restart"]);

    /// <summary>Runs SQL as the superuser (to tamper with a schema as another tool would).</summary>
    public async Task ExecuteAsSuperuserAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(SuperConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        NpgsqlConnection.ClearAllPools();
        try
        {
            await PostgresAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private void StopOnExit(object? sender, EventArgs e)
    {
        var stop = Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop"])
            : new ProcessStartInfo(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "stop"]);
        using (var process = Process.Start(stop))
        {
            process?.WaitForExit(10_000);
        }

        Directory.Delete(_root, recursive: true);
    }

    private Task StartAsync() => PostgresAsync(
        "pg_ctl",
        ["-D", Data, "-l", LogFile, "-w", "-t", "60", "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_root} -c max_connections=200 -c fsync=off", "start"]);

    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0).FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            "The PostgreSQL tests need a real server, and no initdb/pg_ctl was found under /usr/lib/postgresql/<version>/bin. Install it: apt-get update && apt-get install -y postgresql");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // As root, through runuser to the postgres user: initdb and postgres refuse to run as root.
    private Task PostgresAsync(string tool, IReadOnlyList<string> arguments)
        => Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', (await File.ReadAllLinesAsync(LogFile)).TakeLast(20)) : "(no server log)";
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}\nserver log:\n{log}");
        }
    }
}
