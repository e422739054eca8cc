using System.Globalization;

namespace GracefulDisconnect;

/// <summary>
/// When a device counts as flapping: at least <see cref="Disconnects"/> distinct disconnects inside a sliding
/// <see cref="Window"/>. Written <c>6/1h</c> on the command line and in configuration.
/// </summary>
/// <param name="Disconnects">How many disconnects; 2 to 10,000.</param>
/// <param name="Window">How long the sliding window is; 1 second to 30 days.</param>
[System.ComponentModel.TypeConverter(typeof(FlapThresholdConverter))]
public readonly record struct FlapThreshold(int Disconnects, TimeSpan Window)
{
    /// <summary>The fewest disconnects a threshold may count: one disconnect is an outage, not a flap.</summary>
    public const int MinDisconnects = 2;

    /// <summary>The most disconnects a threshold may count (it bounds the memory kept per device).</summary>
    public const int MaxDisconnects = 10_000;

    /// <summary>Parses <c>&lt;count&gt;/&lt;window&gt;</c>, for example <c>6/1h</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The threshold.</returns>
    /// <exception cref="FormatException">The text is not a valid threshold; the message says why.</exception>
    public static FlapThreshold Parse(string text)
        => TryParse(text, out var value, out var problem) ? value : throw new FormatException(problem);

    /// <summary>Tries to parse <c>&lt;count&gt;/&lt;window&gt;</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The threshold, when valid.</param>
    /// <param name="problem">What is wrong, when not.</param>
    /// <returns>Whether the text is a valid threshold.</returns>
    public static bool TryParse(string? text, out FlapThreshold value, out string? problem)
    {
        value = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0
            || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || !DurationText.TryParse(text![(slash + 1)..], out var window))
        {
            problem = $"'{text}' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.";
            return false;
        }

        var parsed = new FlapThreshold(count, window);
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
        problem = Disconnects is < MinDisconnects or > MaxDisconnects
            ? $"a flap threshold counts {MinDisconnects} to {MaxDisconnects} disconnects, not {Disconnects}."
            : Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromDays(30)
                ? $"a flap window is 1s to 30d, not {DurationText.Format(Window)}."
                : null;
        return problem is null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Disconnects.ToString(CultureInfo.InvariantCulture)}/{DurationText.Format(Window)}";
}
