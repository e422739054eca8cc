using System.Buffers;
using System.Text;
using System.Text.Json;

namespace GracefulDisconnect.Engine;

/// <summary>
/// The text form of a <see cref="DeviceRecord"/> that stores keep. Compact JSON with short names and UTC ticks, so an
/// operator can still read it in the database, and a schema number so a later version can migrate what it finds.
/// </summary>
internal static class DeviceRecordCodec
{
    // 2 added the silence fields ("h", "w", "z"). A record without them is still written as 1, so a version that
    // knows only 1 keeps reading the records of users who do not watch for silence; one with them is refused there
    // (it would drop the silence and notify it again).
    // 3 added the stable-for fields of an open outage ("b", "a", "u"), written only while a device is back but not yet
    // stable, for the same reason.
    private const int Schema = 3;
    private const int SchemaWithSilence = 2;
    private const int SchemaWithoutSilence = 1;

    // One buffer and writer per thread, reset per record: writing is on the ingest's hot path, and a writer and a
    // growing buffer per record were most of what a recorded event allocated.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    public static string Write(DeviceRecord record)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        {
            json.WriteStartObject();
            var silence = record.HeardAt is not null || record.SilenceCheckAt is not null || record.Silent is not null;
            json.WriteNumber("s"u8, record.Open?.BackAt is not null ? Schema : silence ? SchemaWithSilence : SchemaWithoutSilence);
            if (record.Last is { } last)
            {
                json.WriteStartObject("l"u8);
                json.WriteBoolean("c"u8, last.Connected);
                json.WriteNumber("t"u8, last.At.UtcTicks);
                WriteVersion(json, last.Version);
                json.WriteEndObject();
            }

            if (record.Pending is { } pending)
            {
                json.WriteStartObject("p"u8);
                json.WriteNumber("t"u8, pending.DisconnectedAt.UtcTicks);
                WriteVersion(json, pending.Version);
                json.WriteNumber("d"u8, pending.DueAt.UtcTicks);
                json.WriteNumber("r"u8, pending.RecordedAt.UtcTicks);
                json.WriteEndObject();
            }

            if (record.Open is { } open)
            {
                json.WriteStartObject("o"u8);
                json.WriteNumber("t"u8, open.StartedAt.UtcTicks);
                WriteVersion(json, open.Version);
                json.WriteNumber("n"u8, open.NotifiedAt.UtcTicks);
                json.WriteNumber("k"u8, open.Reminders);
                if (open.NextReminderAt is { } next)
                {
                    json.WriteNumber("m"u8, next.UtcTicks);
                }

                if (open.BackAt is { } back && open.RecoverAt is { } recoverAt)
                {
                    json.WriteNumber("b"u8, back.UtcTicks);
                    json.WriteNumber("a"u8, recoverAt.UtcTicks);
                    if (open.Untold)
                    {
                        json.WriteBoolean("u"u8, true);
                    }
                }

                json.WriteEndObject();
            }

            if (record.LastNotifiedOutage != long.MinValue)
            {
                json.WriteNumber("x"u8, record.LastNotifiedOutage);
            }

            if (record.FlapLatest != long.MinValue)
            {
                json.WriteNumber("fl"u8, record.FlapLatest);
                json.WriteBoolean("ff"u8, record.Flapping);
                json.WriteStartArray("f"u8);
                foreach (var ticks in record.RecentDisconnects)
                {
                    json.WriteNumberValue(ticks);
                }

                json.WriteEndArray();
            }

            if (record.HeardAt is { } heard)
            {
                json.WriteNumber("h"u8, heard.UtcTicks);
            }

            if (record.SilenceCheckAt is { } check)
            {
                json.WriteNumber("w"u8, check.UtcTicks);
            }

            if (record.Silent is { } silent)
            {
                json.WriteStartObject("z"u8);
                json.WriteNumber("t"u8, silent.Since.UtcTicks);
                json.WriteNumber("n"u8, silent.NotifiedAt.UtcTicks);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.Flush();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <exception cref="FormatException">The text is not a record this version can read.</exception>
    public static DeviceRecord Read(string thingName, string state)
    {
        try
        {
            using var document = JsonDocument.Parse(state);
            var root = document.RootElement;
            var schema = root.GetProperty("s").GetInt32();
            if (schema > Schema)
            {
                throw new FormatException($"the record of '{thingName}' has schema {schema}, newer than this version reads ({Schema}); upgrade GracefulDisconnect");
            }

            var record = new DeviceRecord(thingName);
            if (root.TryGetProperty("l", out var last))
            {
                record = record with { Last = new ObservedChange(last.GetProperty("c").GetBoolean(), Utc(last, "t"), Version(last)) };
            }

            if (root.TryGetProperty("p", out var pending))
            {
                record = record with { Pending = new PendingRecheck(Utc(pending, "t"), Version(pending), Utc(pending, "d"), Utc(pending, "r")) };
            }

            if (root.TryGetProperty("o", out var open))
            {
                DateTimeOffset? next = open.TryGetProperty("m", out _) ? Utc(open, "m") : null;
                DateTimeOffset? back = open.TryGetProperty("b", out _) ? Utc(open, "b") : null;
                DateTimeOffset? recoverAt = open.TryGetProperty("a", out _) ? Utc(open, "a") : null;
                var untold = open.TryGetProperty("u", out var told) && told.GetBoolean();
                record = record with { Open = new NotifiedOutage(Utc(open, "t"), Version(open), Utc(open, "n"), open.GetProperty("k").GetInt32(), next, back, recoverAt, untold) };
            }

            if (root.TryGetProperty("x", out var notified))
            {
                record = record with { LastNotifiedOutage = notified.GetInt64() };
            }

            if (root.TryGetProperty("fl", out var flapLatest))
            {
                var recent = root.GetProperty("f");
                var ticks = new long[recent.GetArrayLength()];
                var i = 0;
                foreach (var item in recent.EnumerateArray())
                {
                    ticks[i++] = item.GetInt64();
                }

                record = record with { FlapLatest = flapLatest.GetInt64(), Flapping = root.GetProperty("ff").GetBoolean(), RecentDisconnects = ticks };
            }

            if (root.TryGetProperty("h", out _))
            {
                record = record with { HeardAt = Utc(root, "h") };
            }

            if (root.TryGetProperty("w", out _))
            {
                record = record with { SilenceCheckAt = Utc(root, "w") };
            }

            if (root.TryGetProperty("z", out var silent))
            {
                record = record with { Silent = new SilentOutage(Utc(silent, "t"), Utc(silent, "n")) };
            }

            return record;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            throw new FormatException($"the record of '{thingName}' is not readable: {exception.Message}", exception);
        }
    }

    private static void WriteVersion(Utf8JsonWriter json, long? version)
    {
        if (version is { } value)
        {
            json.WriteNumber("v"u8, value);
        }
    }

    private static long? Version(JsonElement element) => element.TryGetProperty("v", out var version) ? version.GetInt64() : null;

    private static DateTimeOffset Utc(JsonElement element, string name) => new(element.GetProperty(name).GetInt64(), TimeSpan.Zero);
}
