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

    private readonly Stream _output;
    private readonly Dictionary<string, byte[]> _escapedNames = new(ReferenceEqualityComparer.Instance);
    private readonly byte[] _buffer = new byte[64 * 1024 + 1024];
    private int _length;
    private TimeSpan _grace = TimeSpan.MinValue;
    private byte[] _graceBytes = [];

    public JsonLinesDecisionWriter(Stream output) => _output = output;

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

    // Alerts are few (a handful per outage at most), so they go through Utf8JsonWriter for the variable parts.
    public void OnNotification(in ReplayNotification notification)
    {
        Flush();
        using var json = new Utf8JsonWriter(_output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString(notification.Kind == NotificationKind.Digest ? "group" : "thing", notification.ThingName);
        json.WriteString("verdict", notification.Kind.ToReportName());
        json.WriteString("offlineSince", Utf8Timestamp.Format(notification.OfflineSince));
        json.WriteString("decidedAt", Utf8Timestamp.Format(notification.DecidedAt));
        json.WriteString("grace", DurationText.Format(notification.GracePeriod));
        if (notification.OfflineFor is { } offlineFor)
        {
            json.WriteString("offlineFor", DurationText.Format(offlineFor));
        }

        if (notification.RecoveredAt is { } recoveredAt)
        {
            json.WriteString("recoveredAt", Utf8Timestamp.Format(recoveredAt));
        }

        if (notification.Kind == NotificationKind.Reminder)
        {
            json.WriteNumber("reminder", notification.Reminder);
        }

        if (notification.Kind == NotificationKind.Flapping)
        {
            json.WriteNumber("disconnects", notification.Disconnects);
        }

        if (notification.Things is { } things)
        {
            json.WriteNumber("count", things.Count);
            json.WriteStartArray("things");
            foreach (var thing in things)
            {
                json.WriteStringValue(thing);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.Flush();
        _output.WriteByte((byte)'\n');
    }

    public void Flush()
    {
        _output.Write(_buffer, 0, _length);
        _length = 0;
        _output.Flush();
    }

    public void Dispose() => Flush();

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
