using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Sqlite.Tests.DependencyInjection;

/// <summary><c>UseSqliteStore</c>: the device engine on a SQLite file through DI alone, without a host, across a restart.</summary>
public sealed class UseSqliteStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();
    private readonly FakeTimeProvider _time = new(T0);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DisconnectRecordedBeforeARestart_IsNotifiedOnceByTheNextProcess()
    {
        await using (var before = Build(new RecordingNotifier()))
        {
            var sink = before.GetRequiredService<IConnectionEventSink>();
            await sink.RecordAsync([new ConnectionEvent("pump-1", Connected: false, At: T0), new ConnectionEvent("pump-2", Connected: false, At: T0)]);
            await sink.RecordAsync([new ConnectionEvent("pump-2", Connected: true, At: T0.AddSeconds(20))]);
        }

        _time.Advance(TimeSpan.FromMinutes(2));
        var notifier = new RecordingNotifier();
        await using (var after = Build(notifier))
        {
            var engine = after.GetRequiredService<DeviceEngine>();
            Assert.Equal(1, await engine.RunDueAsync());
            await engine.DeliverAsync();
            await engine.RunDueAsync();
            await engine.DeliverAsync();
        }

        var sent = Assert.Single(notifier.Sent);
        Assert.Equal(("pump-1", NotificationKind.Offline, T0), (sent.ThingName, sent.Kind, sent.OfflineSince));
    }

    [Fact]
    public async Task SecondContainerOnAFileInUse_FailsNamingTheFile()
    {
        await using var first = Build(new RecordingNotifier());
        first.GetRequiredService<IDeviceStore>();
        await using var second = Build(new RecordingNotifier());

        var failure = Assert.Throws<DeviceStoreException>(() => second.GetRequiredService<IDeviceStore>());

        Assert.Contains(_database.Path, failure.Message, StringComparison.Ordinal);
        Assert.Contains("in use", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyPath_IsRefusedAtRegistration()
    {
        var builder = new ServiceCollection().AddGracefulDisconnect();

        Assert.Throws<ArgumentException>(() => builder.UseSqliteStore(" "));
    }

    private ServiceProvider Build(RecordingNotifier notifier)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_time);
        services.AddGracefulDisconnect(o => o.GracePeriod = TimeSpan.FromMinutes(1))
            .UseLastKnownState()
            .AddNotifier(notifier)
            .UseSqliteStore(_database.Path);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
