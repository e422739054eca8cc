namespace GracefulDisconnect.Mqtt;

/// <summary>
/// A payload read by a rule: its meaning and, for the few conventions whose payload carries them, the source's own
/// time and ordering (AWS presence events).
/// </summary>
internal readonly record struct PayloadReading(PayloadMeaning Meaning, DateTimeOffset? At = null, long? Version = null)
{
    public static PayloadReading Unknown => new(PayloadMeaning.Unknown);
}
