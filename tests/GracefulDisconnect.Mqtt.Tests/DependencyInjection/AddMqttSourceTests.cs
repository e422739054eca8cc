using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Mqtt.Tests.DependencyInjection;

public sealed class AddMqttSourceTests
{
    [Fact]
    public void AddMqttSource_OnEngineBuilder_RegistersOneHostedSourceAndItsStatus()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConnectionEventSink>(new RecordingSink());
        services.AddGracefulDisconnect().AddMqttSource(options =>
        {
            options.Broker = "mqtt://localhost";
            options.Presets.Add(MqttPreset.Tasmota);
        }).AddMqttSource(options => options.Presets.Add(MqttPreset.Homie));
        using var provider = services.BuildServiceProvider();

        var source = Assert.Single(provider.GetServices<IHostedService>().OfType<MqttEventSource>());
        Assert.Same(source, provider.GetRequiredService<IMqttSourceStatus>());
        Assert.Equal([MqttPreset.Tasmota, MqttPreset.Homie], provider.GetRequiredService<IOptions<MqttSourceOptions>>().Value.Presets);
    }

    [Fact]
    public async Task AddMqttSource_InvalidOptions_HostFailsOnStartNamingTheFix()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton<IConnectionEventSink>(new RecordingSink());
                new GracefulDisconnectBuilder(services).AddMqttSource(options => options.Broker = "tcp://broker");
            })
            .Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("use mqtt:// (plain TCP) or mqtts:// (TLS)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("add a preset", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMqttSource_NoSinkRegistered_ResolvingSaysWhatToAdd()
    {
        var services = new ServiceCollection();
        new GracefulDisconnectBuilder(services).AddMqttSource(options =>
        {
            options.Broker = "mqtt://localhost";
            options.Presets.Add(MqttPreset.Tasmota);
        });
        services.AddLogging();
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IMqttSourceStatus>());
        Assert.Contains("register your own IConnectionEventSink", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMqttSource_FromConfiguration_BindsPresetsAndMappings()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Broker"] = "mqtts://broker.example.com",
                ["Presets:0"] = "Tasmota",
                ["Presets:1"] = "Zigbee2Mqtt",
                ["Mappings:0:Topic"] = "site/{thing}/status",
                ["Mappings:0:Up:0"] = "online",
                ["Mappings:0:Down:0"] = "offline",
                ["SessionExpiry"] = "2.00:00:00",
            })
            .Build();
        var services = new ServiceCollection();
        new GracefulDisconnectBuilder(services).AddMqttSource(configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MqttSourceOptions>>().Value;
        Assert.Equal([MqttPreset.Tasmota, MqttPreset.Zigbee2Mqtt], options.Presets);
        Assert.Equal("site/{thing}/status", Assert.Single(options.Mappings).Topic);
        Assert.Equal(TimeSpan.FromDays(2), options.SessionExpiry);
        Assert.True(new MqttSourceOptionsValidator().Validate(null, options).Succeeded);
    }
}
