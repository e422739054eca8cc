namespace GracefulDisconnect.Sqlite;

/// <summary>Where a notification stands in the outbox.</summary>
internal enum OutboxStatus
{
    /// <summary>Someone holds the claim and is sending (or crashed while sending).</summary>
    Claimed,

    /// <summary>Sending failed; waiting for its next attempt, by a re-check or by the outbox.</summary>
    Released,

    /// <summary>Confirmed sent.</summary>
    Sent,
}

/// <summary>A row of the outbox: the notification of one outage and how far its delivery has come.</summary>
internal sealed record OutboxEntry(string ThingName, long StartedAtEpochSeconds, OutboxStatus Status, string NotificationJson, int Attempts, long NextAttemptTicks)
{
    public OutageId Outage => new(ThingName, DateTimeOffset.FromUnixTimeSeconds(StartedAtEpochSeconds));
}
