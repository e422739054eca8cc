using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GracefulDisconnect.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>
/// One temp folder holding the <c>--store</c> and the <c>--notify-file</c> of a series of <c>run</c>
/// processes (a process and its restarts), with what the tests need around them: event lines stamped with
/// real times, a look into the store, the notification file read back, and bounded polling.
/// </summary>
internal sealed class RunWorkspace : IAsyncDisposable
{
    public const string Grace = "2s";
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(2);

    private readonly List<RunningCli> _processes = [];

    public RunWorkspace()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"gd-run-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>Environment variables of every process started from now on (configuration such as <c>GracefulDisconnect__...</c>).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public string StorePath => Path.Combine(Folder, "store.db");

    public string NotifyPath => Path.Combine(Folder, "notifications.jsonl");

    /// <summary>Starts <c>run --grace 2s --store … --notify-file …</c> plus <paramref name="extra"/>, reading standard input.</summary>
    public RunningCli Start(params string[] extra)
        => StartRaw(["run", "--grace", Grace, "--store", StorePath, "--notify-file", NotifyPath, .. extra]);

    public RunningCli StartRaw(params string[] args)
    {
        var process = RunningCli.Start(Folder, Environment, args);
        _processes.Add(process);
        return process;
    }

    // Event lines, in the three formats `run` reads; times are real (the stream is live).
    public static string Down(string thing, DateTimeOffset at) => Generic(thing, false, at);

    public static string Up(string thing, DateTimeOffset at) => Generic(thing, true, at);

    public static string Generic(string thing, bool connected, DateTimeOffset at)
        => $$"""{"thing":"{{thing}}","connected":{{(connected ? "true" : "false")}},"at":"{{Iso(at)}}"}""";

    public static string LifecycleDown(string clientId, DateTimeOffset at, long version)
        => $$"""{"clientId":"{{clientId}}","timestamp":{{at.ToUnixTimeMilliseconds()}},"eventType":"disconnected","versionNumber":{{version}},"clientInitiatedDisconnect":false,"disconnectReason":"CONNECTION_LOST"}""";

    public static string RuleDown(string thingName, DateTimeOffset at)
        => $$"""{"thingName":"{{thingName}}","connected":false,"timestamp":{{at.ToUnixTimeSeconds()}}}""";

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The outage id the notifications carry: <c>{thing}@{epoch seconds}</c>.</summary>
    public static string OutageId(string thing, DateTimeOffset offlineSince)
        => string.Create(CultureInfo.InvariantCulture, $"{thing}@{offlineSince.ToUnixTimeSeconds()}");

    /// <summary>Now, in whole milliseconds (what the lines carry).</summary>
    public static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>Lines that must be reported and skipped: not JSON, a wrong type, an invalid thing name, invalid UTF-8.</summary>
    public static byte[][] MalformedLines() =>
    [
        "oops"u8.ToArray(),
        """{"thing":"x1","connected":1,"at":"2026-01-01T00:00:00Z"}"""u8.ToArray(),
        """{"thing":"bad\u001bname","connected":false,"at":"2026-01-01T00:00:00Z"}"""u8.ToArray(),
        Encoding.UTF8.GetBytes($$"""{"thing":"{{new string('n', 129)}}","connected":false,"at":"2026-01-01T00:00:00Z"}"""),
        [.. "{\"thing\":\"bad"u8, 0xC3, 0x28, .. "\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"}"u8],
        """{"thing":"truncated","connected":fal"""u8.ToArray(),
    ];

    /// <summary>A line over the 64 KiB limit: a valid disconnect padded with a long unknown field, so only its size is wrong.</summary>
    public static byte[] OversizedLine(string thing, DateTimeOffset at)
        => Encoding.UTF8.GetBytes($$"""{"thing":"{{thing}}","connected":false,"at":"{{Iso(at)}}","padding":"{{new string('p', 70 * 1024)}}"}""");

    public static byte[] Lines(params byte[][] lines) => [.. lines.SelectMany(line => line.Append((byte)'\n'))];

    /// <summary>The stored state of a thing: true connected, false disconnected, null unknown (or no store yet).</summary>
    public bool? StoredState(string thing)
    {
        if (!File.Exists(StorePath))
        {
            return null;
        }

        try
        {
            using var connection = OpenStore();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT state FROM device WHERE thing = $thing";
            command.Parameters.AddWithValue("$thing", thing);
            if (command.ExecuteScalar() is not string state)
            {
                return null;
            }

            // The device record's newest observed change: {"l":{"c":true|false,...},...}.
            using var record = JsonDocument.Parse(state);
            return record.RootElement.TryGetProperty("l", out var last) ? last.GetProperty("c").GetBoolean() : null;
        }
        catch (SqliteException)
        {
            // The schema is being created right now.
            return null;
        }
    }

    /// <summary>Rows of a table of the store (after the processes ended).</summary>
    public long Count(string sql)
    {
        using var connection = OpenStore();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The things of the notification file's whole lines, in order (the process may be writing the next one right now).</summary>
    public List<string> NotifiedThings()
    {
        if (!File.Exists(NotifyPath))
        {
            return [];
        }

        var text = File.ReadAllText(NotifyPath);
        return [.. text[..(text.LastIndexOf('\n') + 1)]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("thing").GetString()!)];
    }

    /// <summary>The notification file's lines (a missing file is empty).</summary>
    public string[] NotificationLines()
        => File.Exists(NotifyPath)
            ? File.ReadAllText(NotifyPath, Encoding.UTF8).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : [];

    /// <summary>The ids of the notifications written, each once per line; fails on a line that is not a whole notification.</summary>
    public List<string> NotifiedIds()
    {
        var ids = new List<string>();
        foreach (var line in NotificationLines())
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            Assert.Equal("notify", root.GetProperty("verdict").GetString());
            Assert.Equal("00:00:02", root.GetProperty("grace").GetString());
            var id = root.GetProperty("id").GetString()!;
            Assert.StartsWith(root.GetProperty("thing").GetString() + "@", id, StringComparison.Ordinal);
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>The notification file holds exactly these outages, each on one line.</summary>
    public void AssertNotifiedExactly(IEnumerable<string> expectedIds, string context)
    {
        var ids = NotifiedIds();
        var duplicates = ids.GroupBy(id => id).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        Assert.True(duplicates.Count == 0, $"notified twice: {string.Join(", ", duplicates)}\n{context}");
        Assert.True(
            new HashSet<string>(expectedIds).SetEquals(ids),
            $"expected {string.Join(", ", expectedIds.Order())}\nnotified {string.Join(", ", ids.Order())}\n{context}");
    }

    /// <summary>Polls (never sleeps a fixed time) until the condition holds; fails after <see cref="RunningCli.Limit"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, Func<string> what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > RunningCli.Limit)
            {
                Assert.Fail($"Timed out after {RunningCli.Limit.TotalSeconds} s waiting for {what()}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Waits until the wall clock has passed <paramref name="instant"/> (a re-check comes due, say).</summary>
    public static async Task UntilPastAsync(DateTimeOffset instant)
    {
        var wait = instant - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private SqliteConnection OpenStore()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = StorePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 5 }.ToString());
        connection.Open();
        return connection;
    }
}
