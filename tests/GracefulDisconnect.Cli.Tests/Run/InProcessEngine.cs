using GracefulDisconnect.Sqlite;
using GracefulDisconnect.Cli.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>
/// The engine of <c>run</c> in this process: a host with the SQLite store on real time, short grace and fast
/// retries, the notifiers and shadow reader a test brings, and every log line captured.
/// </summary>
internal sealed class InProcessEngine : IAsyncDisposable
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(1);

    private readonly IHost _host;

    private InProcessEngine(IHost host, CapturingLoggerProvider logs)
    {
        _host = host;
        Logs = logs;
    }

    public CapturingLoggerProvider Logs { get; }

    public DeviceEngine Engine => _host.Services.GetRequiredService<DeviceEngine>();

    /// <summary>Starts a host on <paramref name="storePath"/>; without <paramref name="reader"/>, the engine's own record is the state source.</summary>
    public static async Task<InProcessEngine> StartAsync(string storePath, IEnumerable<INotifier> notifiers, IShadowReader? reader = null)
    {
        var logs = new CapturingLoggerProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        var engine = builder.Services
            .AddGracefulDisconnect(options =>
            {
                options.GracePeriod = GracePeriod;
                options.RetryDelay = TimeSpan.FromMilliseconds(100);
                options.NotifyRetryDelay = TimeSpan.FromMilliseconds(10);
            })
            .RunDeviceEngine();
        builder.Services.AddSingleton<IDeviceStore>(_ => SqliteDeviceStore.Open(storePath));
        foreach (var notifier in notifiers)
        {
            engine.AddNotifier(notifier);
        }

        if (reader is not null)
        {
            builder.Services.AddSingleton(reader);
        }

        var host = builder.Build();
        await host.StartAsync();
        return new InProcessEngine(host, logs);
    }

    /// <summary>What <c>run</c> does with each line: record it (a batch of one).</summary>
    public async Task DeliverAsync(ConnectionEvent connectionEvent) => await Engine.RecordAsync([connectionEvent]);

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(RunningCli.Limit))
        {
            await _host.StopAsync(timeout.Token);
        }

        _host.Dispose();
    }
}
