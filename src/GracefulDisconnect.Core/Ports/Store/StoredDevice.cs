namespace GracefulDisconnect;

/// <summary>A device's record as a store holds it.</summary>
/// <param name="ThingName">The device.</param>
/// <param name="Version">The version written with it: 1 for the first commit, one more for each after.</param>
/// <param name="State">The record, as the engine wrote it (opaque to the store).</param>
public sealed record StoredDevice(string ThingName, long Version, string State);
