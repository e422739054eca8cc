using System.Net;

namespace GracefulDisconnect.Webhooks;

/// <summary>The rules for a webhook URL, and how to talk about one without giving its secret away.</summary>
internal static class WebhookUrl
{
    /// <summary>Scheme and host only (<c>https://hooks.slack.com/…</c>): the path and query are where the secret lives.</summary>
    public static string Describe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "(not set)";
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? $"{uri.Scheme}://{uri.Host}/…"
            : "(not an absolute http(s) URL)";
    }

    /// <summary>Why the URL cannot be used, without quoting it; null when it can.</summary>
    public static string? Problem(string? url, bool allowInsecureHttp, string example)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return $"is required: set it to {example}";
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return $"must be an absolute https URL such as {example} (the value given is not; it is not repeated here because webhook URLs are secrets)";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not carry a user name or password before the host";
        }

        if (uri.Scheme == "http" && !allowInsecureHttp && !IsLoopback(uri))
        {
            return $"must use https: http is accepted only for a loopback host (localhost, 127.0.0.1, ::1), and '{uri.Host}' is not one. Use the https URL, or set AllowInsecureHttp = true if you really mean plain HTTP";
        }

        return null;
    }

    public static Uri Parse(string? url) => new(url!.Trim(), UriKind.Absolute);

    private static bool IsLoopback(Uri uri)
        => uri.IsLoopback
           || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
           || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
