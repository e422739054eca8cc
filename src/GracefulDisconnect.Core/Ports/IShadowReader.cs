namespace GracefulDisconnect;

/// <summary>Reads a device's current connection state from the source of truth (for AWS IoT: the Device Shadow).</summary>
public interface IShadowReader
{
    /// <summary>Reads the current connection state of a thing.</summary>
    /// <param name="thingName">The thing.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/> when the thing or its shadow does not exist.</returns>
    ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default);
}
