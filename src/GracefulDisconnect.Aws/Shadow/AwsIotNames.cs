namespace GracefulDisconnect.Aws;

/// <summary>
/// AWS IoT naming rules, checked before any request so a typo never reaches AWS (or a log) as a path:
/// thing names <c>[a-zA-Z0-9:_-]{1,128}</c>, shadow names <c>[$a-zA-Z0-9:_-]{1,64}</c>.
/// </summary>
public static class AwsIotNames
{
    /// <summary>The longest thing name.</summary>
    public const int MaxThingNameLength = 128;

    /// <summary>The longest shadow name.</summary>
    public const int MaxShadowNameLength = 64;

    /// <summary>Checks a thing name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="problem">What is wrong, when the name is refused.</param>
    /// <returns>Whether the name is a valid AWS IoT thing name.</returns>
    public static bool IsValidThingName(string? name, out string? problem) => IsValid(name, MaxThingNameLength, allowDollar: false, out problem);

    /// <summary>Checks a named shadow's name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="problem">What is wrong, when the name is refused.</param>
    /// <returns>Whether the name is a valid shadow name.</returns>
    public static bool IsValidShadowName(string? name, out string? problem) => IsValid(name, MaxShadowNameLength, allowDollar: true, out problem);

    /// <summary>Throws when <paramref name="name"/> is not a valid thing name.</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="ArgumentException">The name is not valid; the message says why.</exception>
    public static void ThrowIfInvalidThingName(string? name)
    {
        if (!IsValidThingName(name, out var problem))
        {
            throw new ArgumentException($"Thing name {problem}.", nameof(name));
        }
    }

    /// <summary>Throws when <paramref name="name"/> is not a valid shadow name.</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="ArgumentException">The name is not valid; the message says why.</exception>
    public static void ThrowIfInvalidShadowName(string? name)
    {
        if (!IsValidShadowName(name, out var problem))
        {
            throw new ArgumentException($"Shadow name {problem}.", nameof(name));
        }
    }

    private static bool IsValid(string? name, int maxLength, bool allowDollar, out string? problem)
    {
        if (string.IsNullOrEmpty(name))
        {
            problem = "must not be empty";
            return false;
        }

        if (name.Length > maxLength)
        {
            problem = $"must be at most {maxLength} characters, not {name.Length}";
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is ':' or '_' or '-' || (allowDollar && c == '$')))
            {
                // Show the position, not the character: it may be a control character that would garble a terminal.
                problem = $"may contain only letters, digits, ':', '_', '-'{(allowDollar ? " and '$'" : string.Empty)}; position {i + 1} is not allowed";
                return false;
            }
        }

        problem = null;
        return true;
    }
}
