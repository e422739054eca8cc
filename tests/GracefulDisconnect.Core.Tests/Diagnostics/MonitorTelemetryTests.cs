using System.Diagnostics;
using GracefulDisconnect.Tests.Alerts;
using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace GracefulDisconnect.Tests.Diagnostics;

/// <summary>
/// The instruments only the in-process path records (<see cref="DisconnectMonitor"/> with the in-memory scheduler,
/// reminders, digests and alerts held in memory), seen through OpenTelemetry's in-memory exporter: the scheduler's
/// backlog, the offline notifications a storm digest holds, and opt-in alerts that failed every attempt.
/// The live engine's instruments are in <see cref="EngineTelemetryTests"/>.
/// </summary>
[Collection(TelemetryGroup.Name)]
public sealed class MonitorTelemetryTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task InMemoryScheduler_TwoDisconnects_PendingIsTwoUntilTheyRunThenZeroAndEachRecheckIsASpan()
    {
        var metrics = new List<MetricSnapshot>();
        var spans = new List<Activity>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(GracefulDisconnectMetrics.MeterName).AddInMemoryExporter(metrics).Build();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(GracefulDisconnectActivitySource.Name).AddInMemoryExporter(spans).Build();
        var time = new FakeTimeProvider(Instants.Noon);
        var reader = new FakeShadowReader();
        var notifier = new RecordingNotifier();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(reader);
        services.AddGracefulDisconnect(o => o.GracePeriod = Grace).UseShadowReader<FakeShadowReader>().AddNotifier(notifier);
        await using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<DisconnectMonitor>();

        foreach (var thing in new[] { "t1", "t2" })
        {
            reader.Set(thing, new ConnectionSnapshot(false, Instants.Noon));
            await monitor.OnEventAsync(new ConnectionEvent(thing, false, Instants.Noon));
        }

        meters.ForceFlush();
        Assert.Equal(2, Total(metrics, "gracefuldisconnect.rechecks.pending"));

        time.Advance(Grace);
        await Eventually.TrueAsync(() => notifier.Count == 2, "both re-checks to run");
        meters.ForceFlush();
        Assert.Equal(0, Total(metrics, "gracefuldisconnect.rechecks.pending"));
        Assert.Equal(2, Total(metrics, "gracefuldisconnect.rechecks"));

        // The in-process path's re-check span: the same name and tags as the engine's.
        tracing.ForceFlush();
        Assert.Equal(
            [("t1", "notify"), ("t2", "notify")],
            spans.Where(span => span.OperationName == GracefulDisconnectActivitySource.Recheck)
                .Select(span => ((string)span.GetTagItem(GracefulDisconnectActivitySource.ThingTag)!, (string)span.GetTagItem(GracefulDisconnectActivitySource.ResultTag)!))
                .Order());
    }

    [Fact]
    public async Task Digest_ThreeDevicesInOneWindow_HeldCountsThemUntilTheDigestIsSent()
    {
        var metrics = new List<MetricSnapshot>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(GracefulDisconnectMetrics.MeterName).AddInMemoryExporter(metrics).Build();
        var window = TimeSpan.FromSeconds(30);
        await using var h = new AlertHarness(o => o.Digest = new DigestThreshold(window, 3));
        for (var i = 0; i < 3; i++)
        {
            await h.DisconnectAsync($"t{i}", Instants.Noon.AddSeconds(i));
        }

        h.Time.SetUtcNow(Instants.Noon + AlertHarness.Grace + TimeSpan.FromSeconds(3));
        var held = h.StartDue();
        await Eventually.TrueAsync(() => { meters.ForceFlush(); return Total(metrics, "gracefuldisconnect.digest.held") == 3; }, "the three offline notifications to be held");

        h.Time.Advance(window);
        await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(5));
        meters.ForceFlush();

        Assert.Equal(0, Total(metrics, "gracefuldisconnect.digest.held"));
        Assert.Equal(1, Total(metrics, "gracefuldisconnect.alerts.sent", ("kind", "digest")));
        Assert.Equal(NotificationKind.Digest, Assert.Single(h.Notifier.Sent).Kind);
    }

    [Fact]
    public async Task Recovery_ChannelDownForEveryAttempt_CountedAsAFailedAlertOfItsKind()
    {
        var metrics = new List<MetricSnapshot>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(GracefulDisconnectMetrics.MeterName).AddInMemoryExporter(metrics).Build();
        await using var h = new AlertHarness(o => o.NotifyRecovery = true);
        await h.DisconnectAsync("t1");
        await h.AdvanceAsync(TimeSpan.FromMinutes(6));
        var connect = new ConnectionEvent("t1", true, Instants.Noon.AddMinutes(6));
        h.Reader.Set("t1", new ConnectionSnapshot(true, connect.At));
        h.Notifier.FailNext(2);

        await Assert.ThrowsAsync<AlertNotSentException>(async () => await h.Monitor.OnEventAsync(connect));
        meters.ForceFlush();

        Assert.Equal(1, Total(metrics, "gracefuldisconnect.alerts.failed", ("kind", "recovered")));
        Assert.Equal(0, Total(metrics, "gracefuldisconnect.alerts.sent"));
    }

    // Cumulative temporality: the latest export holds the totals; an instrument never recorded is absent (0).
    private static long Total(List<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags)
    {
        if (metrics.LastOrDefault(metric => metric.Name == name) is not { } snapshot)
        {
            return 0;
        }

        var total = 0L;
        foreach (var point in snapshot.MetricPoints)
        {
            var matches = tags.All(wanted =>
            {
                foreach (var tag in point.Tags)
                {
                    if (tag.Key == wanted.Key && Equals(tag.Value, wanted.Value))
                    {
                        return true;
                    }
                }

                return false;
            });
            if (matches)
            {
                total += point.GetSumLong();
            }
        }

        return total;
    }
}
