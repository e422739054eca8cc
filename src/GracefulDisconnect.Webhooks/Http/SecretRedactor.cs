namespace GracefulDisconnect.Webhooks;

/// <summary>
/// Removes a channel's secrets from text that came from outside (a response body, a runtime exception): the URL
/// whole and its long path segments and query values (where Slack and Teams keep the secret), the signing secret
/// and the values of extra headers. A receiver that echoes the request back cannot make a secret reach a log.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Mask = "***";

    // Path segments and query values shorter than this are structure (services, workflows, api-version=1), not secrets.
    private const int MinSecretPartLength = 12;

    private readonly string[] _secrets;

    public SecretRedactor(string? url, params IEnumerable<string?> otherSecrets)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var other in otherSecrets)
        {
            if (!string.IsNullOrEmpty(other) && other.Length >= 4)
            {
                secrets.Add(other);
            }
        }

        if (!string.IsNullOrEmpty(url))
        {
            secrets.Add(url);
            if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
            {
                AddUrlParts(secrets, uri);
            }
        }

        // Longest first, so a part never leaves half of a longer secret behind.
        _secrets = [.. secrets.OrderByDescending(secret => secret.Length)];
    }

    public bool ContainsSecret(string? text)
        => text is not null && _secrets.Any(secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase));

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    private static void AddUrlParts(HashSet<string> secrets, Uri uri)
    {
        secrets.Add(uri.AbsoluteUri);
        if (uri.PathAndQuery.Length >= MinSecretPartLength)
        {
            secrets.Add(uri.PathAndQuery);
        }

        foreach (var segment in uri.AbsolutePath.Split('/'))
        {
            AddPart(secrets, segment);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            AddPart(secrets, equals < 0 ? pair : pair[(equals + 1)..]);
        }
    }

    private static void AddPart(HashSet<string> secrets, string part)
    {
        if (part.Length < MinSecretPartLength)
        {
            return;
        }

        secrets.Add(part);
        var unescaped = Uri.UnescapeDataString(part);
        if (unescaped.Length >= MinSecretPartLength)
        {
            secrets.Add(unescaped);
        }
    }
}
