using System.Diagnostics.Metrics;

namespace GracefulDisconnect.Tests.Diagnostics;

/// <summary>The README's Observability section lists every instrument of the meter, with its unit, and every span.</summary>
public sealed class ObservabilityReadmeTests
{
    [Fact]
    public void Readme_ObservabilitySection_ListsEveryInstrumentWithItsUnit()
    {
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == GracefulDisconnectMetrics.MeterName)
                {
                    lock (instruments)
                    {
                        instruments.Add(instrument);
                    }
                }
            },
        };
        listener.Start();
        using var meterFactory = new Support.TestMeterFactory();
        using var metrics = new GracefulDisconnectMetrics(meterFactory);

        var section = ObservabilitySection();
        var ours = instruments.Where(instrument => instrument.Meter.Scope == meterFactory).ToList();
        Assert.Equal(6, ours.Count);
        Assert.All(ours, instrument => Assert.Contains($"| `{instrument.Name}` | {Kind(instrument)} | `{instrument.Unit}` |", section, StringComparison.Ordinal));
    }

    [Fact]
    public void Readme_ObservabilitySection_NamesTheSourceAndEverySpan()
    {
        var section = ObservabilitySection();
        string[] spans = [GracefulDisconnectActivitySource.Record, GracefulDisconnectActivitySource.Due, GracefulDisconnectActivitySource.Read, GracefulDisconnectActivitySource.Recheck, GracefulDisconnectActivitySource.Commit, GracefulDisconnectActivitySource.Deliver];

        Assert.Contains($"AddSource(\"{GracefulDisconnectActivitySource.Name}\")", section, StringComparison.Ordinal);
        Assert.Contains($"AddMeter(\"{GracefulDisconnectMetrics.MeterName}\")", section, StringComparison.Ordinal);
        Assert.All(spans, span => Assert.Contains($"| `{span}`:", section, StringComparison.Ordinal));
        Assert.Contains("builder.Services.AddGracefulDisconnectHealthChecks();", section, StringComparison.Ordinal);
    }

    private static string Kind(Instrument instrument) => instrument.GetType().GetGenericTypeDefinition().Name switch
    {
        "Counter`1" => "counter",
        "UpDownCounter`1" => "up-down counter",
        "Histogram`1" => "histogram",
        var other => other,
    };

    private static string ObservabilitySection()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "GracefulDisconnect.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("The repository root (GracefulDisconnect.sln) is not above the test's directory.");
        }

        var readme = File.ReadAllText(Path.Combine(directory.FullName, "README.md"));
        var start = readme.IndexOf("\n## Observability\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no Observability section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }
}
