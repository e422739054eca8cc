namespace GracefulDisconnect.Cli.Run.Http;

/// <summary>What the status page shows, read from the store port (and the engine's channels) at one instant.</summary>
internal sealed record StatusSnapshot(
    DateTimeOffset Now,
    string Store,
    EventSourceState Source,
    DeviceStoreCounts Counts,
    IReadOnlyList<StatusRow> Offline,
    DeviceStatusCursor? NextPage,
    IReadOnlyList<StatusRow> Recovered,
    IReadOnlyList<string> Channels,
    IReadOnlyList<ChannelFailure> FailingChannels,
    string? EngineFault);

/// <summary>One device on the page: its status, and what its record says (notified, re-check pending, silent).</summary>
internal sealed record StatusRow(string ThingName, DateTimeOffset Since, DeviceAlertState? Record);
