using BenchmarkDotNet.Attributes;
using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Benchmarks;

/// <summary>
/// End-to-end replay of a synthetic flapping fleet from an in-memory UTF-8 buffer to a discarding stream:
/// split lines, detect and parse each format, build the history, replay one 5 minute grace, write JSON Lines.
/// The ns/event and events/s columns divide the mean by <see cref="Events"/>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerEventConfig))]
public class ReplayBenchmarks
{
    private byte[] _input = [];
    private FleetHistory _history = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = SyntheticFleet.Generate(Events);
        _history = ReplayPipeline.Load(_input);
    }

    [Benchmark(Baseline = true, Description = "end to end")]
    public void EndToEnd() => ReplayPipeline.Run(_input, Stream.Null);

    [Benchmark(Description = "load only (read, parse, build)")]
    public FleetHistory LoadOnly() => ReplayPipeline.Load(_input);

    [Benchmark(Description = "replay + write only")]
    public void ReplayOnly() => ReplayPipeline.ReplayTo(_history, Stream.Null);

    [Benchmark(Description = "replay + write, every alert on")]
    public void ReplayWithAlerts() => ReplayPipeline.ReplayTo(_history, ReplayPipeline.AllAlerts, Stream.Null);
}
