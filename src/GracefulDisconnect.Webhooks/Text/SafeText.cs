using System.Text;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// Text made safe to put in a JSON payload with a length limit: no lone surrogates (a JSON writer refuses them and
/// receivers choke on them), cut at a limit in UTF-16 code units (what the services count, or more) without
/// splitting a surrogate pair, with an ellipsis that shows the cut.
/// </summary>
internal static class SafeText
{
    public const char Ellipsis = '…';

    /// <summary>The text with every lone surrogate replaced by U+FFFD; null becomes empty.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var firstBad = FirstLoneSurrogate(text);
        if (firstBad < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The text on one line: control characters (line breaks included) become spaces.</summary>
    public static string OneLine(string text)
        => !text.Any(char.IsControl) ? text : string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });

    /// <summary>The text cut to at most <paramref name="maxLength"/> code units, ending in an ellipsis when cut.</summary>
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = CutPoint(text, maxLength - 1);
        return string.Concat(text.AsSpan(0, cut), Ellipsis.ToString());
    }

    /// <summary>Where to cut so that at most <paramref name="length"/> code units stay and no surrogate pair is split.</summary>
    public static int CutPoint(string text, int length)
    {
        var cut = Math.Clamp(length, 0, text.Length);
        if (cut > 0 && cut < text.Length && char.IsHighSurrogate(text[cut - 1]) && char.IsLowSurrogate(text[cut]))
        {
            cut--;
        }

        return cut;
    }

    private static int FirstLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }
}
