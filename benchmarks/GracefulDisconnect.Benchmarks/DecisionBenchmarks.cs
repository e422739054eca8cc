using BenchmarkDotNet.Attributes;

namespace GracefulDisconnect.Benchmarks;

/// <summary><see cref="GracePeriodDecision.Decide"/> along each verdict path (DESIGN §9: a few ns, 0 B).</summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private static readonly DateTimeOffset DisconnectedAt = new(2026, 1, 1, 12, 0, 0, 451, TimeSpan.Zero);

    // Fields, not constants, so the JIT cannot fold the decision away.
    private readonly DisconnectTrigger _trigger = new("device-000001", DisconnectedAt, 7);
    private readonly ConnectionSnapshot? _stillOfflineSameOutage = new(false, new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), 7);
    private readonly ConnectionSnapshot? _offlineNewerOutage = new(false, DisconnectedAt.AddMinutes(2), 8);
    private readonly ConnectionSnapshot? _reconnected = new(true, DisconnectedAt.AddSeconds(20), 8);
    private ConnectionSnapshot? _unknown = new(true, DisconnectedAt);
    private readonly DateTimeOffset _due = DisconnectedAt.AddMinutes(5);
    private readonly DateTimeOffset _early = DisconnectedAt.AddMinutes(1);
    private readonly TimeSpan _grace = TimeSpan.FromMinutes(5);

    // No snapshot: the thing or its shadow does not exist.
    [GlobalSetup]
    public void Setup() => _unknown = null;

    [Benchmark(Baseline = true)]
    public Verdict Notify() => GracePeriodDecision.Decide(_trigger, _stillOfflineSameOutage, _due, _grace);

    [Benchmark]
    public Verdict SkipSuperseded() => GracePeriodDecision.Decide(_trigger, _offlineNewerOutage, _due, _grace);

    [Benchmark]
    public Verdict SkipReconnected() => GracePeriodDecision.Decide(_trigger, _reconnected, _due, _grace);

    [Benchmark]
    public Verdict SkipUnknownThing() => GracePeriodDecision.Decide(_trigger, _unknown, _due, _grace);

    [Benchmark]
    public Verdict NotYetDue() => GracePeriodDecision.Decide(_trigger, _stillOfflineSameOutage, _early, _grace);
}
