using System.Text;

namespace GracefulDisconnect.Webhooks;

/// <summary>Slack's <c>mrkdwn</c>: <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped as Slack requires, cut to a limit without breaking an entity.</summary>
internal static class SlackText
{
    /// <summary>The text escaped for mrkdwn, at most <paramref name="maxLength"/> characters after escaping.</summary>
    public static string Escape(string text, int maxLength, out bool truncated)
    {
        text = SafeText.Clean(text);
        var builder = new StringBuilder(Math.Min(text.Length + 16, maxLength));
        var budget = maxLength;
        truncated = false;
        for (var i = 0; i < text.Length; i++)
        {
            var piece = text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => null,
            };
            var pair = piece is null && char.IsHighSurrogate(text[i]) && i + 1 < text.Length;
            var length = piece?.Length ?? (pair ? 2 : 1);

            // Keep room for the ellipsis unless this is the very end of the text.
            var remainingAfter = text.Length - i - (pair ? 2 : 1);
            if (length > budget - (remainingAfter > 0 ? 1 : 0))
            {
                truncated = true;
                builder.Append(SafeText.Ellipsis);
                break;
            }

            if (piece is not null)
            {
                builder.Append(piece);
            }
            else if (pair)
            {
                builder.Append(text[i]).Append(text[++i]);
            }
            else
            {
                builder.Append(text[i]);
            }

            budget -= length;
        }

        return builder.ToString();
    }

    /// <summary>The text as inline code (no formatting inside), for names and ids: one line, no backticks.</summary>
    public static string Code(string text, int maxLength)
    {
        var plain = SafeText.OneLine(SafeText.Clean(text)).Replace('`', '\'');
        return plain.Length == 0 ? "(none)" : "`" + Escape(plain, maxLength - 2, out _) + "`";
    }
}
