namespace GracefulDisconnect;

/// <summary>
/// Hands out one string instance per distinct thing name, so that parsing a million events of a
/// thousand devices allocates a thousand strings, not a million. Not thread-safe: one per reader.
/// </summary>
public sealed class ThingNamePool
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Creates an empty pool.</summary>
    public ThingNamePool() => _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>How many distinct names the pool holds.</summary>
    public int Count => _names.Count;

    /// <summary>Returns the pooled string equal to <paramref name="name"/>, adding it when new.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The pooled instance.</returns>
    public string Get(ReadOnlySpan<char> name)
    {
        if (_lookup.TryGetValue(name, out var existing))
        {
            return existing;
        }

        var added = name.ToString();
        _names.Add(added);
        return added;
    }
}
