namespace GracefulDisconnect;

/// <summary>Notifications of one group held during one digest window.</summary>
/// <typeparam name="T">What is held per notification.</typeparam>
internal sealed class DigestBatch<T>(string group, long openedTicks, long closesTicks)
{
    private readonly HashSet<string> _things = new(StringComparer.Ordinal);

    /// <summary>The group key.</summary>
    public string Group { get; } = group;

    /// <summary>When the first notification of the batch was decided.</summary>
    public long OpenedTicks { get; } = openedTicks;

    /// <summary>When the batch closes: notifications decided from then on start a new batch.</summary>
    public long ClosesTicks { get; } = closesTicks;

    /// <summary>The held notifications, in decision order.</summary>
    public List<(string Thing, T Item)> Items { get; } = [];

    /// <summary>How many distinct devices the batch holds.</summary>
    public int ThingCount => _things.Count;

    /// <summary>The distinct devices, in the order they first appeared.</summary>
    public IReadOnlyList<string> Things()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. Items.Select(item => item.Thing).Where(seen.Add)];
    }

    public void Add(string thing, T item)
    {
        Items.Add((thing, item));
        _things.Add(thing);
    }
}
