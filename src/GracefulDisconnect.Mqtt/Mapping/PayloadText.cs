using System.Buffers;
using System.Text;

namespace GracefulDisconnect.Mqtt;

/// <summary>Payload bytes as text, for matching and for logs.</summary>
internal static class PayloadText
{
    /// <summary>The longest part of a payload that goes into a log line.</summary>
    public const int MaxLoggedLength = 120;

    // Availability payloads are a few bytes; anything far larger is not one, and is not decoded whole.
    private const int MaxDecodedBytes = 4096;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryDecode(ReadOnlySequence<byte> payload, out string text)
    {
        text = string.Empty;
        if (payload.Length > MaxDecodedBytes)
        {
            return false;
        }

        try
        {
            text = StrictUtf8.GetString(payload);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>The payload as a log shows it: truncated, control characters escaped, never throwing on binary.</summary>
    public static string ForLog(ReadOnlySequence<byte> payload)
    {
        var head = payload.Length > MaxLoggedLength * 4 ? payload.Slice(0, MaxLoggedLength * 4) : payload;
        var decoded = Encoding.UTF8.GetString(head);
        var builder = new StringBuilder(Math.Min(decoded.Length, MaxLoggedLength) + 16);
        foreach (var c in decoded)
        {
            if (builder.Length >= MaxLoggedLength)
            {
                builder.Append("… (").Append(payload.Length).Append(" bytes)");
                return builder.ToString();
            }

            // A payload comes from anyone who may publish: keep it from forging log lines.
            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
