using MimeKit;

namespace GracefulDisconnect.Email;

/// <summary>One mailbox from configuration: <c>ops@example.com</c> or <c>"Ops" &lt;ops@example.com&gt;</c>, nothing more.</summary>
internal static class EmailAddress
{
    public static bool TryParse(string? text, out MailboxAddress mailbox, out string problem)
    {
        mailbox = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is empty";
            return false;
        }

        if (text.Any(char.IsControl))
        {
            problem = "contains a line break or another control character";
            return false;
        }

        if (!MailboxAddress.TryParse(ParserOptions.Default, text, out var parsed))
        {
            problem = "is not an e-mail address; write it as name@example.com or \"Name\" <name@example.com>";
            return false;
        }

        var at = parsed.Address.LastIndexOf('@');
        if (at <= 0 || at == parsed.Address.Length - 1)
        {
            problem = "has no domain; write it as name@example.com";
            return false;
        }

        mailbox = parsed;
        problem = string.Empty;
        return true;
    }

    public static MailboxAddress Parse(string text)
        => TryParse(text, out var mailbox, out var problem)
            ? mailbox
            : throw new FormatException($"'{text}' {problem}");
}
