namespace GracefulDisconnect.Mqtt.Tests.Broker;

/// <summary>
/// A broker restart: our connection drops (we are blind meanwhile), every device's will fires, then the devices come
/// back. The source reconnects and forwards the downs and ups in order; telling blips from outages is the engine's job.
/// Each test has its own broker, since restarting the shared one would disturb the others.
/// </summary>
public sealed class BrokerRestartTests
{
    [Fact]
    public async Task BrokerRestart_WillsThenReturns_SourceReconnectsAndForwardsDownsAndUpsInOrder()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        string[] devices = [Names.Unique("tas"), Names.Unique("tas"), Names.Unique("tas")];
        foreach (var device in devices)
        {
            await broker.PublishAsync($"tele/{device}/LWT", "Online", retain: true);
        }

        await using var host = await SourceHost.StartAsync(broker.Uri, options => options.Presets.Add(MqttPreset.Tasmota));
        await Eventually.TrueAsync(() => devices.All(d => host.Sink.EventsOf(d).Count == 1), () => $"the retained states; log: {host.LogText()}");
        var firstConnection = host.Status.ConnectedSince;

        await broker.RestartAsync();
        await Eventually.TrueAsync(
            () => host.Status.IsConnected && host.Status.ConnectedSince > firstConnection,
            () => $"the source to reconnect; log: {host.LogText()}");

        // Every device's will at once (retained, as Tasmota sets it), then each device reconnects.
        foreach (var device in devices)
        {
            await broker.PublishAsync($"tele/{device}/LWT", "Offline", retain: true);
        }

        foreach (var device in devices)
        {
            await broker.PublishAsync($"tele/{device}/LWT", "Online", retain: true);
        }

        await Eventually.TrueAsync(() => devices.All(d => host.Sink.EventsOf(d).Count == 3), () => $"a down and an up per device; log: {host.LogText()}");
        Assert.All(devices, device => Assert.Equal([true, false, true], host.Sink.EventsOf(device).Select(e => e.Connected)));
        var records = host.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 5002);

        // The retained Online the restarted broker sent again on resubscribe was already forwarded: dropped, not a new event.
        Assert.All(devices, device => Assert.Contains(records, r => r.Id.Id == 5024 && r.Message.Contains(device, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task BrokerRestart_MessagesPublishedWhileSourceAway_DeliveredFromPersistentSession()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var device = Names.Unique("esp");
        var clientId = Names.Unique("gd-restart");
        await using (var first = await SourceHost.StartAsync(broker.Uri, options => Configure(options, clientId)))
        {
        }

        // The session outlives both our absence and the broker's restart (Mosquitto persists it).
        await broker.PublishAsync($"{device}/status", "offline", qos: 1);
        await broker.RestartAsync();

        await using var second = await SourceHost.StartAsync(broker.Uri, options => Configure(options, clientId));
        await Eventually.TrueAsync(() => second.Sink.EventsOf(device).Count == 1, () => $"the queued message; log: {second.LogText()}");
        Assert.False(second.Sink.EventsOf(device).Single().Connected);

        static void Configure(MqttSourceOptions options, string clientId)
        {
            options.ClientId = clientId;
            options.Presets.Add(MqttPreset.ESPHome);
        }
    }

    [Fact]
    public async Task BrokerDown_SourceRetriesWithBackoff_ReportsDisconnectedThenConnects()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var host = await SourceHost.StartAsync(broker.Uri, options => options.Presets.Add(MqttPreset.Tasmota));

        var restart = broker.RestartAsync();
        await Eventually.TrueAsync(() => !host.Status.IsConnected, () => "the source to notice the broker is gone");
        Assert.NotNull(host.Status.DisconnectedSince);
        await restart;
        await host.WaitConnectedAsync();
    }
}
