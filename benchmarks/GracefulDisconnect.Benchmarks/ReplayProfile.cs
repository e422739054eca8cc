using System.Diagnostics;
using System.Globalization;
using GracefulDisconnect.Aws;
using GracefulDisconnect.Cli.Replay;

namespace GracefulDisconnect.Benchmarks;

/// <summary>
/// <c>--profile [events] [repeats]</c> (or <c>--profile load|replay|split|parse events repeats [devices]</c> for one phase): a Stopwatch harness over the replay pipeline, phase by phase
/// (load = read + parse + build, replay = replay + write), for quick before/after checks and for running
/// under an external profiler. Not a substitute for the BenchmarkDotNet figures.
/// </summary>
internal static class ReplayProfile
{
    public static int Run(string[] args)
    {
        if (args.Length == 3 && args[0] == "parse-ab")
        {
            return ParseAb(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
        }

        if (args.Length is 3 or 4 && args[0] is "load" or "replay" or "split" or "parse")
        {
            int? devices = args.Length == 4 ? int.Parse(args[3], CultureInfo.InvariantCulture) : null;
            return RunPhase(args[0], int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), devices);
        }

        var sizes = args.Length > 0 ? [int.Parse(args[0], CultureInfo.InvariantCulture)] : new[] { 10_000, 100_000, 1_000_000 };
        var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"load {PendingMemoryMeasurement.Load()}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        foreach (var events in sizes)
        {
            var input = SyntheticFleet.Generate(events);
            var bestLoad = double.MaxValue;
            var bestReplay = double.MaxValue;
            var bestTotal = double.MaxValue;
            var bestCpu = double.MaxValue;
            long decisions = 0;
            for (var r = 0; r < repeats + 1; r++)
            {
                var gen0 = GC.CollectionCount(0);
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var process = Process.GetCurrentProcess();
                var cpu = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var history = ReplayPipeline.Load(input);
                var load = clock.Elapsed.TotalNanoseconds;
                var output = new CountingStream();
                ReplayPipeline.ReplayTo(history, output);
                var total = clock.Elapsed.TotalNanoseconds;
                process.Refresh();
                var cpuNs = (process.TotalProcessorTime - cpu).TotalNanoseconds;
                allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
                decisions = output.Lines;
                if (r == 0)
                {
                    continue; // warm-up
                }

                bestLoad = Math.Min(bestLoad, load);
                bestReplay = Math.Min(bestReplay, total - load);
                bestTotal = Math.Min(bestTotal, total);
                bestCpu = Math.Min(bestCpu, cpuNs);
                Console.WriteLine($"  {events,9:N0} run {r}: load {load / events,6:F1} ns/ev, replay+write {(total - load) / events,6:F1} ns/ev, "
                    + $"total {total / events,6:F1} ns/ev, cpu {cpuNs / events,6:F1} ns/ev; {allocated / (double)events,6:F1} B/ev; gen0 {GC.CollectionCount(0) - gen0}");
            }

            Console.WriteLine($"{events,9:N0} events, {input.Length / (double)events:F0} B/line, {decisions:N0} decisions: best load {bestLoad / events:F1} ns/ev, "
                + $"best replay+write {bestReplay / events:F1} ns/ev, best total {bestTotal / events:F1} ns/ev = {events / (bestTotal / 1e9) / 1e6:F2} M events/s; best process CPU {bestCpu / events:F1} ns/ev; load {PendingMemoryMeasurement.Load()}");
        }

        return 0;
    }

    // One phase many times, min and median: on a shared machine the minimum is the least disturbed figure.
    private static int RunPhase(string phase, int events, int repeats, int? devices)
    {
        var input = SyntheticFleet.Generate(events, devices: devices);
        var history = ReplayPipeline.Load(input);
        var samples = new double[repeats];
        for (var r = -3; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            if (phase == "load")
            {
                history = ReplayPipeline.Load(input);
            }
            else if (phase is "split" or "parse")
            {
                SplitAndParse(input, phase == "parse");
            }
            else
            {
                ReplayPipeline.ReplayTo(history, Stream.Null);
            }

            if (r >= 0)
            {
                samples[r] = clock.Elapsed.TotalNanoseconds / events;
            }
        }

        Array.Sort(samples);
        Console.WriteLine($"{phase} {events:N0} events, {devices ?? SyntheticFleet.DevicesFor(events):N0} devices: min {samples[0]:F1} ns/ev, median {samples[repeats / 2]:F1} ns/ev over {repeats} runs; load {PendingMemoryMeasurement.Load()}");
        return 0;
    }

    // The parsers' fast path against the reader path alone, alternating in one process so that both see the same
    // machine load; the minimum of each is the least disturbed figure.
    private static int ParseAb(int events, int rounds)
    {
        var lines = new List<byte[]>(events);
        var input = SyntheticFleet.Generate(events).AsSpan();
        while (!input.IsEmpty)
        {
            var end = input.IndexOf((byte)'\n');
            lines.Add(input[..end].ToArray());
            input = input[(end + 1)..];
        }

        double fast = double.MaxValue, reader = double.MaxValue;
        for (var r = -2; r < rounds; r++)
        {
            var names = new ThingNamePool();
            long sum = 0;
            var clock = Stopwatch.StartNew();
            foreach (var line in lines)
            {
                sum += ConnectionEventParser.Parse(line, names).At.Ticks;
            }

            var fastNs = clock.Elapsed.TotalNanoseconds / events;
            names = new ThingNamePool();
            clock.Restart();
            foreach (var line in lines)
            {
                sum -= ConnectionEventParser.ParseWithReader(line, names).At.Ticks;
            }

            var readerNs = clock.Elapsed.TotalNanoseconds / events;
            if (sum != 0)
            {
                throw new InvalidOperationException("the two paths disagree");
            }

            if (r >= 0)
            {
                fast = Math.Min(fast, fastNs);
                reader = Math.Min(reader, readerNs);
            }
        }

        Console.WriteLine($"parse {events:N0} lines: fast path min {fast:F1} ns/line, reader path min {reader:F1} ns/line over {rounds} alternations; load {PendingMemoryMeasurement.Load()}");
        return 0;
    }

    // The load phase without the history: lines only, or lines and parsing, to see where load time goes.
    private static void SplitAndParse(byte[] input, bool parse)
    {
        var names = new ThingNamePool();
        long sum = 0;
        using var stream = new MemoryStream(input, writable: false);
        JsonLineReader.ReadAsync(
            stream,
            (_, line) =>
            {
                sum += parse ? ConnectionEventParser.Parse(line, names).At.Ticks : line.Length;
                return true;
            },
            _ => false,
            CancellationToken.None).GetAwaiter().GetResult();
        GC.KeepAlive(sum);
    }

    /// <summary>Discards what is written but counts lines, so a replay that writes nothing would be noticed.</summary>
    private sealed class CountingStream : Stream
    {
        public long Lines { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => 0;

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Lines += buffer.AsSpan(offset, count).Count((byte)'\n');

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
