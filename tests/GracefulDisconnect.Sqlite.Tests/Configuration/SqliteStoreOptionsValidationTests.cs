using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Sqlite.Tests.Configuration;

public sealed class SqliteStoreOptionsValidationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task HostStart_PathMissing_FailsNamingPath()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddGracefulDisconnect().AddNotifier(new RecordingNotifier()).AddSqliteStore(_ => { });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Path", error.Message, StringComparison.Ordinal);
        Assert.Contains("database file is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(":memory:", "in-memory database")]
    [InlineData("file::memory:?cache=shared", "in-memory database")]
    public async Task Validate_InMemoryDatabase_IsRefused(string path, string expected)
    {
        var error = await ValidateAsync(o => o.Path = path);

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("Path", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_PathIsAFolder_SaysToNameAFileInIt()
    {
        var error = await ValidateAsync(o => o.Path = _database.Folder);

        Assert.Contains("is a directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MaxBackoffBelowInitial_IsRefused()
    {
        var error = await ValidateAsync(o =>
        {
            o.Path = _database.Path;
            o.OutboxInitialBackoff = TimeSpan.FromMinutes(1);
            o.OutboxMaxBackoff = TimeSpan.FromSeconds(10);
        });

        Assert.Contains("OutboxMaxBackoff", error, StringComparison.Ordinal);
        Assert.Contains("at least OutboxInitialBackoff", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_OutOfRangeValues_AreEachNamed()
    {
        var error = await ValidateAsync(o =>
        {
            o.Path = _database.Path;
            o.BusyTimeout = TimeSpan.FromSeconds(-1);
            o.MaxScheduleBatchSize = 0;
            o.OutboxLease = TimeSpan.Zero;
        });

        Assert.Contains("BusyTimeout", error, StringComparison.Ordinal);
        Assert.Contains("MaxScheduleBatchSize", error, StringComparison.Ordinal);
        Assert.Contains("OutboxLease", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Defaults_WithAPath_Pass()
    {
        Assert.Null(await ValidateAsync(o => o.Path = _database.Path));
    }

    [Fact]
    public async Task AddSqliteStore_FromConfiguration_BindsAndValidates()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GracefulDisconnect:Sqlite:Path"] = _database.Path,
            ["GracefulDisconnect:Sqlite:OutboxLease"] = "00:02:00",
            ["GracefulDisconnect:Sqlite:UseAsShadowReader"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddGracefulDisconnect().AddNotifier(new RecordingNotifier()).AddSqliteStore(configuration.GetSection(SqliteStoreOptions.SectionName));
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
        Assert.Equal((_database.Path, TimeSpan.FromMinutes(2), false), (options.Path, options.OutboxLease, options.UseAsShadowReader));
        Assert.Null(provider.GetService<IShadowReader>());
    }

    [Fact]
    public async Task Validate_OutboxLeaseShorterThanTheDigestWindowPlusAMinute_IsRefused()
    {
        var error = await ValidateAsync(
            o =>
            {
                o.Path = _database.Path;
                o.OutboxLease = TimeSpan.FromMinutes(5);
            },
            engine => engine.Digest = DigestThreshold.Parse("5m/10"));

        Assert.Contains("OutboxLease", error, StringComparison.Ordinal);
        Assert.Contains("digest window plus 1 minute (00:06:00)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_OutboxLeaseLongerThanTheDigestWindowPlusAMinute_IsAccepted()
    {
        var error = await ValidateAsync(
            o =>
            {
                o.Path = _database.Path;
                o.OutboxLease = TimeSpan.FromMinutes(5);
            },
            engine => engine.Digest = DigestThreshold.Parse("30s/10"));

        Assert.Null(error);
    }

    private static async Task<string?> ValidateAsync(Action<SqliteStoreOptions> configure, Action<GracefulDisconnectOptions>? engine = null)
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(engine ?? (_ => { })).AddNotifier(new RecordingNotifier()).AddSqliteStore(configure);
        await using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException exception)
        {
            return exception.Message;
        }
    }
}
