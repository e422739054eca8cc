namespace GracefulDisconnect.Cli;

/// <summary>
/// The alerts the command line asked for (<see cref="AlertFlags"/>), before they become the engine's options: <c>run</c>
/// lays them over its configuration, keeping what the flags did not name; <c>replay</c> starts from the defaults.
/// </summary>
internal sealed record AlertChoices
{
    public static AlertChoices None { get; } = new();

    public bool Recovery { get; init; }

    public TimeSpan? StableFor { get; init; }

    public TimeSpan? RemindEvery { get; init; }

    public int? RemindMax { get; init; }

    public FlapThreshold? Flap { get; init; }

    public DigestThreshold? Digest { get; init; }

    public Func<string, string> DigestGroup { get; init; } = DigestGroups.All;

    /// <summary>The engine's options with these alerts and nothing else (replay's).</summary>
    public GracefulDisconnectOptions ToOptions()
    {
        var options = new GracefulDisconnectOptions();
        ApplyGivenTo(options);
        return options;
    }

    /// <summary>Sets only the alerts the flags asked for, keeping the rest as configuration set them (<c>run --config</c>).</summary>
    public void ApplyGivenTo(GracefulDisconnectOptions options)
    {
        if (Recovery)
        {
            options.Alerts.NotifyRecovery = true;
        }

        if (StableFor is { } stableFor)
        {
            options.Alerts.StableFor = stableFor;
        }

        if (RemindEvery is { } every)
        {
            options.Alerts.ReminderInterval = every;
        }

        if (RemindMax is { } max)
        {
            options.Alerts.MaxReminders = max;
        }

        if (Flap is { } flap)
        {
            options.Alerts.Flapping = flap;
        }

        if (Digest is { } digest)
        {
            options.Alerts.Digest = digest;
            options.Alerts.DigestGroup = DigestGroup;
        }
    }
}
