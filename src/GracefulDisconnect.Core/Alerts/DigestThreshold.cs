using System.Globalization;

namespace GracefulDisconnect;

/// <summary>
/// When notifications become a digest: those decided within <see cref="Window"/> of the first one in their group
/// are held, and if at least <see cref="MinThings"/> devices are among them, one digest goes out instead of one
/// message each. Written <c>30s/10</c> on the command line and in configuration.
/// </summary>
/// <param name="Window">How long a group collects notifications after its first one; 1 second to 1 hour. Every notification waits up to this long.</param>
/// <param name="MinThings">How many devices make a storm; 2 to 1,000,000.</param>
[System.ComponentModel.TypeConverter(typeof(DigestThresholdConverter))]
public readonly record struct DigestThreshold(TimeSpan Window, int MinThings)
{
    /// <summary>Parses <c>&lt;window&gt;/&lt;min&gt;</c>, for example <c>30s/10</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The threshold.</returns>
    /// <exception cref="FormatException">The text is not a valid threshold; the message says why.</exception>
    public static DigestThreshold Parse(string text)
        => TryParse(text, out var value, out var problem) ? value : throw new FormatException(problem);

    /// <summary>Tries to parse <c>&lt;window&gt;/&lt;min&gt;</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The threshold, when valid.</param>
    /// <param name="problem">What is wrong, when not.</param>
    /// <returns>Whether the text is a valid threshold.</returns>
    public static bool TryParse(string? text, out DigestThreshold value, out string? problem)
    {
        value = default;
        var slash = text?.LastIndexOf('/') ?? -1;
        if (slash < 0
            || !DurationText.TryParse(text![..slash], out var window)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var min))
        {
            problem = $"'{text}' is not a digest threshold; use <window>/<min things>, for example 30s/10.";
            return false;
        }

        var parsed = new DigestThreshold(window, min);
        if (!parsed.IsValid(out problem))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    /// <summary>Checks the ranges.</summary>
    /// <param name="problem">What is wrong, when not valid.</param>
    /// <returns>Whether the threshold is valid.</returns>
    public bool IsValid(out string? problem)
    {
        problem = Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromHours(1)
            ? $"a digest window is 1s to 1h (every notification waits that long), not {DurationText.Format(Window)}."
            : MinThings is < 2 or > 1_000_000
                ? $"a digest needs 2 to 1000000 things, not {MinThings}."
                : null;
        return problem is null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{DurationText.Format(Window)}/{MinThings.ToString(CultureInfo.InvariantCulture)}";
}
