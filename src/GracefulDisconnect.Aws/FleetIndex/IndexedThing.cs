namespace GracefulDisconnect.Aws;

/// <summary>A thing as the AWS IoT fleet index knows it.</summary>
/// <param name="ThingName">The thing.</param>
/// <param name="Connectivity">Its connectivity (<c>connectivity.connected</c>, <c>connectivity.timestamp</c> in epoch milliseconds), or null when the index holds none.</param>
/// <param name="DisconnectReason">The broker's reason for the last disconnect, for example <c>CONNECTION_LOST</c>.</param>
public sealed record IndexedThing(string ThingName, ConnectionSnapshot? Connectivity, string? DisconnectReason);
