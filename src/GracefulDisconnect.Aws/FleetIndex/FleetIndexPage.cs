namespace GracefulDisconnect.Aws;

/// <summary>One page of a fleet index search.</summary>
/// <param name="Things">The things on this page.</param>
/// <param name="NextToken">Where the next page starts, or null on the last page.</param>
public sealed record FleetIndexPage(IReadOnlyList<IndexedThing> Things, string? NextToken);
