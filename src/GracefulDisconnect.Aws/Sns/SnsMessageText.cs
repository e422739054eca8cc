using System.Text;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Makes rendered text acceptable to SNS: a subject under 100 characters with no line breaks or control
/// characters, and a message within the 256 KiB limit (cut at a character boundary, with a marker saying so).
/// </summary>
internal static class SnsMessageText
{
    /// <summary>The largest Publish payload SNS accepts, in UTF-8 bytes.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    public const int MaxSubjectLength = 99;

    public const string TruncationMarker = "\n...[truncated: the message exceeded the SNS size limit]";

    private const string Ellipsis = "...";

    /// <summary>The subject, or null when nothing printable is left.</summary>
    public static string? Subject(string? subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            return null;
        }

        var builder = new StringBuilder(subject.Length);
        foreach (var c in subject)
        {
            var printable = char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c;
            if (printable != ' ' || (builder.Length > 0 && builder[^1] != ' '))
            {
                builder.Append(printable);
            }
        }

        var text = builder.ToString().TrimEnd();
        if (text.Length == 0)
        {
            return null;
        }

        return text.Length <= MaxSubjectLength ? text : string.Concat(CutAt(text, MaxSubjectLength - Ellipsis.Length).TrimEnd(), Ellipsis);
    }

    /// <summary>The message, cut to <paramref name="maxBytes"/> UTF-8 bytes including the marker when it is longer.</summary>
    public static string Message(string message, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(message) <= maxBytes)
        {
            return message;
        }

        var budget = maxBytes - Encoding.UTF8.GetByteCount(TruncationMarker);
        var length = 0;
        var bytes = 0;
        while (length < message.Length)
        {
            var step = char.IsHighSurrogate(message[length]) && length + 1 < message.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(message.AsSpan(length, step));
            if (bytes + size > budget)
            {
                break;
            }

            bytes += size;
            length += step;
        }

        return string.Concat(message.AsSpan(0, length), TruncationMarker);
    }

    // Never leaves half of a surrogate pair at the end.
    private static string CutAt(string text, int length)
        => length > 0 && char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];
}
