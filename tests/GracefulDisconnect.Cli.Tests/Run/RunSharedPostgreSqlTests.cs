using System.Globalization;
using System.Text.Json;
using GracefulDisconnect.Cli.Tests.Support;
using GracefulDisconnect.Testing.PostgreSql;
using Npgsql;
using Xunit.Abstractions;
using static GracefulDisconnect.Cli.Tests.Run.RunWorkspace;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>
/// Two real <c>gracefuldisconnect run --store postgresql://...</c> processes on one database, each with its own
/// <c>--notify-file</c> and a shared webhook channel (a loopback receiver that answers slowly), receiving the events of
/// the same devices split at random between them. The one that is mid-send is killed -9 with a webhook request on the
/// wire, its claimed notifications unsent and re-checks still pending in the database; the survivor carries all of it
/// once the lease (<c>--lease 3s</c>) has run out. The notify files together hold every outage longer than the grace
/// exactly once, none for blips; the webhook acknowledged each once, and heard again only the one that was on the wire.
/// </summary>
[Collection(PostgresServerGroup.Name)]
public sealed class RunSharedPostgreSqlTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Blip = TimeSpan.FromMilliseconds(300);
    private readonly string _root = Directory.CreateTempSubdirectory("gd-run-pg-").FullName;
    private readonly List<RunningCli> _processes = [];
    private string _database = string.Empty;

    private string WorkingDirectory => Path.Combine(_root, "work");

    private string Out => Path.Combine(_root, "out");

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        Directory.CreateDirectory(WorkingDirectory);
        Directory.CreateDirectory(Out);
    }

    [Fact]
    public async Task TwoProcesses_OneKilledMidSend_TheSurvivorCarriesItsRechecksAndUnsentNotifications_EachOutageOnce()
    {
        using var receiver = new HoldingWebhookReceiver(TimeSpan.FromMilliseconds(200));
        var names = new[] { "a", "b" };
        var processes = names.ToDictionary(name => name, name => Start(name, receiver));
        var random = new Random(1414);
        string Pick() => names[random.Next(2)];
        var expected = new HashSet<string>(StringComparer.Ordinal);

        // Wave 1: long outages and blips; every event goes to either process, some to both (an at-least-once source).
        var t0 = Now();
        var downs = names.ToDictionary(name => name, _ => new List<string>());
        var ups = names.ToDictionary(name => name, _ => new List<string>());
        for (var i = 0; i < 24; i++)
        {
            var thing = $"w1-long-{i:00}";
            downs[Pick()].Add(Down(thing, t0));
            if (i % 4 == 0)
            {
                downs[Pick()].Add(Down(thing, t0));
            }

            expected.Add(OutageId(thing, t0));
        }

        for (var i = 0; i < 8; i++)
        {
            downs[Pick()].Add(Down($"w1-blip-{i}", t0));
            ups[Pick()].Add(Up($"w1-blip-{i}", t0 + Blip));
        }

        await WriteAsync(processes, downs);
        await UntilPastAsync(t0 + Blip);
        await WriteAsync(processes, ups);

        // The process that is sending to the slow webhook once wave 1 came due is the one to kill.
        string? victim = null;
        await UntilAsync(
            () => (victim = names.FirstOrDefault(name => receiver.AnsweredFrom(name) >= 2)) is not null,
            () => $"a process to be sending wave 1 to the webhook\n{Describe(processes)}");
        var survivor = names.Single(name => name != victim);

        // Wave 2, recorded before the kill and due after it: re-checks pending in the database.
        var t1 = Now();
        var wave2 = new List<string>();
        downs = names.ToDictionary(name => name, _ => new List<string>());
        ups = names.ToDictionary(name => name, _ => new List<string>());
        for (var i = 0; i < 12; i++)
        {
            var thing = $"w2-long-{i:00}";
            downs[Pick()].Add(Down(thing, t1));
            expected.Add(OutageId(thing, t1));
            wave2.Add(OutageId(thing, t1));
        }

        for (var i = 0; i < 6; i++)
        {
            downs[Pick()].Add(Down($"w2-blip-{i}", t1));
            ups[Pick()].Add(Up($"w2-blip-{i}", t1 + Blip));
        }

        await WriteAsync(processes, downs);
        await UntilPastAsync(t1 + Blip);
        await WriteAsync(processes, ups);
        await UntilAsync(
            () => Enumerable.Range(0, 12).All(i => StoredState($"w2-long-{i:00}") == false) && Enumerable.Range(0, 6).All(i => StoredState($"w2-blip-{i}") == true),
            () => $"wave 2 to be recorded\n{Describe(processes)}");

        // Mid-send: the victim's next webhook request stays on the wire, unanswered, and the process dies with it.
        receiver.StopAnswering(victim!);
        await UntilAsync(() => receiver.HeldFrom(victim!).Count == 1, () => $"the victim's next request to be held\n{Describe(processes)}");
        var onTheWire = receiver.HeldFrom(victim!)[0];
        processes[victim!].Kill();
        var killedAt = DateTimeOffset.UtcNow;
        var unsentAtKill = Count("SELECT count(*) FROM gracefuldisconnect.delivery WHERE delivered_at IS NULL AND lease_until > now()");
        var pendingAtKill = Count("SELECT count(*) FROM gracefuldisconnect.device WHERE wake_at IS NOT NULL");
        output.WriteLine($"killed {victim} with {onTheWire} on the wire, {unsentAtKill} claimed unsent, {pendingAtKill} re-checks pending");
        Assert.True(unsentAtKill > 0, "the victim held claimed, unsent notifications when it was killed");
        Assert.True(pendingAtKill >= 12, "wave 2's re-checks were pending when the victim was killed");

        // The survivor sends what the victim had claimed once the lease has run out, and steps wave 2.
        await UntilAsync(
            () => Count("SELECT count(*) FROM gracefuldisconnect.delivery WHERE delivered_at IS NULL") == 0
                && Count("SELECT count(*) FROM gracefuldisconnect.device WHERE wake_at IS NOT NULL") == 0
                && Count("SELECT count(*) FROM gracefuldisconnect.delivery") == 2 * expected.Count,
            () => $"the survivor to deliver everything\n{Describe(processes)}");
        var tookOverAfter = DateTimeOffset.UtcNow - killedAt;
        processes[survivor].Signal("TERM");
        Assert.True(await processes[survivor].WaitForExitAsync() == 0, processes[survivor].ToString());

        // The notify files together: every long outage once, no blip.
        var filed = names.SelectMany(name => NotifiedIds(name)).ToList();
        Assert.True(filed.Count == filed.Distinct().Count(), "notified twice across the files: " + string.Join(", ", filed.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key)));
        Assert.True(expected.SetEquals(filed), $"expected {string.Join(", ", expected.Order())}\nfiled {string.Join(", ", filed.Order())}\n{Describe(processes)}");
        Assert.Subset(NotifiedIds(survivor).ToHashSet(), wave2.ToHashSet());

        // The webhook: each acknowledged once; the one on the wire at the kill was sent again, by the survivor, once.
        var answered = receiver.Answered.Select(r => r.Id).ToList();
        Assert.True(expected.SetEquals(answered) && answered.Count == expected.Count, $"answered: {string.Join(", ", receiver.Answered)}");
        Assert.Equal([onTheWire], receiver.Received.Where(r => !r.Done).ToList());
        Assert.Single(receiver.Answered, r => r.Id == onTheWire.Id && r.Sender == survivor);
        Assert.True(tookOverAfter >= TimeSpan.FromSeconds(3), $"the survivor took over after the lease, not within it ({tookOverAfter})");

        // The data is in PostgreSQL: nothing was written to the working directory.
        Assert.Empty(Directory.EnumerateFileSystemEntries(WorkingDirectory));
        Assert.DoesNotContain("   at ", processes[survivor].StdErr, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private RunningCli Start(string name, HoldingWebhookReceiver receiver)
    {
        var config = Path.Combine(Out, $"{name}.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            GracefulDisconnect = new { Webhook = new { Url = receiver.UrlFor(name), Secret = "shared-secret-of-the-test-0123456789" } },
        }));
        var process = RunningCli.Start(
            WorkingDirectory,
            null,
            "run", "--grace", Grace, "--store", server.Uri(_database), "--notify-file", NotifyPath(name), "--config", config, "--lease", "3s");
        _processes.Add(process);
        return process;
    }

    private string NotifyPath(string name) => Path.Combine(Out, $"{name}.jsonl");

    private static async Task WriteAsync(Dictionary<string, RunningCli> processes, Dictionary<string, List<string>> lines)
    {
        foreach (var (name, batch) in lines)
        {
            if (batch.Count > 0)
            {
                await processes[name].WriteLinesAsync([.. batch]);
            }
        }
    }

    private List<string> NotifiedIds(string name)
    {
        var path = NotifyPath(name);
        var ids = new List<string>();
        foreach (var line in File.Exists(path) ? File.ReadAllLines(path) : [])
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal("notify", document.RootElement.GetProperty("verdict").GetString());
            ids.Add(document.RootElement.GetProperty("id").GetString()!);
        }

        return ids;
    }

    private bool? StoredState(string thing)
    {
        try
        {
            using var connection = new NpgsqlConnection(server.ConnectionStringFor(_database));
            connection.Open();
            using var command = new NpgsqlCommand("SELECT state FROM gracefuldisconnect.device WHERE thing = @thing", connection);
            command.Parameters.AddWithValue("thing", thing);
            if (command.ExecuteScalar() is not string state)
            {
                return null;
            }

            // The device record's newest observed change: {"l":{"c":true|false,...},...}.
            using var record = JsonDocument.Parse(state);
            return record.RootElement.TryGetProperty("l", out var last) ? last.GetProperty("c").GetBoolean() : null;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The schema is being created right now.
            return null;
        }
    }

    private long Count(string sql)
    {
        using var connection = new NpgsqlConnection(server.ConnectionStringFor(_database));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Describe(Dictionary<string, RunningCli> processes) => string.Join("\n", processes.Values.Select(p => p.ToString()));
}
