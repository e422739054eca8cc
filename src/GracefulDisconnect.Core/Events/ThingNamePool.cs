namespace GracefulDisconnect;

/// <summary>
/// Hands out one string instance per distinct thing name, so that parsing a million events of a
/// thousand devices allocates a thousand strings, not a million. Not thread-safe: one per reader.
/// </summary>
public sealed class ThingNamePool
{
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Creates an empty pool.</summary>
    public ThingNamePool() => _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>How many distinct names the pool holds.</summary>
    public int Count => _names.Count;

    /// <summary>The instance <see cref="Get"/> returned last.</summary>
    /// <remarks>
    /// With <see cref="LastId"/>, lets a consumer that was just handed this very instance (for example
    /// <see cref="Simulation.FleetHistory.Builder"/> right after a parse) index by the id instead of hashing
    /// the name again: at a million events of 50,000 devices, each hash table lookup is a few cache misses.
    /// </remarks>
    internal string? LastName { get; private set; }

    /// <summary>The id of <see cref="LastName"/>: 0 for the first distinct name, 1 for the next, and so on.</summary>
    internal int LastId { get; private set; }

    /// <summary>Returns the pooled string equal to <paramref name="name"/>, adding it when new.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The pooled instance.</returns>
    public string Get(ReadOnlySpan<char> name)
    {
        if (!_lookup.TryGetValue(name, out var pooled, out var id))
        {
            pooled = name.ToString();
            id = _names.Count;
            _names.Add(pooled, id);
        }

        LastName = pooled;
        LastId = id;
        return pooled;
    }
}
