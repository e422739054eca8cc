namespace GracefulDisconnect;

/// <summary>
/// Where the engine keeps each device's record, its wake time and the outbox of notifications. The engine writes
/// a device's new record together with the notifications it produced in one commit, conditional on the version it
/// loaded (optimistic concurrency), so two processes never both act on the same state and nothing decided is lost
/// between deciding and sending. Records and notifications are opaque text to a store: it needs no engine types.
/// </summary>
/// <remarks>
/// Every implementation passes the same conformance suite (the <c>GracefulDisconnect.Testing.Stores</c> test
/// project). Built in: <see cref="InMemoryDeviceStore"/>; packages add SQLite, PostgreSQL and DynamoDB.
/// </remarks>
public interface IDeviceStore
{
    /// <summary>Loads the records of the given devices; devices never stored are left out.</summary>
    /// <param name="thingNames">The devices, each once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored records.</returns>
    ValueTask<IReadOnlyList<StoredDevice>> LoadAsync(IReadOnlyCollection<string> thingNames, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the changes in one atomic commit: each device's record, wake time and outbox messages, conditional on
    /// the device's stored version being <see cref="DeviceChange.ExpectedVersion"/> (0: not stored yet). A change
    /// whose condition fails is written not at all, and its device is returned; the others are written together.
    /// A successful write clears the device's claim (<see cref="ClaimDueAsync"/>).
    /// </summary>
    /// <param name="changes">The changes, at most one per device.</param>
    /// <param name="cancellationToken">Cancels the call; a cancelled commit has written everything or nothing.</param>
    /// <returns>The devices whose version had moved on (load them again and redo their step).</returns>
    /// <exception cref="DeviceStoreException">The store could not be written (nothing was).</exception>
    ValueTask<IReadOnlyCollection<string>> CommitAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> devices whose wake time is at or before <paramref name="now"/> and that
    /// nobody else holds, earliest wake first, for <paramref name="lease"/>: until then no other caller gets them, so a
    /// due re-check goes to exactly one process; after it (the claimer died) anyone may.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="lease">How long the claim holds.</param>
    /// <param name="max">The most devices to claim.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed devices.</returns>
    ValueTask<IReadOnlyList<string>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> undelivered messages of one channel whose next attempt is due, oldest
    /// first, for <paramref name="lease"/> (a sender that dies leaves them to be taken over after it).
    /// </summary>
    /// <param name="channel">The channel.</param>
    /// <param name="now">The current time.</param>
    /// <param name="lease">How long the claim holds.</param>
    /// <param name="max">The most messages to claim.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed messages, in the order they were committed.</returns>
    ValueTask<IReadOnlyList<PendingDelivery>> ClaimDeliveriesAsync(string channel, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default);

    /// <summary>Records that a channel acknowledged a message: it is never offered again.</summary>
    /// <param name="sequence">The message (<see cref="PendingDelivery.Sequence"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once recorded.</returns>
    ValueTask CompleteDeliveryAsync(long sequence, CancellationToken cancellationToken = default);

    /// <summary>Records a failed attempt: the message is offered again at <paramref name="retryAt"/>.</summary>
    /// <param name="sequence">The message.</param>
    /// <param name="retryAt">When to try again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once recorded.</returns>
    ValueTask RetryDeliveryAsync(long sequence, DateTimeOffset retryAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists devices by the status committed with their current version (<see cref="DeviceChange.Status"/>; devices
    /// committed without one are never listed): those offline, or those online, ordered by
    /// (<see cref="DeviceStatus.Since"/>, thing name by ordinal comparison), ascending unless
    /// <see cref="DeviceStatusQuery.NewestFirst"/>, starting after <see cref="DeviceStatusQuery.After"/>. For a status
    /// page (read-only, no claims): a page need not be a consistent snapshot with the next one, but a device whose
    /// status did not change between two pages appears on exactly one of them.
    /// </summary>
    /// <param name="query">Which devices, in what order, from where.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>At most <see cref="DeviceStatusQuery.Max"/> devices, in the query's order.</returns>
    /// <remarks>
    /// A store indexes the status so the cost is that of the page, not of the fleet: SQL stores a partial index on
    /// (offline, since, thing); a key-value store a secondary index whose key is the status and whose sort key is
    /// (since, thing).
    /// </remarks>
    ValueTask<IReadOnlyList<ListedDevice>> ListByStatusAsync(DeviceStatusQuery query, CancellationToken cancellationToken = default);

    /// <summary>Counts what is still to do: devices with a wake time, undelivered messages, and devices whose committed status is offline.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts.</returns>
    ValueTask<DeviceStoreCounts> CountAsync(CancellationToken cancellationToken = default);
}
