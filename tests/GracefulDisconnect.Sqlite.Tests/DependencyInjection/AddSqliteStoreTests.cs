using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GracefulDisconnect.Sqlite.Tests.DependencyInjection;

public sealed class AddSqliteStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AddSqliteStore_ReplacesTheInMemoryPortsAndAddsHostedServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGracefulDisconnect().AddNotifier(new RecordingNotifier()).AddSqliteStore(o => o.Path = _database.Path);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.Same(provider.GetRequiredService<SqliteScheduler>(), provider.GetRequiredService<IScheduler>());
        Assert.IsType<SqliteOutageLedger>(provider.GetRequiredService<IOutageLedger>());
        Assert.Same(provider.GetRequiredService<SqliteConnectionStateStore>(), provider.GetRequiredService<IShadowReader>());
        Assert.Same(provider.GetRequiredService<SqliteConnectionStateStore>(), provider.GetRequiredService<IConnectionStateRecorder>());
        var hosted = provider.GetServices<IHostedService>().ToArray();
        Assert.Equal(2, hosted.Length);
        Assert.Contains(hosted, h => h is SqliteSchedulerHostedService);
        Assert.Contains(hosted, h => h is OutboxDispatcher);
    }

    [Fact]
    public void AddSqliteStore_Twice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        var builder = services.AddGracefulDisconnect().AddNotifier(new RecordingNotifier());

        builder.AddSqliteStore(o => o.Path = _database.Path).AddSqliteStore(o => o.Path = _database.Path);

        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IHostedService)));
        Assert.Single(services, d => d.ServiceType == typeof(IScheduler));
        Assert.Single(services, d => d.ServiceType == typeof(IOutageLedger));
        Assert.Single(services, d => d.ServiceType == typeof(IShadowReader));
    }

    [Fact]
    public async Task AddSqliteStore_UseAsShadowReaderFalse_KeepsTheReaderConfiguredElsewhere()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGracefulDisconnect()
            .UseShadowReader<NoShadowReader>()
            .AddNotifier(new RecordingNotifier())
            .AddSqliteStore(o =>
            {
                o.Path = _database.Path;
                o.UseAsShadowReader = false;
            });
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<NoShadowReader>(provider.GetRequiredService<IShadowReader>());
        Assert.NotNull(provider.GetRequiredService<IConnectionStateRecorder>());
    }

    private sealed class NoShadowReader : IShadowReader
    {
        public ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default) => ValueTask.FromResult<ConnectionSnapshot?>(null);
    }
}
