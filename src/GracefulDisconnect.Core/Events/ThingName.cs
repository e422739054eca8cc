namespace GracefulDisconnect;

/// <summary>
/// The rules every thing name must pass before it is used anywhere: not empty, at most 128 characters,
/// no control characters. Adapters add their own stricter rules (AWS IoT: <c>[a-zA-Z0-9:_-]</c>).
/// </summary>
public static class ThingName
{
    /// <summary>The longest thing name accepted (the AWS IoT limit).</summary>
    public const int MaxLength = 128;

    /// <summary>Checks a thing name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="problem">What is wrong, when the name is refused.</param>
    /// <returns>Whether the name is acceptable.</returns>
    public static bool IsValid(ReadOnlySpan<char> name, out string? problem)
    {
        if (name.IsEmpty)
        {
            problem = "must not be empty";
            return false;
        }

        if (name.Length > MaxLength)
        {
            problem = $"must be at most {MaxLength} characters, not {name.Length}";
            return false;
        }

        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                problem = "must not contain control characters";
                return false;
            }
        }

        problem = null;
        return true;
    }
}
