namespace GracefulDisconnect;

/// <summary>One device's part of a commit (<see cref="IDeviceStore.CommitAsync"/>).</summary>
/// <param name="ThingName">The device.</param>
/// <param name="ExpectedVersion">The version loaded; 0 when the device was not stored. The store writes <c>ExpectedVersion + 1</c>.</param>
/// <param name="State">The new record (opaque to the store).</param>
/// <param name="WakeAt">When the device next needs the engine on its own (a re-check or a reminder); <see langword="null"/> for never.</param>
/// <param name="Outbox">Messages to deliver, written with the record; each is delivered to its channel until acknowledged.</param>
public sealed record DeviceChange(string ThingName, long ExpectedVersion, string State, DateTimeOffset? WakeAt, IReadOnlyList<OutboxMessage> Outbox)
{
    /// <summary>
    /// The device's status after this change, which the store keeps with the record (replacing the previous one) for
    /// <see cref="IDeviceStore.ListByStatusAsync"/> and <see cref="DeviceStoreCounts.Offline"/>; <see langword="null"/>
    /// when nothing is known yet (the device is then in no listing).
    /// </summary>
    public DeviceStatus? Status { get; init; }
}
