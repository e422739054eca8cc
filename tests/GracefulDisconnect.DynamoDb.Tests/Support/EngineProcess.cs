namespace GracefulDisconnect.DynamoDb.Tests;

/// <summary>
/// What one Worker or Lambda instance holds: its own client and store on the shared table, and a
/// <see cref="DeviceEngine"/> on it, deciding from its own record of events (no state source), grace 5 minutes.
/// </summary>
internal sealed class EngineProcess : IDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    private EngineProcess(DynamoDbDeviceStore store, DeviceEngine engine)
    {
        Store = store;
        Engine = engine;
    }

    public DynamoDbDeviceStore Store { get; }

    public DeviceEngine Engine { get; }

    /// <summary>Creates the table on the system clock (creating waits on the store's clock, which tests fake).</summary>
    public static async Task<string> NewTableAsync(DynaliteServer server)
    {
        var table = DynaliteServer.NewTable();
        using (await DynamoDbDeviceStore.OpenAsync(server.Options(table), server.NewClient()))
        {
        }

        return table;
    }

    public static async Task<EngineProcess> StartAsync(DynaliteServer server, string table, TimeProvider time, params INotifier[] notifiers)
    {
        var store = await DynamoDbDeviceStore.OpenAsync(server.Options(table, createTableIfMissing: false), server.NewClient(), time);
        var options = Microsoft.Extensions.Options.Options.Create(new GracefulDisconnectOptions { GracePeriod = Grace });
        var engine = new DeviceEngine(store, reader: null, notifiers, options, new NotificationFormatter(options), time, new GracefulDisconnectMetrics());
        return new EngineProcess(store, engine);
    }

    public void Dispose()
    {
        Engine.Dispose();
        Store.Dispose();
    }
}
