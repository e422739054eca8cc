using System.Diagnostics.Metrics;
using GracefulDisconnect.Cli.Run.Http;

namespace GracefulDisconnect.Cli.Tests.Run.Http;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void Scrape_CountersGaugesAndHistograms_InTheTextExpositionFormat()
    {
        using var exporter = new PrometheusExporter();
        using var meter = new Meter(GracefulDisconnectMetrics.MeterName + ".Test" + Guid.NewGuid().ToString("N"));
        var counter = meter.CreateCounter<long>("gd.test.things", "{thing}", "Things \"counted\".");
        var gauge = meter.CreateUpDownCounter<long>("gd.test.pending");
        var histogram = meter.CreateHistogram<double>("gd.test.delay", "s");
        using var unrelated = new Meter("SomethingElse");
        unrelated.CreateCounter<long>("other.count").Add(5);

        counter.Add(2, new KeyValuePair<string, object?>("result", "notify"));
        counter.Add(3, new KeyValuePair<string, object?>("result", "say \"hi\"\n"));
        gauge.Add(4);
        gauge.Add(-1);
        histogram.Record(0.2);
        histogram.Record(7);

        var lines = exporter.Scrape().Split('\n');

        Assert.Contains("# TYPE gd_test_things_total counter", lines);
        Assert.Contains("gd_test_things_total{result=\"notify\"} 2", lines);
        Assert.Contains("gd_test_things_total{result=\"say \\\"hi\\\"\\n\"} 3", lines);
        Assert.Contains("# TYPE gd_test_pending gauge", lines);
        Assert.Contains("gd_test_pending 3", lines);
        Assert.Contains("# TYPE gd_test_delay_seconds histogram", lines);
        Assert.Contains("gd_test_delay_seconds_bucket{le=\"0.1\"} 0", lines);
        Assert.Contains("gd_test_delay_seconds_bucket{le=\"0.25\"} 1", lines);
        Assert.Contains("gd_test_delay_seconds_bucket{le=\"10\"} 2", lines);
        Assert.Contains("gd_test_delay_seconds_bucket{le=\"+Inf\"} 2", lines);
        Assert.Contains("gd_test_delay_seconds_count 2", lines);
        Assert.Contains("gd_test_delay_seconds_sum 7.2", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("other", StringComparison.Ordinal));
    }
}
