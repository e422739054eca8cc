using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GracefulDisconnect.Testing.Aws;

/// <summary>
/// Recomputes an AWS Signature Version 4 from what arrived on the wire, with the known secret, and compares
/// it with the client's. Written from the specification, deliberately sharing no code with the SDK signer,
/// so a signer bug (wrong canonical path, unsigned token, stale date) shows up as a 403 in tests.
/// </summary>
public static class SigV4Verifier
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Verifies a request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawTarget">The request target exactly as sent (path and query, still percent-encoded).</param>
    /// <param name="headers">The request headers (names in any case).</param>
    /// <param name="body">The request body.</param>
    /// <param name="expectedService">The signing name the service expects (for example <c>iotdata</c>).</param>
    /// <param name="now">The server's clock, for the 15-minute skew rule.</param>
    /// <returns>The outcome, with the credential scope when it could be read.</returns>
    public static SigV4Result Verify(string method, string rawTarget, IReadOnlyDictionary<string, string> headers, byte[] body, string expectedService, DateTimeOffset now)
    {
        if (!headers.TryGetValue("authorization", out var authorization) || !authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return SigV4Result.Fail("missing or non-SigV4 Authorization header");
        }

        var parts = authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaderList) || !parts.TryGetValue("Signature", out var signature))
        {
            return SigV4Result.Fail("Authorization lacks Credential, SignedHeaders or Signature");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return SigV4Result.Fail($"malformed credential scope '{credential}'");
        }

        var (accessKey, date, region, service) = (scope[0], scope[1], scope[2], scope[3]);
        var result = new SigV4Result { AccessKeyId = accessKey, Date = date, Region = region, Service = service, SignedHeaders = signedHeaderList };
        if (!TestAwsCredentials.Known.TryGetValue(accessKey, out var known))
        {
            return result with { Problem = "unknown access key id" };
        }

        if (service != expectedService)
        {
            return result with { Problem = $"signed for service '{service}', expected '{expectedService}'" };
        }

        var signedHeaders = signedHeaderList.Split(';');
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-date"))
        {
            return result with { Problem = "host and x-amz-date must be signed" };
        }

        if (!headers.TryGetValue("x-amz-date", out var amzDate) || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return result with { Problem = "missing or malformed x-amz-date" };
        }

        if (!amzDate.StartsWith(date, StringComparison.Ordinal))
        {
            return result with { Problem = "credential scope date differs from x-amz-date" };
        }

        if ((now - signedAt).Duration() > TimeSpan.FromMinutes(15))
        {
            return result with { Problem = "signature is more than 15 minutes old or in the future" };
        }

        if (known.Token is { } token)
        {
            if (!headers.TryGetValue("x-amz-security-token", out var sent) || sent != token || !signedHeaders.Contains("x-amz-security-token"))
            {
                return result with { Problem = "temporary credentials need a signed x-amz-security-token header with the session token" };
            }
        }

        var payloadHash = Hex(SHA256.HashData(body));
        if (headers.TryGetValue("x-amz-content-sha256", out var claimed) && claimed != payloadHash)
        {
            return result with { Problem = "x-amz-content-sha256 does not match the body" };
        }

        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(CanonicalPath(rawTarget)).Append('\n')
            .Append(CanonicalQuery(rawTarget)).Append('\n');
        foreach (var name in signedHeaders)
        {
            if (!headers.TryGetValue(name, out var value))
            {
                return result with { Problem = $"signed header '{name}' is missing" };
            }

            canonical.Append(name).Append(':').Append(CollapseSpaces(value.Trim())).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaderList).Append('\n').Append(payloadHash);
        var stringToSign = $"{Algorithm}\n{amzDate}\n{date}/{region}/{service}/aws4_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + known.Secret), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));
        return expected == signature ? result with { Valid = true, CanonicalRequest = canonical.ToString() } : result with { Problem = "signature does not match", CanonicalRequest = canonical.ToString() };
    }

    /// <summary>
    /// The canonical path of every service but S3: the path as sent (already percent-encoded once) is
    /// encoded again, segment by segment, so <c>/things/a%3Ab</c> signs as <c>/things/a%253Ab</c>.
    /// </summary>
    public static string CanonicalPath(string rawTarget)
    {
        var path = rawTarget.Split('?', 2)[0];
        if (path.Length == 0)
        {
            return "/";
        }

        return string.Join('/', path.Split('/').Select(Encode));
    }

    private static string CanonicalQuery(string rawTarget)
    {
        var parts = rawTarget.Split('?', 2);
        if (parts.Length < 2 || parts[1].Length == 0)
        {
            return string.Empty;
        }

        return string.Join('&', parts[1].Split('&')
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Name: Encode(Uri.UnescapeDataString(pair[0])), Value: Encode(pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : string.Empty)))
            .OrderBy(pair => pair.Name, StringComparer.Ordinal)
            .ThenBy(pair => pair.Value, StringComparer.Ordinal)
            .Select(pair => $"{pair.Name}={pair.Value}"));
    }

    private static string Encode(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c != ' ' || builder.Length == 0 || builder[^1] != ' ')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
