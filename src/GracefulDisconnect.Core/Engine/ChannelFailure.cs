namespace GracefulDisconnect;

/// <summary>A channel whose latest delivery attempt in this process failed, and that has delivered nothing since (for a status page).</summary>
/// <param name="Channel">The channel's name.</param>
/// <param name="FailedAt">When the attempt failed.</param>
/// <param name="Attempts">How many attempts the message has had.</param>
/// <param name="RetryAt">When the channel tries again.</param>
/// <param name="Error">The failure's type and message (notifiers keep secrets out of their exceptions, DESIGN §10).</param>
public sealed record ChannelFailure(string Channel, DateTimeOffset FailedAt, int Attempts, DateTimeOffset RetryAt, string Error);
