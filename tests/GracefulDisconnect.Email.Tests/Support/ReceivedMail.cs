using System.Text;
using MimeKit;

namespace GracefulDisconnect.Email.Tests.Support;

/// <summary>One message the loopback server accepted: its envelope, who authenticated, and the DATA as it arrived (dot-unstuffed).</summary>
public sealed record ReceivedMail(string MailFrom, IReadOnlyList<string> Recipients, string? AuthenticatedAs, byte[] Data)
{
    /// <summary>The raw message as text (UTF-8).</summary>
    public string RawText => Encoding.UTF8.GetString(Data);

    /// <summary>The header block only, as sent (folded lines kept).</summary>
    public string RawHeaders
    {
        get
        {
            var text = RawText;
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return end < 0 ? text : text[..end];
        }
    }

    /// <summary>Parses the message with MimeKit, as a mail client would.</summary>
    public MimeMessage Parse()
    {
        using var stream = new MemoryStream(Data);
        return MimeMessage.Load(stream);
    }
}
