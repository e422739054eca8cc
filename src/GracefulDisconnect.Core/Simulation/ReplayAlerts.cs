namespace GracefulDisconnect.Simulation;

/// <summary>
/// The opt-in alerts a replay shows next to its re-check decisions, so a user sees what a setting would have sent
/// before switching it on. The default sends none of them.
/// </summary>
public sealed record ReplayAlerts
{
    /// <summary>No extra alerts: re-check decisions only.</summary>
    public static ReplayAlerts None { get; } = new();

    /// <summary>A <c>recovered</c> line when a notified device reconnects.</summary>
    public bool Recovery { get; init; }

    /// <summary>A <c>reminder</c> line every interval after the notification while the outage goes on; <see langword="null"/> for none.</summary>
    public TimeSpan? RemindEvery { get; init; }

    /// <summary>
    /// At most this many reminders per outage. <see langword="null"/>: no limit, but none after the recording ends,
    /// which says nothing about what came after.
    /// </summary>
    public int? RemindMax { get; init; }

    /// <summary>One <c>flapping</c> line per flapping episode; <see langword="null"/> for none.</summary>
    public FlapThreshold? Flap { get; init; }

    /// <summary>Storm digests of notifications; <see langword="null"/> for none.</summary>
    public DigestThreshold? Digest { get; init; }

    /// <summary>The digest group of a device (see <see cref="DigestGroups"/>). Default: one group.</summary>
    public Func<string, string> DigestGroup { get; init; } = DigestGroups.All;

    internal bool IsNone => !Recovery && RemindEvery is null && Flap is null && Digest is null;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    internal void Validate()
    {
        if (RemindEvery is { } every && every < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"Reminders are at least 1s apart, not {DurationText.Format(every)}.", nameof(RemindEvery));
        }

        if (RemindMax is not null && RemindEvery is null)
        {
            throw new ArgumentException("A maximum of reminders needs an interval (RemindEvery).", nameof(RemindMax));
        }

        if (RemindMax is { } max && max < 1)
        {
            throw new ArgumentException($"At most {max} reminders: use at least 1, or no reminders.", nameof(RemindMax));
        }

        if (Flap is { } flap && !flap.IsValid(out var problem))
        {
            throw new ArgumentException(problem, nameof(Flap));
        }

        if (Digest is { } digest && !digest.IsValid(out problem))
        {
            throw new ArgumentException(problem, nameof(Digest));
        }

        ArgumentNullException.ThrowIfNull(DigestGroup);
    }
}
