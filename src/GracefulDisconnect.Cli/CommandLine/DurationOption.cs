using System.CommandLine;

namespace GracefulDisconnect.Cli;

/// <summary>Options that take durations written as <c>90s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c> or <c>hh:mm:ss</c>.</summary>
internal static class DurationOption
{
    public static Option<TimeSpan> Single(string name, string description, TimeSpan? defaultValue = null, TimeSpan? max = null, TimeSpan? min = null)
    {
        var option = new Option<TimeSpan>(name)
        {
            Description = description,
            CustomParser = result => ParseOne(result, name, result.Tokens.Count == 0 ? null : result.Tokens[^1].Value, max, min),
        };
        if (defaultValue is { } value)
        {
            option.DefaultValueFactory = _ => value;
        }

        return option;
    }

    public static Option<TimeSpan[]> Many(string name, string description)
        => new(name)
        {
            Description = description,
            Required = true,
            CustomParser = result => [.. result.Tokens.Select(token => ParseOne(result, name, token.Value))],
        };

    private static TimeSpan ParseOne(System.CommandLine.Parsing.ArgumentResult result, string name, string? text, TimeSpan? max = null, TimeSpan? min = null)
    {
        if (!DurationText.TryParse(text, out var value))
        {
            result.AddError($"{name}: '{text}' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.");
            return default;
        }

        if (min is { } least && (value < least || value > max))
        {
            result.AddError($"{name}: must be between {DurationDisplay.Format(least)} and {DurationDisplay.Format(max ?? TimeSpan.MaxValue)}, not '{text}'.");
        }
        else if (value < TimeSpan.FromSeconds(1))
        {
            result.AddError($"{name}: must be at least 1s, not '{text}'.");
        }
        else if (value > max)
        {
            result.AddError($"{name} must be at most {DurationDisplay.Format(max.Value)}, not '{text}'.");
        }

        return value;
    }
}
