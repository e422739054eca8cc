using BenchmarkDotNet.Attributes;
using GracefulDisconnect.Sqlite;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Benchmarks;

/// <summary>
/// What <c>gracefuldisconnect run</c> does with its input once parsed: <see cref="DeviceEngine.RecordAsync"/> in
/// batches of <see cref="Batch"/> events (what the tool commits at once when it reads a file), each batch one commit,
/// into a fresh SQLite device store (baseline: the in-memory store, the engine's own cost). A flapping fleet of
/// <c>events / 20</c> devices; the grace is a day, so only recording is measured, not re-checks.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerEventConfig))]
public class DurableIngestBenchmarks : IDisposable
{
    // What the tool commits at once when it reads a file.
    private const int Batch = GracefulDisconnect.Cli.Run.EventLineSource.MaxFileBatch;

    private ConnectionEvent[][] _batches = [];
    private string _folder = string.Empty;
    private IDeviceStore _store = null!;
    private DeviceEngine _engine = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("gd-ingest-bench-").FullName;
        _batches = Workload(Events);
    }

    /// <summary>The workload: a flapping fleet of <c>events / 20</c> devices, in batches of <see cref="Batch"/>.</summary>
    internal static ConnectionEvent[][] Workload(int count)
    {
        var random = new Random(7);
        var devices = Math.Max(50, count / 20);
        var connected = new bool[devices];
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        var events = new ConnectionEvent[count];
        for (var i = 0; i < events.Length; i++)
        {
            var device = random.Next(devices);
            connected[device] = !connected[device];
            at = at.AddMilliseconds(random.Next(0, 3));
            events[i] = new ConnectionEvent(SyntheticFleet.DeviceName(device), connected[device], at, Version: i / devices);
        }

        return [.. events.Chunk(Batch)];
    }

    [IterationSetup(Target = nameof(Sqlite))]
    public void OpenSqlite() => Open(SqliteDeviceStore.Open(Path.Combine(_folder, $"{Guid.NewGuid():N}.db")));

    [IterationSetup(Target = nameof(InMemory))]
    public void OpenInMemory() => Open(new InMemoryDeviceStore());

    [IterationCleanup]
    public void Close()
    {
        _engine.Dispose();
        (_store as IDisposable)?.Dispose();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    public void Dispose()
    {
        _engine?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "in-memory store")]
    public async Task InMemory() => await RecordAllAsync();

    [Benchmark(Description = "SQLite store, one commit per batch")]
    public async Task Sqlite() => await RecordAllAsync();

    private async Task RecordAllAsync()
    {
        foreach (var batch in _batches)
        {
            await _engine.RecordAsync(batch);
        }
    }

    private void Open(IDeviceStore store)
    {
        _store = store;
        var options = Options.Create(new GracefulDisconnectOptions { GracePeriod = TimeSpan.FromDays(1) });
        _engine = new DeviceEngine(store, reader: null, [new DiscardingNotifier()], options, new NotificationFormatter(options), TimeProvider.System, new GracefulDisconnectMetrics());
    }

    internal sealed class DiscardingNotifier : INotifier
    {
        public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
