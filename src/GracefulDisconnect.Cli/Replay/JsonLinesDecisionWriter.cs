using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Cli.Replay;

/// <summary>
/// Writes one JSON line per decision:
/// <c>{"thing":"t1","verdict":"notify","offlineSince":"...Z","decidedAt":"...Z","grace":"00:05:00"}</c>.
/// Bytes are assembled by hand into one buffer because a replay writes hundreds of thousands of lines.
/// </summary>
internal sealed class JsonLinesDecisionWriter : IReplaySink, IDisposable
{
    private const int FlushThreshold = 60 * 1024;
    private static readonly byte[][] Verdicts = [.. Enum.GetValues<RecheckResult>().Select(r => Encoding.UTF8.GetBytes(r.ToReportName()))];
    private static readonly byte[][] KindNames = [.. Enum.GetValues<NotificationKind>().Select(k => Encoding.UTF8.GetBytes(k.ToReportName()))];

    private readonly Stream _output;
    private readonly Dictionary<string, byte[]> _escapedNames = new(ReferenceEqualityComparer.Instance);
    private readonly byte[] _buffer = new byte[64 * 1024 + 1024];
    private readonly ArrayBufferWriter<byte> _alertBuffer = new(1024);
    private readonly Utf8JsonWriter _alertJson;
    private int _length;
    private TimeSpan _grace = TimeSpan.MinValue;
    private byte[] _graceBytes = [];

    public JsonLinesDecisionWriter(Stream output)
    {
        _output = output;
        _alertJson = new Utf8JsonWriter(_alertBuffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void OnDecision(in ReplayDecision decision)
    {
        // Sent as part of its digest, whose line lists it: printing it too would count it twice.
        if (decision.FoldedIntoDigest)
        {
            return;
        }

        var thing = decision.ThingName;
        if (_length + (thing.Length * 6) + 160 > _buffer.Length)
        {
            Flush();
        }

        AppendStart(thing, Verdicts[(int)decision.Result], decision.OfflineSince, decision.DecidedAt, decision.GracePeriod);
        Append("}\n"u8);
        if (_length >= FlushThreshold)
        {
            Flush();
        }
    }

    // Alerts have optional fields and lists, so they go through one reused Utf8JsonWriter into one reused buffer: a
    // replay with every alert on writes hundreds of thousands of them, and a writer or string per line showed up as
    // kilobytes allocated per alert.
    public void OnNotification(in ReplayNotification notification)
    {
        _alertBuffer.ResetWrittenCount();
        _alertJson.Reset(_alertBuffer);
        var json = _alertJson;
        Span<byte> timestamp = stackalloc byte[Utf8Timestamp.Length];
        Span<char> duration = stackalloc char[32];
        json.WriteStartObject();
        json.WriteString(notification.Kind == NotificationKind.Digest ? "group"u8 : "thing"u8, notification.ThingName);
        json.WriteString("verdict"u8, KindNames[(int)notification.Kind]);
        Utf8Timestamp.Write(notification.OfflineSince, timestamp);
        json.WriteString("offlineSince"u8, timestamp);
        Utf8Timestamp.Write(notification.DecidedAt, timestamp);
        json.WriteString("decidedAt"u8, timestamp);
        json.WriteString("grace"u8, Duration(notification.GracePeriod, duration));
        if (notification.OfflineFor is { } offlineFor)
        {
            json.WriteString("offlineFor"u8, Duration(offlineFor, duration));
        }

        if (notification.RecoveredAt is { } recoveredAt)
        {
            Utf8Timestamp.Write(recoveredAt, timestamp);
            json.WriteString("recoveredAt"u8, timestamp);
        }

        if (notification.Kind == NotificationKind.Reminder)
        {
            json.WriteNumber("reminder"u8, notification.Reminder);
        }

        if (notification.Kind == NotificationKind.Flapping)
        {
            json.WriteNumber("disconnects"u8, notification.Disconnects);
        }

        if (notification.LastOfflineSince is { } lastOfflineSince)
        {
            Utf8Timestamp.Write(lastOfflineSince, timestamp);
            json.WriteString("lastOfflineSince"u8, timestamp);
        }

        if (notification.Things is { } things)
        {
            json.WriteNumber("count"u8, things.Count);
            json.WriteStartArray("things"u8);
            foreach (var thing in things)
            {
                json.WriteStringValue(thing);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.Flush();

        var line = _alertBuffer.WrittenSpan;
        if (_length + line.Length + 1 > _buffer.Length)
        {
            Flush();
        }

        if (line.Length + 1 > _buffer.Length)
        {
            // A digest of a whole fleet: larger than the buffer, straight through.
            _output.Write(line);
            _output.WriteByte((byte)'\n');
            return;
        }

        Append(line);
        Append("\n"u8);
        if (_length >= FlushThreshold)
        {
            Flush();
        }
    }

    private static ReadOnlySpan<char> Duration(TimeSpan value, Span<char> destination)
        => value.TryFormat(destination, out var written, "c", CultureInfo.InvariantCulture) ? destination[..written] : DurationText.Format(value);

    public void Flush()
    {
        _output.Write(_buffer, 0, _length);
        _length = 0;
        _output.Flush();
    }

    public void Dispose()
    {
        Flush();
        _alertJson.Dispose();
    }

    // Names of printable ASCII other than a quote or a backslash are written as they are, which is what the encoder
    // would write, without a lookup: at 50,000 things the cache of escaped names cost a few cache misses per line.
    private void AppendName(string name)
    {
        var destination = _buffer.AsSpan(_length);
        if (name.Length <= destination.Length && !name.AsSpan().ContainsAnyExceptInRange(' ', '~') && !name.AsSpan().ContainsAny('"', '\\'))
        {
            _length += System.Text.Encoding.ASCII.GetBytes(name, destination);
            return;
        }

        Append(EscapedName(name));
    }

    private byte[] EscapedName(string name)
    {
        if (!_escapedNames.TryGetValue(name, out var escaped))
        {
            escaped = JsonEncodedText.Encode(name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes.ToArray();
            _escapedNames.Add(name, escaped);
        }

        return escaped;
    }

    // {"thing":"t1","verdict":"notify","offlineSince":"...","decidedAt":"...","grace":"00:05:00"  (the object left open)
    private void AppendStart(string thing, ReadOnlySpan<byte> verdict, DateTimeOffset offlineSince, DateTimeOffset decidedAt, TimeSpan grace)
    {
        if (grace != _grace)
        {
            _grace = grace;
            _graceBytes = Encoding.UTF8.GetBytes(DurationText.Format(grace));
        }

        Append("{\"thing\":\""u8);
        AppendName(thing);
        Append("\",\"verdict\":\""u8);
        Append(verdict);
        Append("\",\"offlineSince\":\""u8);
        Utf8Timestamp.Write(offlineSince, _buffer.AsSpan(_length));
        _length += Utf8Timestamp.Length;
        Append("\",\"decidedAt\":\""u8);
        Utf8Timestamp.Write(decidedAt, _buffer.AsSpan(_length));
        _length += Utf8Timestamp.Length;
        Append("\",\"grace\":\""u8);
        Append(_graceBytes);
        Append("\""u8);
    }


    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }
}
