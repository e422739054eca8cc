namespace GracefulDisconnect.Mqtt.Tests;

/// <summary>One Mosquitto shared by the tests of the <c>Mosquitto</c> collection; each test uses its own device names.</summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    private MosquittoBroker? _broker;

    public MosquittoBroker Broker => _broker ?? throw new InvalidOperationException("The broker has not started.");

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedMosquitto : ICollectionFixture<MosquittoFixture>
{
    public const string Name = "Mosquitto";
}

/// <summary>A Mosquitto with TLS (generated CA), mutual-TLS and password listeners, shared by one test class.</summary>
public sealed class SecureBrokerFixture : IAsyncLifetime
{
    private MosquittoBroker? _broker;

    public MosquittoBroker Broker => _broker ?? throw new InvalidOperationException("The broker has not started.");

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(withTls: true, withAuth: true);

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
