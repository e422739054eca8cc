namespace GracefulDisconnect;

/// <summary>Ways to group notifications into storm digests: the key a device's notification is grouped under.</summary>
public static class DigestGroups
{
    /// <summary>The key of the single group every device belongs to by default.</summary>
    public const string AllKey = "*";

    /// <summary>One group for the whole fleet (the default).</summary>
    public static Func<string, string> All { get; } = _ => AllKey;

    /// <summary>
    /// Groups by the part of the name before the first <paramref name="separator"/>, for example the site in
    /// <c>osaka-gw3-sensor17</c>; a name without the separator is its own group.
    /// </summary>
    /// <param name="separator">The separator.</param>
    /// <param name="segments">How many leading segments make the key (2 gives <c>osaka-gw3</c>).</param>
    /// <returns>The grouping.</returns>
    public static Func<string, string> NamePrefix(char separator = '-', int segments = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segments, 1);
        return thing =>
        {
            var end = -1;
            for (var i = 0; i < segments; i++)
            {
                var next = thing.IndexOf(separator, end + 1);
                if (next < 0)
                {
                    return end < 0 ? thing : thing[..end];
                }

                end = next;
            }

            return thing[..end];
        };
    }

    /// <summary>
    /// Groups by a value looked up per device, for example the gateway or region attribute from the thing registry;
    /// devices without a value fall into <paramref name="fallback"/>.
    /// </summary>
    /// <param name="lookup">The value of a device, or <see langword="null"/>. Called once per notification; keep it fast (a dictionary loaded at start).</param>
    /// <param name="fallback">The group of devices without a value.</param>
    /// <returns>The grouping.</returns>
    public static Func<string, string> ByAttribute(Func<string, string?> lookup, string fallback = AllKey)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(fallback);
        return thing => lookup(thing) is { Length: > 0 } value ? value : fallback;
    }
}
