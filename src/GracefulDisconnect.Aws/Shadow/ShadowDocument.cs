using System.Text.Json;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Reads the connection state out of a <c>GetThingShadow</c> document: <c>state.reported.{attribute}</c>
/// and <c>metadata.reported.{attribute}.timestamp</c> (epoch seconds). Nested attributes (<c>a.b</c>)
/// follow the same path in both trees, as AWS mirrors the state in the metadata.
/// </summary>
internal sealed class ShadowDocument
{
    private readonly string[] _attributePath;
    private readonly string _statePath;
    private readonly string _timestampPath;
    private readonly HashSet<string> _connectedValues;
    private readonly HashSet<string> _disconnectedValues;

    public ShadowDocument(AwsIotShadowReaderOptions options)
    {
        _attributePath = options.ConnectedAttribute.Split('.');
        _statePath = $"state.reported.{options.ConnectedAttribute}";
        _timestampPath = $"metadata.reported.{options.ConnectedAttribute}.timestamp";
        _connectedValues = new HashSet<string>(options.ConnectedValues, StringComparer.OrdinalIgnoreCase);
        _disconnectedValues = new HashSet<string>(options.DisconnectedValues, StringComparer.OrdinalIgnoreCase);
    }

    public ConnectionSnapshot Read(ReadOnlyMemory<byte> utf8Json, string thingName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException exception)
        {
            throw new ShadowFormatException(thingName, "$", "is not valid JSON", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ShadowFormatException(thingName, "$", "is not a JSON object");
            }

            var state = Find(document.RootElement, "state", "reported", thingName, _statePath);
            var timestamp = Find(document.RootElement, "metadata", "reported", thingName, _timestampPath, "timestamp");
            var connected = ReadConnected(state, thingName);

            // Deliberately no ConnectionSnapshot.Version: the shadow's `version` grows with every update of any
            // attribute (firmware, telemetry...), not with connection changes, so comparing it with a lifecycle
            // versionNumber would call an unchanged outage "superseded". The metadata timestamp orders changes.
            return new ConnectionSnapshot(connected, ReadEpochSeconds(timestamp, thingName));
        }
    }

    private JsonElement Find(JsonElement root, string tree, string section, string thingName, string fullPath, string? leaf = null)
    {
        IEnumerable<string> steps = [tree, section, .. _attributePath];
        if (leaf is not null)
        {
            steps = steps.Append(leaf);
        }

        var current = root;
        var path = string.Empty;
        foreach (var step in steps)
        {
            if (current.ValueKind != JsonValueKind.Object)
            {
                throw new ShadowFormatException(thingName, path, "is not a JSON object");
            }

            path = path.Length == 0 ? step : $"{path}.{step}";
            if (!current.TryGetProperty(step, out current) || current.ValueKind == JsonValueKind.Null)
            {
                throw new ShadowFormatException(thingName, fullPath, "is missing: the device (or the rule that maintains its shadow) must report it");
            }
        }

        return current;
    }

    private bool ReadConnected(JsonElement value, string thingName)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (_connectedValues.Contains(text))
                {
                    return true;
                }

                if (_disconnectedValues.Contains(text))
                {
                    return false;
                }

                throw new ShadowFormatException(thingName, _statePath, _connectedValues.Count + _disconnectedValues.Count == 0
                    ? "is a string; expected true or false (or configure ConnectedValues and DisconnectedValues)"
                    : "is a string that is neither in ConnectedValues nor in DisconnectedValues");
            default:
                throw new ShadowFormatException(thingName, _statePath, $"is a JSON {value.ValueKind.ToString().ToLowerInvariant()}; expected true or false");
        }
    }

    private DateTimeOffset ReadEpochSeconds(JsonElement value, string thingName)
    {
        const long MaxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds) || seconds < 0 || seconds > MaxSeconds)
        {
            throw new ShadowFormatException(thingName, _timestampPath, "is not an integer number of seconds since 1970-01-01");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }
}
