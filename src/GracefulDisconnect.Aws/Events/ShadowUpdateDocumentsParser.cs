using System.Text;
using System.Text.Json;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Parses Device Shadow <c>$aws/things/{thing}/shadow/update/documents</c> messages
/// (<c>previous</c> and <c>current</c> documents) into a connection event when the connection
/// attribute changed. The time is <c>current.metadata.reported.{attribute}.timestamp</c> (epoch seconds),
/// the version <c>current.version</c>.
/// </summary>
public static class ShadowUpdateDocumentsParser
{
    private const string DocumentsSuffix = "/update/documents";
    private const string ThingsPrefix = "$aws/things/";

    /// <summary>Parses one update documents message.</summary>
    /// <param name="utf8Json">The UTF-8 JSON message.</param>
    /// <param name="thingName">The thing, taken from the topic (see <see cref="TryGetThingName"/>).</param>
    /// <param name="attribute">The reported attribute holding the connection flag (boolean). Default <c>connected</c>.</param>
    /// <returns>The event, or <see langword="null"/> when the update did not change the attribute.</returns>
    /// <exception cref="ConnectionEventFormatException">The message is malformed; the message names the JSON path.</exception>
    /// <exception cref="ArgumentException">The thing name is not valid.</exception>
    public static ConnectionEvent? Parse(ReadOnlySpan<byte> utf8Json, string thingName, string attribute = "connected")
    {
        if (!ThingName.IsValid(thingName, out var problem))
        {
            throw new ArgumentException($"Thing name {problem}.", nameof(thingName));
        }

        ArgumentException.ThrowIfNullOrEmpty(attribute);
        var attributeUtf8 = Encoding.UTF8.GetBytes(attribute);
        var reader = new Utf8JsonReader(utf8Json, JsonFields.ReaderOptions);
        try
        {
            JsonFields.ReadStartObject(ref reader, null);
            Document previous = default, current = default;
            var sawCurrent = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("previous"u8))
                {
                    JsonFields.ReadValue(ref reader);
                    previous = reader.TokenType == JsonTokenType.Null ? default : ReadDocument(ref reader, "previous", attributeUtf8, attribute);
                }
                else if (reader.ValueTextEquals("current"u8))
                {
                    JsonFields.ReadValue(ref reader);
                    current = ReadDocument(ref reader, "current", attributeUtf8, attribute);
                    sawCurrent = true;
                }
                else
                {
                    JsonFields.ReadValue(ref reader);
                    reader.Skip();
                }
            }

            JsonFields.ExpectEnd(ref reader);
            if (!sawCurrent)
            {
                throw JsonFields.Required("current");
            }

            if (current.Connected is not { } connected || previous.Connected == connected)
            {
                return null;
            }

            var timestampPath = $"current.metadata.reported.{attribute}.timestamp";
            var at = current.TimestampTicks ?? throw JsonFields.Required(timestampPath);
            return new ConnectionEvent(thingName, connected, JsonFields.Utc(at), current.Version);
        }
        catch (JsonException exception)
        {
            throw JsonFields.InvalidJson(exception);
        }
    }

    /// <summary>Parses one update documents message.</summary>
    /// <param name="json">The JSON message.</param>
    /// <param name="thingName">The thing, taken from the topic.</param>
    /// <param name="attribute">The reported attribute holding the connection flag.</param>
    /// <returns>The event, or <see langword="null"/> when the update did not change the attribute.</returns>
    public static ConnectionEvent? Parse(string json, string thingName, string attribute = "connected")
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), thingName, attribute);
    }

    /// <summary>
    /// Takes the thing name from a topic such as <c>$aws/things/{thing}/shadow/update/documents</c>
    /// or <c>$aws/things/{thing}/shadow/name/{shadow}/update/documents</c>.
    /// </summary>
    /// <param name="topic">The MQTT topic.</param>
    /// <param name="thingName">The thing name, when the topic is a shadow documents topic.</param>
    /// <returns>Whether the topic is one.</returns>
    public static bool TryGetThingName(string? topic, out string thingName)
    {
        thingName = string.Empty;
        if (topic is null || !topic.StartsWith(ThingsPrefix, StringComparison.Ordinal) || !topic.EndsWith(DocumentsSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = topic.AsSpan(ThingsPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || !rest[slash..].StartsWith("/shadow/", StringComparison.Ordinal) || !ThingName.IsValid(rest[..slash], out _))
        {
            return false;
        }

        thingName = rest[..slash].ToString();
        return true;
    }

    private static Document ReadDocument(ref Utf8JsonReader reader, string path, byte[] attribute, string attributeName)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ConnectionEventFormatException(path, "expected a JSON object");
        }

        var document = default(Document);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("state"u8))
            {
                JsonFields.ReadValue(ref reader);
                var depth = reader.CurrentDepth;
                if (EnterProperty(ref reader, "reported"u8, $"{path}.state") && EnterProperty(ref reader, attribute, $"{path}.state.reported")
                    && reader.TokenType != JsonTokenType.Null)
                {
                    document.Connected = JsonFields.ReadBoolean(ref reader, $"{path}.state.reported.{attributeName}");
                }

                SkipToEndOfObject(ref reader, depth);
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                JsonFields.ReadValue(ref reader);
                var depth = reader.CurrentDepth;
                var attributePath = $"{path}.metadata.reported.{attributeName}";
                if (EnterProperty(ref reader, "reported"u8, $"{path}.metadata") && EnterProperty(ref reader, attribute, $"{path}.metadata.reported")
                    && EnterProperty(ref reader, "timestamp"u8, attributePath))
                {
                    document.TimestampTicks = JsonFields.ReadEpoch(ref reader, $"{attributePath}.timestamp", TimeSpan.TicksPerSecond, "seconds");
                }

                SkipToEndOfObject(ref reader, depth);
            }
            else if (reader.ValueTextEquals("version"u8))
            {
                JsonFields.ReadValue(ref reader);
                document.Version = JsonFields.ReadOptionalInt64(ref reader, $"{path}.version");
            }
            else
            {
                JsonFields.ReadValue(ref reader);
                reader.Skip();
            }
        }

        return document;
    }

    // Positioned on an object, moves to the value of its property `name`; false (at the object's end) when absent.
    private static bool EnterProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ConnectionEventFormatException(path, "expected a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            JsonFields.ReadValue(ref reader);
            if (match)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private static void SkipToEndOfObject(ref Utf8JsonReader reader, int depth)
    {
        while (!(reader.CurrentDepth == depth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.Null) && reader.Read())
        {
        }
    }

    private struct Document
    {
        public bool? Connected;
        public long? TimestampTicks;
        public long? Version;
    }
}
