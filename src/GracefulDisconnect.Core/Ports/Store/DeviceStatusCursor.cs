namespace GracefulDisconnect;

/// <summary>A position in a listing by status: its order is (<paramref name="Since"/>, <paramref name="ThingName"/> by ordinal comparison).</summary>
/// <param name="Since">The status time of the last device of the previous page.</param>
/// <param name="ThingName">Its name, which breaks ties between devices of the same time.</param>
public readonly record struct DeviceStatusCursor(DateTimeOffset Since, string ThingName);
