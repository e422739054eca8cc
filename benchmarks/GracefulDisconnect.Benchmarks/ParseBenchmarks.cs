using System.Text;
using BenchmarkDotNet.Attributes;
using GracefulDisconnect.Aws;

namespace GracefulDisconnect.Benchmarks;

/// <summary>
/// One line of each format through <see cref="ConnectionEventParser.Parse(ReadOnlySpan{byte}, ThingNamePool?)"/>
/// (format detection included), with the thing name already in the pool (DESIGN §9: 0 B per line).
/// </summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private readonly byte[] _generic = Encoding.UTF8.GetBytes(
        """{"thing":"device-000123","connected":false,"at":"2026-01-01T00:00:00.123Z","version":3,"receivedAt":"2026-01-01T00:00:00.456Z"}""");

    private readonly byte[] _lifecycle = Encoding.UTF8.GetBytes(
        """{"clientId":"device-000123","timestamp":1767225600123,"eventType":"disconnected","sessionIdentifier":"00000000-0000-0000-0000-000000000123","principalIdentifier":"12345678901234567890123456789012","clientInitiatedDisconnect":false,"disconnectReason":"CONNECTION_LOST","versionNumber":3,"receivedAt":"2026-01-01T00:00:00.456Z"}""");

    private readonly byte[] _iotRule = Encoding.UTF8.GetBytes(
        """{"thingName":"device-000123","connected":false,"timestamp":1767225600,"receivedAt":"2026-01-01T00:00:00.456Z"}""");

    private readonly ThingNamePool _names = new();

    [GlobalSetup]
    public void Setup() => _names.Get("device-000123");

    [Benchmark(Baseline = true)]
    public ConnectionEvent Generic() => ConnectionEventParser.Parse(_generic, _names);

    [Benchmark]
    public ConnectionEvent Lifecycle() => ConnectionEventParser.Parse(_lifecycle, _names);

    [Benchmark]
    public ConnectionEvent IotRuleOutput() => ConnectionEventParser.Parse(_iotRule, _names);

    /// <summary>For contrast: without a pool every line allocates its thing name.</summary>
    [Benchmark]
    public ConnectionEvent GenericUnpooled() => ConnectionEventParser.Parse(_generic);
}
