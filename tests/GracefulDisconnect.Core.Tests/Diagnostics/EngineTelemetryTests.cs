using System.Diagnostics;
using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Tracing = GracefulDisconnect.GracefulDisconnectActivitySource;

namespace GracefulDisconnect.Tests.Diagnostics;

/// <summary>
/// The live engine on a fake clock, seen through OpenTelemetry's in-memory exporter as a user's collector would see it:
/// three devices go down, one is still offline at its re-check, one is back, one is unknown; one of two channels fails
/// once; the offline device comes back. Every span and every instrument the engine records, with its value.
/// </summary>
[Collection(TelemetryGroup.Name)]
public sealed class EngineTelemetryTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = Instants.Noon;
    private static readonly ActivitySource TestSource = new("GracefulDisconnect.Tests.Telemetry");

    [Fact]
    public async Task DeviceEngine_KnownScenario_ExportsItsSpansWithTagsAndParentsAndEveryInstrumentWithItsValue()
    {
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(Tracing.Name, TestSource.Name).AddInMemoryExporter(spans).Build();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(GracefulDisconnectMetrics.MeterName).AddInMemoryExporter(metrics).Build();

        var time = new FakeTimeProvider(T0);
        var reader = new FakeShadowReader();
        var good = new NamedNotifier("good");
        var flaky = new NamedNotifier("flaky");
        flaky.FailNext(1);
        var options = TestOptions.Create(o =>
        {
            o.GracePeriod = Grace;
            o.NotifyRetryDelay = TimeSpan.FromSeconds(1);
            o.Alerts.NotifyRecovery = true;
        });
        using var instruments = new GracefulDisconnectMetrics();
        using var engine = new DeviceEngine(new InMemoryDeviceStore(), reader, [good, flaky], options, new NotificationFormatter(options), time, instruments);

        Activity root;
        using (root = TestSource.StartActivity("scenario")!)
        {
            await engine.RecordAsync([new ConnectionEvent("t1", false, T0), new ConnectionEvent("t2", false, T0), new ConnectionEvent("t3", false, T0)]);

            // Due 2 s late: t1 is still offline, t2 came back 10 s after going down, t3 is unknown to the state source.
            reader.Set("t1", new ConnectionSnapshot(false, T0));
            reader.Set("t2", new ConnectionSnapshot(true, T0.AddSeconds(10)));
            time.SetUtcNow(T0 + Grace + TimeSpan.FromSeconds(2));
            Assert.Equal(3, await engine.RunDueAsync());
            Assert.Equal(1, await engine.DeliverAsync());

            // t1 comes back: a recovery notice on both channels; the flaky one first sends the offline it owes.
            time.SetUtcNow(T0.AddSeconds(40));
            await engine.RecordAsync([new ConnectionEvent("t1", true, T0.AddSeconds(40))]);
            Assert.Equal(3, await engine.DeliverAsync());
        }

        tracing.ForceFlush();
        meters.ForceFlush();
        var ours = spans.Where(span => span.TraceId == root.TraceId && span.Source.Name == Tracing.Name).ToList();

        // Batches of events, each with its commit inside.
        var records = ours.Where(span => span.OperationName == Tracing.Record).ToList();
        Assert.Equal([(3, 3), (1, 1)], records.Select(span => (Tag<int>(span, Tracing.CountTag), Tag<int>(span, Tracing.DevicesTag))));
        Assert.All(records, span => Assert.Equal(root.SpanId, span.ParentSpanId));
        Assert.Equal([3, 1], records.Select(span => Tag<int>(Assert.Single(ChildrenOf(ours, span)), Tracing.DevicesTag)));
        Assert.All(records, span => Assert.Equal(Tracing.Commit, Assert.Single(ChildrenOf(ours, span)).OperationName));

        // The due pass: a read and a re-check per device, and one commit of all three, inside it.
        var due = Assert.Single(ours, span => span.OperationName == Tracing.Due);
        Assert.Equal(root.SpanId, due.ParentSpanId);
        Assert.Equal(3, Tag<int>(due, Tracing.CountTag));
        var inDue = ChildrenOf(ours, due);
        Assert.Equal(["t1", "t2", "t3"], inDue.Where(span => span.OperationName == Tracing.Read).Select(span => Tag<string>(span, Tracing.ThingTag)).Order());
        Assert.Equal(
            [("t1", "notify"), ("t2", "skip-reconnected"), ("t3", "skip-unknown")],
            inDue.Where(span => span.OperationName == Tracing.Recheck).Select(span => (Tag<string>(span, Tracing.ThingTag), Tag<string>(span, Tracing.ResultTag))).Order());
        var notified = Assert.Single(inDue, span => span.OperationName == Tracing.Recheck && span.GetTagItem(Tracing.ThingTag) is "t1");
        Assert.Equal("t1@1767268800", Tag<string>(notified, Tracing.NotificationTag));
        Assert.All(inDue.Where(span => span.OperationName == Tracing.Recheck && span != notified), span => Assert.Null(span.GetTagItem(Tracing.NotificationTag)));
        var dueCommit = Assert.Single(inDue, span => span.OperationName == Tracing.Commit);
        Assert.Equal((3, 0), (Tag<int>(dueCommit, Tracing.DevicesTag), Tag<int>(dueCommit, Tracing.ConflictsTag)));
        Assert.Equal(7, inDue.Count);

        // Every delivery attempt, per channel, in order: the failed one is an error span.
        var deliveries = ours.Where(span => span.OperationName == Tracing.Deliver)
            .Select(span => (Channel: Tag<string>(span, Tracing.ChannelTag), Kind: Tag<string>(span, Tracing.KindTag), Attempt: Tag<int>(span, Tracing.AttemptTag), Result: Tag<string>(span, Tracing.ResultTag), span.Status))
            .ToList();
        Assert.Equal(
            [("notify", 1, "delivered", ActivityStatusCode.Unset), ("recovered", 1, "delivered", ActivityStatusCode.Unset)],
            deliveries.Where(d => d.Channel == "good").Select(d => (d.Kind, d.Attempt, d.Result, d.Status)));
        Assert.Equal(
            [("notify", 1, "failed", ActivityStatusCode.Error), ("notify", 2, "delivered", ActivityStatusCode.Unset), ("recovered", 1, "delivered", ActivityStatusCode.Unset)],
            deliveries.Where(d => d.Channel == "flaky").Select(d => (d.Kind, d.Attempt, d.Result, d.Status)));
        Assert.All(ours.Where(span => span.OperationName == Tracing.Deliver), span => Assert.Equal("t1", Tag<string>(span, Tracing.ThingTag)));
        Assert.Equal(
            ["t1@1767268800", "t1@1767268800", "t1@1767268800", "t1@1767268800#recovered", "t1@1767268800#recovered"],
            ours.Where(span => span.OperationName == Tracing.Deliver).Select(span => Tag<string>(span, Tracing.NotificationTag)).Order());
        Assert.Equal((2 * records.Count) + 1 + inDue.Count + deliveries.Count, ours.Count); // nothing else: each record with its commit, the pass with its children, the attempts

        // Every instrument the live engine records, with its value after the scenario.
        Assert.Equal(1, Sum(metrics, "gracefuldisconnect.rechecks", ("result", "notify")));
        Assert.Equal(1, Sum(metrics, "gracefuldisconnect.rechecks", ("result", "skip-reconnected")));
        Assert.Equal(1, Sum(metrics, "gracefuldisconnect.rechecks", ("result", "skip-unknown")));
        Assert.Equal(3, Points(metrics, "gracefuldisconnect.rechecks").Count);
        Assert.Equal(3, Points(metrics, "gracefuldisconnect.recheck.duration").Sum(point => point.GetHistogramCount()));
        var delay = Assert.Single(Points(metrics, "gracefuldisconnect.notification.delay"));
        Assert.Equal((1, 2.0), (delay.GetHistogramCount(), delay.GetHistogramSum()));
        Assert.Equal(1, Sum(metrics, "gracefuldisconnect.notifications.failed"));
        Assert.Equal(2, Sum(metrics, "gracefuldisconnect.alerts.sent", ("kind", "recovered")));

        // The in-process scheduler's backlog, and the old path's give-ups and held digests, are not the engine's to record.
        Assert.Empty(Points(metrics, "gracefuldisconnect.rechecks.pending"));
        Assert.Empty(Points(metrics, "gracefuldisconnect.alerts.failed"));
        Assert.Empty(Points(metrics, "gracefuldisconnect.digest.held"));
    }

    [Fact]
    public async Task DeviceEngine_NobodyListening_StartsNoSpan()
    {
        var time = new FakeTimeProvider(T0);
        var options = TestOptions.Create(o => o.GracePeriod = Grace);
        using var instruments = new GracefulDisconnectMetrics();
        using var engine = new DeviceEngine(new InMemoryDeviceStore(), null, [new RecordingNotifier()], options, new NotificationFormatter(options), time, instruments);
        var started = 0;
        using var watcher = new ActivityListener
        {
            // Sees the source, but samples nothing: what "no exporter for GracefulDisconnect" looks like to the engine.
            ShouldListenTo = source => source.Name == Tracing.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
            ActivityStarted = _ => Interlocked.Increment(ref started),
        };
        ActivitySource.AddActivityListener(watcher);

        await engine.RecordAsync([new ConnectionEvent("t1", false, T0)]);
        time.Advance(Grace + TimeSpan.FromSeconds(1));
        await engine.RunDueAsync();
        await engine.DeliverAsync();

        Assert.Equal(0, Volatile.Read(ref started));
    }

    private static List<Activity> ChildrenOf(List<Activity> spans, Activity parent) => [.. spans.Where(span => span.ParentSpanId == parent.SpanId)];

    private static T Tag<T>(Activity span, string name) => Assert.IsType<T>(span.GetTagItem(name));

    private static List<MetricPoint> Points(List<MetricSnapshot> metrics, string name)
    {
        // Cumulative temporality: the last export has the totals.
        var points = new List<MetricPoint>();
        if (metrics.LastOrDefault(metric => metric.Name == name) is { } snapshot)
        {
            points.AddRange(snapshot.MetricPoints);
        }

        return points;
    }

    private static long Sum(List<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags)
        => Points(metrics, name)
            .Where(point => tags.All(tag => HasTag(point, tag.Key, tag.Value)))
            .Sum(point => point.GetSumLong());

    private static bool HasTag(MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A channel with a name the outbox knows it by; can be told to fail the next N sends.</summary>
    private sealed class NamedNotifier(string name) : INamedNotifier
    {
        private int _failuresLeft;

        public string Name { get; } = name;

        public void FailNext(int times) => _failuresLeft = times;

        public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
            => Interlocked.Decrement(ref _failuresLeft) >= 0 ? throw new InvalidOperationException($"{Name} is down") : ValueTask.CompletedTask;
    }
}
