
namespace GracefulDisconnect.Cli.Run.Http;

/// <summary>
/// Reads the status page's snapshot through the store port: a page of the devices offline now (longest first), the
/// devices back in the last day (most recent first), the counts, and the engine's failing channels.
/// </summary>
internal sealed class StatusReader(IDeviceStore store, DeviceEngine engine, DeviceEngineHealth health, Func<EventSourceState> source, TimeProvider time, string storeName)
{
    public const int OfflinePerPage = 200;
    private const int RecoveredShown = 25;
    private static readonly TimeSpan RecentlyBack = TimeSpan.FromDays(1);

    public async Task<StatusSnapshot> ReadAsync(DeviceStatusCursor? after, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var counts = await store.CountAsync(cancellationToken);

        // One more than shown tells whether there is a next page.
        var offline = await store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, OfflinePerPage + 1) { After = after }, cancellationToken);
        var shown = offline.Take(OfflinePerPage).ToList();
        var back = await store.ListByStatusAsync(new DeviceStatusQuery(Offline: false, RecoveredShown) { NewestFirst = true }, cancellationToken);
        return new StatusSnapshot(
            now,
            storeName,
            source(),
            counts,
            [.. shown.Select(Row)],
            offline.Count > OfflinePerPage ? shown[^1].Cursor : null,
            [.. back.Where(device => device.Status.Since >= now - RecentlyBack).Select(Row)],
            engine.ChannelNames,
            engine.FailingChannels,
            health.Fault?.Message);
    }

    // A record of a newer version, say, reads as null: the row still shows the status the store holds.
    private static StatusRow Row(ListedDevice listed)
        => new(listed.Device.ThingName, listed.Status.Since, DeviceAlertState.TryRead(listed.Device, out var state) ? state : null);
}
