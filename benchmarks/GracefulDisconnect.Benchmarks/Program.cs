using System.Globalization;
using BenchmarkDotNet.Running;

namespace GracefulDisconnect.Benchmarks;

/// <summary>
/// BenchmarkDotNet switcher (<c>--filter '*Decision*'</c>, <c>--job short</c>, ...), plus two console
/// measurements: <c>--memory [count] [windowSeconds]</c> and <c>--profile [events] [repeats]</c>, and
/// <c>--generate events file</c> to write the synthetic replay input for the real tool, and
/// <c>--verify-parse [count]</c> to check the parsers' fast path against the reader path.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--memory")
        {
            var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
            var window = TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5);
            return await PendingMemoryMeasurement.RunAsync(count, window);
        }

        if (args.Length == 3 && args[0] == "--generate")
        {
            // The replay input as a file, to feed the real tool: --generate 100000 events.jsonl
            await File.WriteAllBytesAsync(args[2], SyntheticFleet.Generate(int.Parse(args[1], CultureInfo.InvariantCulture)));
            return 0;
        }

        if (args.Length > 0 && args[0] == "--verify-parse")
        {
            return ParserDifferentialCheck.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000);
        }

        if (args.Length > 1 && args[0] == "--ingest-profile")
        {
            return await IngestProfile.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "--profile")
        {
            return ReplayProfile.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
