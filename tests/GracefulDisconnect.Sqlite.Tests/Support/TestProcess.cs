using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Sqlite.Tests;

/// <summary>
/// One "process" of a host using the SQLite store, wired through the real DI registration. Disposing it
/// and creating another on the same file is a restart.
/// </summary>
public sealed class TestProcess : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private bool _started;

    private TestProcess(ServiceProvider provider, FakeTimeProvider time, RecordingNotifier notifier)
    {
        _provider = provider;
        Time = time;
        Notifier = notifier;
    }

    public IServiceProvider Services => _provider;

    public FakeTimeProvider Time { get; }

    public RecordingNotifier Notifier { get; }

    internal SqliteScheduler Scheduler => _provider.GetRequiredService<SqliteScheduler>();

    internal OutboxStore Outbox => _provider.GetRequiredService<OutboxStore>();

    internal OutboxDispatcher Dispatcher => _provider.GetServices<IHostedService>().OfType<OutboxDispatcher>().Single();

    public IOutageLedger Ledger => _provider.GetRequiredService<IOutageLedger>();

    public IConnectionStateRecorder Recorder => _provider.GetRequiredService<IConnectionStateRecorder>();

    public IShadowReader Reader => _provider.GetRequiredService<IShadowReader>();

    public DisconnectMonitor Monitor => _provider.GetRequiredService<DisconnectMonitor>();

    public FakeLogCollector Logs => _provider.GetFakeLogCollector();

    /// <summary>Grace 10 s, retry 2 s, polls of 1 s, outbox backoff 1-4 s, lease 30 s, unless told otherwise.</summary>
    public static TestProcess Create(
        string path,
        FakeTimeProvider? time = null,
        RecordingNotifier? notifier = null,
        IRecheckHandler? handler = null,
        Action<GracefulDisconnectOptions>? engine = null,
        Action<SqliteStoreOptions>? store = null)
    {
        time ??= new FakeTimeProvider(Epoch);
        notifier ??= new RecordingNotifier();
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(time);
        services
            .AddGracefulDisconnect(options =>
            {
                options.GracePeriod = TimeSpan.FromSeconds(10);
                options.RetryDelay = TimeSpan.FromSeconds(2);
                engine?.Invoke(options);
            })
            .AddNotifier(notifier)
            .AddSqliteStore(options =>
            {
                options.Path = path;
                options.SchedulerPollInterval = TimeSpan.FromSeconds(1);
                options.OutboxPollInterval = TimeSpan.FromSeconds(1);
                options.OutboxInitialBackoff = TimeSpan.FromSeconds(1);
                options.OutboxMaxBackoff = TimeSpan.FromSeconds(4);
                options.OutboxLease = TimeSpan.FromSeconds(30);
                store?.Invoke(options);
            });
        if (handler is not null)
        {
            services.Replace(ServiceDescriptor.Singleton(handler));
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<IStartupValidator>().Validate();
        return new TestProcess(provider, time, notifier);
    }

    public async Task<TestProcess> StartAsync()
    {
        _started = true;
        foreach (var service in _provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        return this;
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        foreach (var service in _provider.GetServices<IHostedService>().Reverse())
        {
            await service.StopAsync(cancellationToken);
        }
    }

    /// <summary>Ends the process: loops stop (in-flight work is cancelled after 5 s), nothing else is confirmed or cleaned up.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(Eventually.Limit))
        {
            await StopAsync(timeout.Token);
            if (timeout.IsCancellationRequested)
            {
                await _provider.DisposeAsync();
                Assert.Fail($"Stopping the process took longer than {Eventually.Limit.TotalSeconds} s.");
            }
        }

        await _provider.DisposeAsync();
    }
}
