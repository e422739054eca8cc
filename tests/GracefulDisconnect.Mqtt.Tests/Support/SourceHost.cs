using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace GracefulDisconnect.Mqtt.Tests;

/// <summary>A generic host running the MQTT source against a broker, with a recording sink and captured logs.</summary>
public sealed class SourceHost : IAsyncDisposable
{
    private readonly IHost _host;

    private SourceHost(IHost host, RecordingSink sink)
    {
        _host = host;
        Sink = sink;
    }

    public RecordingSink Sink { get; }

    public IServiceProvider Services => _host.Services;

    public IMqttSourceStatus Status => _host.Services.GetRequiredService<IMqttSourceStatus>();

    public FakeLogCollector Logs => _host.Services.GetFakeLogCollector();

    public static SourceHost Create(string broker, Action<MqttSourceOptions> configure, RecordingSink? sink = null, Action<IServiceCollection>? services = null)
    {
        var more = services;
        sink ??= new RecordingSink();
        var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddFakeLogging();

                // The skipped-on-purpose lines (ignored states, retained repeats) are Debug; tests look for them.
                services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug));
                services.AddSingleton<IConnectionEventSink>(sink);
                new GracefulDisconnectBuilder(services).AddMqttSource(options =>
                {
                    options.Broker = broker;
                    options.ClientId = Names.Unique("gd-test");
                    options.ReconnectInitialDelay = TimeSpan.FromMilliseconds(50);
                    options.ReconnectMaxDelay = TimeSpan.FromMilliseconds(400);
                    options.KeepAlive = TimeSpan.FromSeconds(5);
                    configure(options);
                });
                more?.Invoke(services);
            })
            .Build();
        return new SourceHost(host, sink);
    }

    public static async Task<SourceHost> StartAsync(string broker, Action<MqttSourceOptions> configure, RecordingSink? sink = null, Action<IServiceCollection>? services = null)
    {
        var host = Create(broker, configure, sink, services);
        await host.StartAsync();
        return host;
    }

    public async Task StartAsync()
    {
        await _host.StartAsync();
        await WaitConnectedAsync();
    }

    /// <summary>Starts the host without waiting for the broker, for tests where connecting must fail.</summary>
    public Task StartHostAsync() => _host.StartAsync();

    public Task WaitConnectedAsync()
        => Eventually.TrueAsync(() => Status.IsConnected, () => $"the source to connect; log: {LogText()}");

    /// <summary>Stops the source and starts it again in the same process (same retained-state memory), as a host would after a fault.</summary>
    public async Task RestartSourceAsync()
    {
        var source = _host.Services.GetServices<IHostedService>().OfType<MqttEventSource>().Single();
        await source.StopAsync(CancellationToken.None);
        await source.StartAsync(CancellationToken.None);
        await WaitConnectedAsync();
    }

    public Task StopAsync() => _host.StopAsync();

    public string LogText() => string.Join(Environment.NewLine, Logs.GetSnapshot().Select(record => $"[{record.Level} {record.Id.Id}] {record.Message}"));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
