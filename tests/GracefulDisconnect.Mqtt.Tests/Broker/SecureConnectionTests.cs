namespace GracefulDisconnect.Mqtt.Tests.Broker;

/// <summary>TLS with a private CA, and username/password, against listeners of a real Mosquitto.</summary>
public sealed class SecureConnectionTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(withTls: true, withAuth: true);

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Mqtts_BrokerCaGiven_ConnectsAndForwards()
    {
        var device = Names.Unique("tls");
        await using var host = await SourceHost.StartAsync($"mqtts://127.0.0.1:{_broker.TlsPort}", options =>
        {
            options.CaCertificatePath = _broker.CaCertificatePath;
            options.Presets.Add(MqttPreset.ESPHome);
        });

        await _broker.PublishAsync($"{device}/status", "offline");
        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the event over TLS; log: {host.LogText()}");
    }

    [Fact]
    public async Task Mqtts_UntrustedBrokerCertificate_RefusesAndKeepsRetrying()
    {
        var host = SourceHost.Create($"mqtts://127.0.0.1:{_broker.TlsPort}", options => options.Presets.Add(MqttPreset.ESPHome));
        await using (host)
        {
            await host.StartHostAsync();
            await Eventually.TrueAsync(() => host.Logs.GetSnapshot().Count(r => r.Id.Id == 5001) >= 2, () => $"failed attempts; log: {host.LogText()}");
            Assert.False(host.Status.IsConnected);
        }
    }

    [Fact]
    public async Task Credentials_InBrokerUri_ConnectsAndNeverLogsPassword()
    {
        var device = Names.Unique("auth");
        await using var host = await SourceHost.StartAsync(
            $"mqtt://{MosquittoBroker.User}:{MosquittoBroker.UserPassword}@127.0.0.1:{_broker.AuthPort}",
            options => options.Presets.Add(MqttPreset.ESPHome));

        await _broker.PublishAsync($"{device}/status", "offline");
        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the event; log: {host.LogText()}");
        Assert.DoesNotContain(MosquittoBroker.UserPassword, host.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_WrongPassword_ConnectFailsLoggedWithoutPassword()
    {
        var host = SourceHost.Create($"mqtt://127.0.0.1:{_broker.AuthPort}", options =>
        {
            options.Username = MosquittoBroker.User;
            options.Password = "wrong-password-123";
            options.Presets.Add(MqttPreset.ESPHome);
        });
        await using (host)
        {
            await host.StartHostAsync();
            await Eventually.TrueAsync(() => host.Logs.GetSnapshot().Any(r => r.Id.Id == 5001), () => $"a failed attempt; log: {host.LogText()}");
            Assert.False(host.Status.IsConnected);
            Assert.DoesNotContain("wrong-password-123", host.LogText() + string.Concat(host.Logs.GetSnapshot().Select(r => r.Exception?.ToString())), StringComparison.Ordinal);
        }
    }
}
