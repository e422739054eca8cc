using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Packets;

namespace GracefulDisconnect.Mqtt.Tests.Ingest;

/// <summary>The forwarder without a broker: deliveries are MQTTnet's own event args with a recording acknowledgement.</summary>
public sealed class EventForwarderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly List<string> _acknowledged = [];
    private readonly RetainedStateMemory _memory = new(100);
    private long _connection = 1;

    [Fact]
    public async Task ForwardAsync_Batch_RecordedThenAcknowledgedInArrivalOrder()
    {
        var sink = new OrderCheckingSink(_acknowledged);
        var batch = new[] { Message("a", false), Message("b", false), Message("a", true) };

        await Forwarder(sink).ForwardAsync(batch, CancellationToken.None);

        Assert.Equal(["a", "b", "a"], sink.Recorded.Select(e => e.ThingName));
        Assert.Equal(["a", "b", "a"], _acknowledged);
        Assert.Equal(0, sink.AcknowledgedBeforeRecorded);
    }

    [Fact]
    public async Task ForwardAsync_RetainedRepeatOfForwardedState_SkippedButAcknowledged()
    {
        var sink = new RecordingSink();
        var forwarder = Forwarder(sink);
        await forwarder.ForwardAsync([Message("a", false, retained: true)], CancellationToken.None);

        await forwarder.ForwardAsync([Message("a", false, retained: true), Message("a", true, retained: true)], CancellationToken.None);

        Assert.Equal([false, true], sink.Events.Select(e => e.Connected));
        Assert.Equal(3, _acknowledged.Count);
    }

    [Fact]
    public async Task ForwardAsync_RetainedSignsOfLife_ForwardedMarkedRetainedAndNeverRememberedAsAState()
    {
        var sink = new RecordingSink();
        var forwarder = Forwarder(sink);
        await forwarder.ForwardAsync([Message("a", true, retained: true, signOfLife: true)], CancellationToken.None);
        await forwarder.ForwardAsync([Message("a", true, retained: true, signOfLife: true)], CancellationToken.None);

        // A state memory would have dropped the second as a retained repeat of "connected".
        Assert.Equal([(true, true), (true, true)], sink.Events.Select(e => (e.SignOfLife, e.Retained)));
        Assert.Null(_memory.LastForwarded("a"));
        Assert.Equal(2, _acknowledged.Count);
    }

    [Fact]
    public async Task ForwardAsync_LiveRepeat_StillForwarded()
    {
        var sink = new RecordingSink();
        await Forwarder(sink).ForwardAsync([Message("a", false), Message("a", false)], CancellationToken.None);

        Assert.Equal(2, sink.Events.Count);
    }

    [Fact]
    public async Task ForwardAsync_RetainedAfterLiveSameStateInOneBatch_Skipped()
    {
        var sink = new RecordingSink();
        await Forwarder(sink).ForwardAsync([Message("a", false), Message("a", false, retained: true)], CancellationToken.None);

        Assert.Single(sink.Events);
    }

    [Fact]
    public async Task ForwardAsync_SinkRefusesOneEvent_OthersRecordedAndAllAcknowledged()
    {
        var sink = new RefusingSink("bad");
        await Forwarder(sink).ForwardAsync([Message("a", false), Message("bad", false), Message("c", true)], CancellationToken.None);

        Assert.Equal(["a", "c"], sink.Recorded.Select(e => e.ThingName));
        Assert.Equal(["a", "bad", "c"], _acknowledged);
        Assert.Null(_memory.LastForwarded("bad"));
    }

    [Fact]
    public async Task ForwardAsync_SinkNeverRecordsAndStopped_NothingAcknowledgedNothingRemembered()
    {
        var sink = new RecordingSink { Failing = true };
        using var stop = new CancellationTokenSource();
        var forwarding = Forwarder(sink).ForwardAsync([Message("a", false, retained: true)], stop.Token);
        await Eventually.TrueAsync(() => sink.FailedCalls >= 3, () => "retries");

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => forwarding);
        Assert.Empty(_acknowledged);

        // Remembering it would make its redelivery look like a repeat, and it would never reach the engine.
        Assert.Null(_memory.LastForwarded("a"));
    }

    [Fact]
    public async Task ForwardAsync_MessageOfEarlierConnection_RecordedButNotAcknowledged()
    {
        var sink = new RecordingSink();
        var old = Message("a", false);
        _connection = 2;

        await Forwarder(sink).ForwardAsync([old, Message("b", false)], CancellationToken.None);

        Assert.Equal(2, sink.Events.Count);
        Assert.Equal(["b"], _acknowledged);
    }

    [Fact]
    public void RetainedStateMemory_AtCapacity_StaysBounded()
    {
        var memory = new RetainedStateMemory(3);

        memory.Remember(Enumerable.Range(0, 10).Select(i => KeyValuePair.Create($"d{i}", false)));

        Assert.Equal(3, memory.Count);
        Assert.False(memory.LastForwarded("d9"));
    }

    private EventForwarder Forwarder(IConnectionEventSink sink) => new(
        sink,
        _memory,
        new IngestProgress(TimeProvider.System),
        maxBatchSize: 100,
        () => new ExponentialBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)),
        () => _connection,
        TimeProvider.System,
        NullLogger.Instance);

    private ReceivedMessage Message(string thing, bool connected, bool retained = false, bool signOfLife = false)
    {
        var message = new MqttApplicationMessage { Topic = $"tele/{thing}/LWT", Retain = retained };
        var delivery = new MqttApplicationMessageReceivedEventArgs("test", message, new MqttPublishPacket(), (_, _) =>
        {
            lock (_acknowledged)
            {
                _acknowledged.Add(thing);
            }

            return Task.CompletedTask;
        });
        return new ReceivedMessage(delivery, _connection, new ConnectionEvent(thing, connected, Now, null, Now) { SignOfLife = signOfLife }, retained);
    }

    private sealed class OrderCheckingSink(List<string> acknowledged) : IConnectionEventSink
    {
        public List<ConnectionEvent> Recorded { get; } = [];

        public int AcknowledgedBeforeRecorded { get; private set; }

        public ValueTask RecordAsync(IReadOnlyList<ConnectionEvent> events, CancellationToken cancellationToken = default)
        {
            AcknowledgedBeforeRecorded += acknowledged.Count;
            Recorded.AddRange(events);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class RefusingSink(string refused) : IConnectionEventSink
    {
        public List<ConnectionEvent> Recorded { get; } = [];

        public ValueTask RecordAsync(IReadOnlyList<ConnectionEvent> events, CancellationToken cancellationToken = default)
        {
            if (events.Any(e => e.ThingName == refused))
            {
                throw new ArgumentException($"'{refused}' is not a valid thing name.", nameof(events));
            }

            Recorded.AddRange(events);
            return ValueTask.CompletedTask;
        }
    }
}
