using System.Text;

namespace GracefulDisconnect.Email;

/// <summary>
/// Removes the password from text a server sent back. A server (or a proxy) may quote the command it refused, and
/// AUTH PLAIN and AUTH LOGIN carry the password only base64-encoded, so those forms are removed too.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Replacement = "[redacted]";

    private readonly string[] _secrets;

    public SecretRedactor(string? userName, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            _secrets = [];
            return;
        }

        var user = userName ?? string.Empty;
        _secrets =
        [
            .. new[]
            {
                Base64($"\0{user}\0{password}"),
                Base64($"{user}\0{user}\0{password}"),
                Base64(password),
                password,
            }.Distinct(StringComparer.Ordinal).OrderByDescending(secret => secret.Length),
        ];
    }

    public bool Contains(string? text)
        => text is not null && _secrets.Any(secret => text.Contains(secret, StringComparison.Ordinal));

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Replacement, StringComparison.Ordinal);
        }

        return text;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
