using MQTTnet;
using MQTTnet.Protocol;

namespace GracefulDisconnect.Mqtt.Tests.Broker;

/// <summary>
/// The real path of a Tasmota-style device: it connects with a retained will "Offline", announces "Online", and its
/// connection dies; the broker publishes the will, and the source forwards it.
/// </summary>
[Collection(SharedMosquitto.Name)]
public sealed class DeviceWillTests(MosquittoFixture fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task DeviceConnectionLost_BrokerPublishesWill_ForwardedAsDisconnectAfterConnect()
    {
        var device = Names.Unique("tas");
        var topic = $"tele/{device}/LWT";
        await using var host = await SourceHost.StartAsync(Broker.Uri, options => options.Presets.Add(MqttPreset.Tasmota));

        var deviceClient = new MqttClientFactory().CreateMqttClient();
        try
        {
            await deviceClient.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", Broker.Port)
                .WithClientId(device)
                .WithWillTopic(topic)
                .WithWillPayload("Offline")
                .WithWillRetain()
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
            await deviceClient.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload("Online")
                .WithRetainFlag()
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
            await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the Online; log: {host.LogText()}");
        }
        finally
        {
            // No DISCONNECT packet: the socket just closes, as when the device loses power, so the broker sends the will.
            deviceClient.Dispose();
        }

        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 2, () => $"the will; log: {host.LogText()}");
        Assert.Equal([true, false], host.Sink.EventsOf(device).Select(e => e.Connected));
        await Broker.ClearRetainedAsync(topic);
    }
}
