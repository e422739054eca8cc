using System.Diagnostics;
using System.Globalization;
using GracefulDisconnect.Sqlite;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Benchmarks;

/// <summary>
/// <c>--ingest-profile EVENTS [memory|sqlite]</c>: the durable-ingest workload of <see cref="DurableIngestBenchmarks"/>
/// once, with the time split between the engine and the store's commits and loads, bytes allocated per event and
/// garbage collections: what a BenchmarkDotNet mean cannot say about where the time goes.
/// </summary>
internal static class IngestProfile
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(args[0], CultureInfo.InvariantCulture);
        var kind = args.Length > 1 ? args[1] : "sqlite";
        var batches = DurableIngestBenchmarks.Workload(count);
        var folder = Directory.CreateTempSubdirectory("gd-ingest-profile-").FullName;
        try
        {
            IDeviceStore inner = kind == "memory" ? new InMemoryDeviceStore() : SqliteDeviceStore.Open(Path.Combine(folder, "store.db"));
            var store = new TimedStore(inner);
            var options = Options.Create(new GracefulDisconnectOptions { GracePeriod = TimeSpan.FromDays(1) });
            using var engine = new DeviceEngine(store, reader: null, [new DurableIngestBenchmarks.DiscardingNotifier()], options, new NotificationFormatter(options), TimeProvider.System, new GracefulDisconnectMetrics());
            var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            foreach (var batch in batches)
            {
                await engine.RecordAsync(batch);
            }

            clock.Stop();
            var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind} {count:N0} events: {clock.Elapsed.TotalSeconds:F2} s = {count / clock.Elapsed.TotalSeconds:N0} events/s (CPU {cpuUsed.TotalSeconds:F2} s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  store commits {store.Commit.TotalSeconds:F2} s, loads {store.Load.TotalSeconds:F2} s, engine {(clock.Elapsed - store.Commit - store.Load).TotalSeconds:F2} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  allocated {bytes / (double)count:N0} B/event; GC gen0 {GC.CollectionCount(0) - gcs.Item1}, gen1 {GC.CollectionCount(1) - gcs.Item2}, gen2 {GC.CollectionCount(2) - gcs.Item3}; GC pause {GC.GetTotalPauseDuration().TotalSeconds:F2} s"));
            (inner as IDisposable)?.Dispose();
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class TimedStore(IDeviceStore inner) : IDeviceStore
    {
        public TimeSpan Commit { get; private set; }

        public TimeSpan Load { get; private set; }

        public async ValueTask<IReadOnlyList<StoredDevice>> LoadAsync(IReadOnlyCollection<string> thingNames, CancellationToken cancellationToken = default)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await inner.LoadAsync(thingNames, cancellationToken);
            Load += Stopwatch.GetElapsedTime(started);
            return result;
        }

        public async ValueTask<IReadOnlyCollection<string>> CommitAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken = default)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await inner.CommitAsync(changes, cancellationToken);
            Commit += Stopwatch.GetElapsedTime(started);
            return result;
        }

        public ValueTask<IReadOnlyList<string>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default) => inner.ClaimDueAsync(now, lease, max, cancellationToken);

        public ValueTask<IReadOnlyList<PendingDelivery>> ClaimDeliveriesAsync(string channel, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default) => inner.ClaimDeliveriesAsync(channel, now, lease, max, cancellationToken);

        public ValueTask CompleteDeliveryAsync(long sequence, CancellationToken cancellationToken = default) => inner.CompleteDeliveryAsync(sequence, cancellationToken);

        public ValueTask RetryDeliveryAsync(long sequence, DateTimeOffset retryAt, CancellationToken cancellationToken = default) => inner.RetryDeliveryAsync(sequence, retryAt, cancellationToken);

        public ValueTask<IReadOnlyList<ListedDevice>> ListByStatusAsync(DeviceStatusQuery query, CancellationToken cancellationToken = default) => inner.ListByStatusAsync(query, cancellationToken);

        public ValueTask<DeviceStoreCounts> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);
    }
}
