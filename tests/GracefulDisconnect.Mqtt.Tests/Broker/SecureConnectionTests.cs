namespace GracefulDisconnect.Mqtt.Tests.Broker;

/// <summary>TLS with a private CA, client certificates (PKCS#12), and username/password, against listeners of a real Mosquitto.</summary>
public sealed class SecureConnectionTests(SecureBrokerFixture fixture) : IClassFixture<SecureBrokerFixture>
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task Mqtts_BrokerCaGiven_ConnectsAndForwards()
    {
        var device = Names.Unique("tls");
        await using var host = await SourceHost.StartAsync($"mqtts://127.0.0.1:{Broker.TlsPort}", options =>
        {
            options.CaCertificatePath = Broker.CaCertificatePath;
            options.Presets.Add(MqttPreset.ESPHome);
        });

        await Broker.PublishAsync($"{device}/status", "offline");
        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the event over TLS; log: {host.LogText()}");
    }

    [Fact]
    public async Task Mqtts_UntrustedBrokerCertificate_RefusesAndKeepsRetrying()
    {
        var host = SourceHost.Create($"mqtts://127.0.0.1:{Broker.TlsPort}", options => options.Presets.Add(MqttPreset.ESPHome));
        await using (host)
        {
            await host.StartHostAsync();
            await Eventually.TrueAsync(() => host.Logs.GetSnapshot().Count(r => r.Id.Id == 5001) >= 2, () => $"failed attempts; log: {host.LogText()}");
            Assert.False(host.Status.IsConnected);
        }
    }

    [Fact]
    public async Task Mqtts_ClientCertificateRequired_ConnectsWithPfx()
    {
        var device = Names.Unique("mtls");
        await using var host = await SourceHost.StartAsync($"mqtts://127.0.0.1:{Broker.MutualTlsPort}", options =>
        {
            options.CaCertificatePath = Broker.CaCertificatePath;
            options.ClientCertificatePath = Broker.ClientPfxPath;
            options.ClientCertificatePassword = MosquittoBroker.ClientPfxPassword;
            options.Presets.Add(MqttPreset.ESPHome);
        });

        await Broker.PublishAsync($"{device}/status", "offline");
        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the event over mutual TLS; log: {host.LogText()}");
        Assert.DoesNotContain(MosquittoBroker.ClientPfxPassword, host.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mqtts_ClientCertificateRequiredButNoneGiven_Refused()
    {
        var host = SourceHost.Create($"mqtts://127.0.0.1:{Broker.MutualTlsPort}", options =>
        {
            options.CaCertificatePath = Broker.CaCertificatePath;
            options.Presets.Add(MqttPreset.ESPHome);
        });
        await using (host)
        {
            await host.StartHostAsync();
            await Eventually.TrueAsync(() => host.Logs.GetSnapshot().Any(r => r.Id.Id == 5001), () => $"a refused attempt; log: {host.LogText()}");
            Assert.False(host.Status.IsConnected);
        }
    }

    [Fact]
    public async Task Credentials_InBrokerUri_ConnectsAndNeverLogsPassword()
    {
        var device = Names.Unique("auth");
        await using var host = await SourceHost.StartAsync(
            $"mqtt://{MosquittoBroker.User}:{MosquittoBroker.UserPassword}@127.0.0.1:{Broker.AuthPort}",
            options => options.Presets.Add(MqttPreset.ESPHome));

        await Broker.PublishAsync($"{device}/status", "offline");
        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the event; log: {host.LogText()}");
        Assert.DoesNotContain(MosquittoBroker.UserPassword, host.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_WrongPassword_ConnectFailsLoggedWithoutPassword()
    {
        var host = SourceHost.Create($"mqtt://127.0.0.1:{Broker.AuthPort}", options =>
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
