using System.Text.Json;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Reads a <c>SearchIndex</c> answer: <c>{"things":[{"thingName","connectivity":{"connected","timestamp"
/// (epoch milliseconds),"disconnectReason"}}],"nextToken"}</c> (botocore <c>iot/2015-05-28</c>, <c>ThingDocument</c>).
/// </summary>
internal static class SearchIndexAnswer
{
    private const string Operation = "SearchIndex";
    private const long MaxMilliseconds = 253_402_300_799_999;

    public static FleetIndexPage Read(ReadOnlyMemory<byte> utf8Json, string queryString)
    {
        var resource = $"query '{queryString}'";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException exception)
        {
            throw new AwsResponseFormatException(Operation, resource, "$", "is not valid JSON", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new AwsResponseFormatException(Operation, resource, "$", "is not a JSON object");
            }

            var things = new List<IndexedThing>();
            if (root.TryGetProperty("things", out var list) && list.ValueKind != JsonValueKind.Null)
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw new AwsResponseFormatException(Operation, resource, "things", "is not a JSON array");
                }

                var index = 0;
                foreach (var thing in list.EnumerateArray())
                {
                    things.Add(Thing(thing, $"things[{index++}]", resource));
                }
            }

            var nextToken = root.TryGetProperty("nextToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } text ? text : null;
            return new FleetIndexPage(things, nextToken);
        }
    }

    private static IndexedThing Thing(JsonElement thing, string path, string resource)
    {
        if (thing.ValueKind != JsonValueKind.Object || !thing.TryGetProperty("thingName", out var nameValue) || nameValue.ValueKind != JsonValueKind.String)
        {
            throw new AwsResponseFormatException(Operation, resource, $"{path}.thingName", "is missing");
        }

        var name = nameValue.GetString()!;
        if (!AwsIotNames.IsValidThingName(name, out var problem))
        {
            throw new AwsResponseFormatException(Operation, resource, $"{path}.thingName", $"is not a thing name: it {problem}");
        }

        if (!thing.TryGetProperty("connectivity", out var connectivity) || connectivity.ValueKind != JsonValueKind.Object)
        {
            return new IndexedThing(name, null, null);
        }

        var reason = connectivity.TryGetProperty("disconnectReason", out var reasonValue) && reasonValue.ValueKind == JsonValueKind.String ? reasonValue.GetString() : null;
        if (!connectivity.TryGetProperty("connected", out var connected) || connected.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
            || !connectivity.TryGetProperty("timestamp", out var timestamp))
        {
            // Indexed, but the broker has not reported this thing (its client id is not its name, or it never connected).
            return new IndexedThing(name, null, reason);
        }

        if (timestamp.ValueKind != JsonValueKind.Number || !timestamp.TryGetInt64(out var milliseconds) || milliseconds < 0 || milliseconds > MaxMilliseconds)
        {
            throw new AwsResponseFormatException(Operation, resource, $"{path}.connectivity.timestamp", "is not a whole number of milliseconds since 1970-01-01");
        }

        return new IndexedThing(name, new ConnectionSnapshot(connected.ValueKind == JsonValueKind.True, DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)), reason);
    }
}
