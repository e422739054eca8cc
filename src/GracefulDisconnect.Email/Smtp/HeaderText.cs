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

    // Control characters (CR, LF, TAB, NUL, ...) and the Unicode line and paragraph separators.
    private static bool IsBreaking(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085';
}
