namespace GracefulDisconnect;

/// <summary>Which devices <see cref="IDeviceStore.ListByStatusAsync"/> lists, and in what order.</summary>
/// <param name="Offline">Devices whose committed status is offline (<see langword="true"/>), or online.</param>
/// <param name="Max">The most devices to return, at least 1.</param>
public sealed record DeviceStatusQuery(bool Offline, int Max)
{
    /// <summary>
    /// Order by (<see cref="DeviceStatus.Since"/>, thing name) descending, most recent first (for "back online
    /// recently"); by default ascending, longest in that status first (for "offline now").
    /// </summary>
    public bool NewestFirst { get; init; }

    /// <summary>Start strictly after this position in the query's order (keyset paging); <see langword="null"/> for the first page.</summary>
    public DeviceStatusCursor? After { get; init; }
}
