namespace GracefulDisconnect.Mqtt;

/// <summary>A received message translated: the event, or why there is none.</summary>
internal readonly record struct Translation(TranslationOutcome Outcome, ConnectionEvent Event = default, string? Rule = null, string? Thing = null, string? Problem = null);
