namespace GracefulDisconnect.Mqtt.Tests.Broker;

/// <summary>
/// Nothing acknowledged is lost: a QoS 1 message is acknowledged only after the sink recorded it, so while the sink
/// fails or hangs the broker keeps it in our persistent session and sends it again to the next run.
/// </summary>
[Collection(SharedMosquitto.Name)]
public sealed class AcknowledgementTests(MosquittoFixture fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Theory]
    [InlineData(false, MqttProtocol.V5)]
    [InlineData(true, MqttProtocol.V5)]
    [InlineData(false, MqttProtocol.V311)]
    public async Task SinkFailingOrHanging_MessageNotAcknowledged_RedeliveredToNextRun(bool hanging, MqttProtocol protocol)
    {
        var device = Names.Unique("esp");
        var clientId = Names.Unique("gd-ack");
        var broken = new RecordingSink { Failing = !hanging, Hanging = hanging };
        await using (var first = await SourceHost.StartAsync(Broker.Uri, options => Configure(options, clientId, protocol), broken))
        {
            await Broker.PublishAsync($"{device}/status", "offline", qos: 1);
            await Eventually.TrueAsync(() => broken.FailedCalls >= (hanging ? 1 : 2), () => $"the sink to be tried; log: {first.LogText()}");
            Assert.Empty(broken.EventsOf(device));
            if (!hanging)
            {
                Assert.Contains(first.Logs.GetSnapshot(), r => r.Id.Id == 5040);
            }
        }

        // Not retained: only the broker's session can hand it over again.
        await using var second = await SourceHost.StartAsync(Broker.Uri, options => Configure(options, clientId, protocol));
        await Eventually.TrueAsync(() => second.Sink.EventsOf(device).Count == 1, () => $"the redelivered message; log: {second.LogText()}");
        Assert.False(second.Sink.EventsOf(device).Single().Connected);
    }

    [Fact]
    public async Task SinkRecovers_BatchRetried_ForwardedOnceAndAcknowledged()
    {
        var (device, sentinel) = (Names.Unique("esp"), Names.Unique("sentinel"));
        var clientId = Names.Unique("gd-ack");
        var sink = new RecordingSink { Failing = true };
        await using (var host = await SourceHost.StartAsync(Broker.Uri, options => Configure(options, clientId), sink))
        {
            await Broker.PublishAsync($"{device}/status", "offline", qos: 1);
            await Eventually.TrueAsync(() => sink.FailedCalls >= 1, () => "a failed call");
            sink.Failing = false;
            await Eventually.TrueAsync(() => sink.EventsOf(device).Count == 1, () => $"the retried batch; log: {host.LogText()}");
        }

        // Acknowledged this time: the next run with the same session gets nothing again.
        await using var next = await SourceHost.StartAsync(Broker.Uri, options => Configure(options, clientId));
        await Broker.PublishAsync($"{sentinel}/status", "online", qos: 1);
        await Eventually.TrueAsync(() => next.Sink.EventsOf(sentinel).Count == 1, () => $"the sentinel; log: {next.LogText()}");
        Assert.Empty(next.Sink.EventsOf(device));
    }

    [Fact]
    public async Task ManyMessages_HandedOverInBoundedBatches_InArrivalOrder()
    {
        var device = Names.Unique("esp");
        await using var host = await SourceHost.StartAsync(Broker.Uri, options =>
        {
            options.Presets.Add(MqttPreset.ESPHome);
            options.MaxBatchSize = 4;
        });

        for (var i = 0; i < 20; i++)
        {
            await Broker.PublishAsync($"{device}/status", i % 2 == 0 ? "offline" : "online", qos: 1);
        }

        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 20, () => $"20 events; log: {host.LogText()}");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i % 2 == 1), host.Sink.EventsOf(device).Select(e => e.Connected));
        Assert.All(host.Sink.Batches, batch => Assert.InRange(batch.Count, 1, 4));
    }

    private static void Configure(MqttSourceOptions options, string clientId, MqttProtocol protocol = MqttProtocol.V5)
    {
        options.ClientId = clientId;
        options.Protocol = protocol;
        options.Presets.Add(MqttPreset.ESPHome);
    }
}
