namespace GracefulDisconnect;

/// <summary>
/// An <see cref="IShadowReader"/> that can also read many devices in one go (AWS IoT fleet indexing: a hundred things a
/// <c>SearchIndex</c> request). When at least <see cref="MinimumBatch"/> re-checks are due together, the engine asks
/// for them all in one call instead of one read each, so a storm of 10⁶ disconnects stays within the API's quota.
/// </summary>
public interface IBatchShadowReader : IShadowReader
{
    /// <summary>The fewest due devices worth one batch read; fewer are read one by one.</summary>
    int MinimumBatch { get; }

    /// <summary>Reads the current connection state of many things.</summary>
    /// <param name="thingNames">The things, distinct.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The state of every thing read, <see langword="null"/> for one that does not exist. A thing left out counts as a
    /// failed read and is re-checked after <see cref="GracefulDisconnectOptions.RetryDelay"/>; an exception fails them all.
    /// </returns>
    ValueTask<IReadOnlyDictionary<string, ConnectionSnapshot?>> ReadManyAsync(IReadOnlyList<string> thingNames, CancellationToken cancellationToken = default);
}
