namespace GracefulDisconnect.PostgreSql.Tests;

/// <summary>
/// What one <c>run</c> process or Worker holds: its own store connection to the shared database and schema, and a
/// <see cref="DeviceEngine"/> on it, deciding from its own record of events (no state source), grace 5 minutes.
/// </summary>
internal sealed class EngineProcess : IAsyncDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    private EngineProcess(PostgreSqlDeviceStore store, DeviceEngine engine)
    {
        Store = store;
        Engine = engine;
    }

    public PostgreSqlDeviceStore Store { get; }

    public DeviceEngine Engine { get; }

    public static async Task<EngineProcess> StartAsync(PostgresServer server, string schema, TimeProvider time, params INotifier[] notifiers)
    {
        var store = await PostgreSqlDeviceStore.OpenAsync(server.Options(schema), time);
        var options = Microsoft.Extensions.Options.Options.Create(new GracefulDisconnectOptions { GracePeriod = Grace });
        var engine = new DeviceEngine(store, reader: null, notifiers, options, new NotificationFormatter(options), time, new GracefulDisconnectMetrics());
        return new EngineProcess(store, engine);
    }

    /// <summary>Calls <paramref name="operation"/> until it does not fail transiently, as a host's loop or an event source does.</summary>
    public static async Task<T> RetryTransientAsync<T>(Func<Task<T>> operation, Action? onTransient = null)
    {
        var giveUpAt = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await operation();
            }
            catch (DeviceStoreException exception) when (exception.IsTransient && DateTime.UtcNow < giveUpAt)
            {
                onTransient?.Invoke();
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Engine.Dispose();
        await Store.DisposeAsync();
    }
}
