using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace GracefulDisconnect.Tests.Support;

/// <summary>
/// Meters scoped to one test: a <c>MetricCollector</c> created with this factory as its scope sees
/// only this test's measurements, even while other tests record on meters of the same name.
/// </summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly ConcurrentBag<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
