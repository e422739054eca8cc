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
        if (decision.GracePeriod != _grace)
        {
            _grace = decision.GracePeriod;
            _graceBytes = Encoding.UTF8.GetBytes(DurationText.Format(_grace));
        }

        var thing = decision.ThingName;
        if (_length + (thing.Length * 6) + 160 > _buffer.Length)
        {
            Flush();
        }

        Append("{\"thing\":\""u8);
        AppendName(thing);
        Append("\",\"verdict\":\""u8);
        Append(Verdicts[(int)decision.Result]);
        Append("\",\"offlineSince\":\""u8);
        Utf8Timestamp.Write(decision.OfflineSince, _buffer.AsSpan(_length));
        _length += Utf8Timestamp.Length;
        Append("\",\"decidedAt\":\""u8);
        Utf8Timestamp.Write(decision.DecidedAt, _buffer.AsSpan(_length));
        _length += Utf8Timestamp.Length;
        Append("\",\"grace\":\""u8);
        Append(_graceBytes);
        Append("\"}\n"u8);
        if (_length >= FlushThreshold)
        {
            Flush();
        }
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

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }
}
