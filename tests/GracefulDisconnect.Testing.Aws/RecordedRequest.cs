using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace GracefulDisconnect.Testing.Aws;

/// <summary>One request a fake received, as it was on the wire, with the outcome of signature verification.</summary>
public sealed record RecordedRequest
{
    /// <summary>The HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>The request target as sent (percent-encoded path and query).</summary>
    public required string RawTarget { get; init; }

    /// <summary>The headers, names lower-cased.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>The body.</summary>
    public required byte[] Body { get; init; }

    /// <summary>When the fake received it, on the fake's own monotonic clock (<see cref="System.Diagnostics.Stopwatch"/> time since the fake started).</summary>
    public TimeSpan ReceivedAt { get; init; }

    /// <summary>The signature check.</summary>
    public required SigV4Result Signature { get; init; }

    /// <summary>The raw path (before <c>?</c>).</summary>
    public string RawPath => RawTarget.Split('?', 2)[0];

    /// <summary>The raw query without <c>?</c>, or empty.</summary>
    public string RawQuery => RawTarget.Contains('?', StringComparison.Ordinal) ? RawTarget.Split('?', 2)[1] : string.Empty;

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The decoded query parameters.</summary>
    public IReadOnlyDictionary<string, string> Query => Parse(RawQuery);

    /// <summary>The body decoded as <c>application/x-www-form-urlencoded</c> (the AWS query protocol).</summary>
    public IReadOnlyDictionary<string, string> Form => Parse(BodyText);

    /// <summary>A header value, or null.</summary>
    /// <param name="name">The header name, any case.</param>
    /// <returns>The value.</returns>
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    private static Dictionary<string, string> Parse(string text)
        => QueryHelpers.ParseQuery(text).ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
}
