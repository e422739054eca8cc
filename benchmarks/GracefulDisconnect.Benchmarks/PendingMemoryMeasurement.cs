using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Benchmarks;

/// <summary>
/// <c>--memory</c>: the two §9 figures that a BenchmarkDotNet table cannot show.
/// (1) Bytes per pending re-check with 10⁶ pending in <see cref="InMemoryScheduler"/>, measured with
/// <see cref="GC.GetTotalMemory(bool)"/> around the scheduling, the thing names counted separately.
/// (2) Lateness: 10⁶ re-checks due within a few seconds on the real <see cref="TimeProvider.System"/>;
/// every one must reach the handler, none more than 1 s after its due time.
/// </summary>
internal static class PendingMemoryMeasurement
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(int count, TimeSpan window)
    {
        Console.WriteLine($"pending re-checks: {count:N0}; machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {Load()}");
        await MeasureMemoryAsync(count);
        var ok = await MeasureLatenessAsync(count, window);
        return ok ? 0 : 1;
    }

    private static async Task MeasureMemoryAsync(int count)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = SyntheticFleet.DeviceName(i + 1);
        }

        var withNames = GC.GetTotalMemory(forceFullCollection: true);
        var handler = new CountingHandler(Grace);
        var scheduler = NewScheduler(handler);
        var empty = GC.GetTotalMemory(forceFullCollection: true);

        var now = TimeProvider.System.GetUtcNow();
        var dueAt = now + Grace;
        for (var i = 0; i < count; i++)
        {
            await scheduler.ScheduleAsync(new DisconnectTrigger(names[i], now, i), dueAt);
        }

        var full = GC.GetTotalMemory(forceFullCollection: true);
        var pending = scheduler.PendingCount;
        var namesBytes = withNames - baseline;
        var schedulerBytes = full - empty;
        Console.WriteLine($"memory: {pending:N0} pending; scheduler {schedulerBytes:N0} B = {(double)schedulerBytes / count:F1} B/re-check without names; "
            + $"names {namesBytes:N0} B = {(double)namesBytes / count:F1} B each; total {(double)(schedulerBytes + namesBytes) / count:F1} B/re-check (target <= 150)");
        GC.KeepAlive(names);
        await scheduler.DisposeAsync();
    }

    private static async Task<bool> MeasureLatenessAsync(int count, TimeSpan window)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = SyntheticFleet.DeviceName(i + 1);
        }

        var handler = new CountingHandler(Grace);
        var scheduler = NewScheduler(handler);
        var lead = TimeSpan.FromSeconds(2);
        var start = TimeProvider.System.GetUtcNow();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            // Spread evenly over the window, starting far enough ahead that scheduling itself is not in the way.
            var dueAt = start + lead + (window * ((double)i / count));
            await scheduler.ScheduleAsync(new DisconnectTrigger(names[i], dueAt - Grace), dueAt);
        }

        var scheduling = clock.Elapsed;
        var lastDue = start + lead + window;
        while (handler.Calls < count && TimeProvider.System.GetUtcNow() < lastDue + TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        await scheduler.DisposeAsync();
        var lateness = TimeSpan.FromTicks(handler.MaxLatenessTicks);
        var ok = handler.Calls == count && lateness <= TimeSpan.FromSeconds(1);
        Console.WriteLine($"firing: scheduled {count:N0} in {scheduling.TotalMilliseconds:F0} ms, due over {window.TotalSeconds:F0} s; handler calls {handler.Calls:N0}; "
            + $"max lateness {lateness.TotalMilliseconds:F1} ms, early calls {handler.EarlyCalls:N0}; target all within 1 s: {(ok ? "met" : "MISSED")}; load {Load()}");
        return ok;
    }

    private static InMemoryScheduler NewScheduler(IRecheckHandler handler) => new(
        () => handler,
        TimeProvider.System,
        Options.Create(new GracefulDisconnectOptions()),
        NullLogger<InMemoryScheduler>.Instance,
        new GracefulDisconnectMetrics());

    internal static string Load()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private sealed class CountingHandler(TimeSpan grace) : IRecheckHandler
    {
        private long _calls;
        private long _early;
        private long _maxLatenessTicks;

        public long Calls => Interlocked.Read(ref _calls);

        public long EarlyCalls => Interlocked.Read(ref _early);

        public long MaxLatenessTicks => Interlocked.Read(ref _maxLatenessTicks);

        public ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
        {
            var lateness = TimeProvider.System.GetUtcNow().UtcTicks - (trigger.DisconnectedAt.UtcTicks + grace.Ticks);
            if (lateness < 0)
            {
                Interlocked.Increment(ref _early);
            }

            var max = Interlocked.Read(ref _maxLatenessTicks);
            while (lateness > max)
            {
                var seen = Interlocked.CompareExchange(ref _maxLatenessTicks, lateness, max);
                if (seen == max)
                {
                    break;
                }

                max = seen;
            }

            Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(new RecheckOutcome(RecheckResult.SkippedReconnected));
        }
    }
}
