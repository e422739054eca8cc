using System.Text;

namespace GracefulDisconnect.Email;

/// <summary>
/// Text that goes into a header: one line. Line breaks in a subject or a thing name would otherwise let the text
/// of a notification write headers of its own (a <c>Bcc:</c>, say); MimeKit folds and RFC 2047-encodes the rest.
/// </summary>
internal static class HeaderText
{
    public static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!text.Any(IsBreaking))
        {
            return text.Trim();
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = IsBreaking(source[i]) ? ' ' : source[i];
            }
        }).Trim();
    }

    /// <summary>
    /// Whether the text holds something a reader would take for an RFC 2047 encoded word. MimeKit writes ASCII text
    /// as it is, so a device named <c>=?utf-8?B?...?=</c> would be shown as whatever that decodes to.
    /// </summary>
    public static bool LooksEncoded(string text) => text.Contains("=?", StringComparison.Ordinal);

    /// <summary>
    /// The whole text as UTF-8 base64 encoded words, folded one to a line, in the raw form MimeKit keeps (a leading
    /// space, LF line ends): what a reader decodes is exactly the text. Words end on whole code points.
    /// </summary>
    public static byte[] EncodedWords(string text)
    {
        const int MaxBytesPerWord = 45; // 60 base64 characters: "=?utf-8?B?" + 60 + "?=" stays within 76.
        var raw = new StringBuilder();
        var chunk = new List<byte>(MaxBytesPerWord);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            if (chunk.Count + length > MaxBytesPerWord)
            {
                AppendWord(raw, chunk);
            }

            chunk.AddRange(utf8[..length]);
        }

        AppendWord(raw, chunk);
        return Encoding.ASCII.GetBytes(raw.ToString());
    }

    private static void AppendWord(StringBuilder raw, List<byte> chunk)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        raw.Append(" =?utf-8?B?").Append(Convert.ToBase64String([.. chunk])).Append("?=\n");
        chunk.Clear();
    }

    // Control characters (CR, LF, TAB, NUL, ...) and the Unicode line and paragraph separators.
    private static bool IsBreaking(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085';
}
