using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// The signature of the generic webhook, for senders and for receivers written in .NET:
/// <c>X-GracefulDisconnect-Signature: sha256=&lt;hex&gt;</c>, the lowercase hexadecimal HMAC-SHA256 of
/// <c>"&lt;timestamp&gt;.&lt;raw body bytes&gt;"</c> keyed with the UTF-8 bytes of the shared secret, where
/// <c>&lt;timestamp&gt;</c> is the <c>X-GracefulDisconnect-Timestamp</c> header (Unix seconds) exactly as sent.
/// </summary>
/// <remarks>
/// Verify the raw body bytes as received, before any JSON parsing, and reject stale timestamps so a recorded request
/// cannot be replayed later. Deduplicate retried deliveries with the <c>X-GracefulDisconnect-Id</c> header. To rotate
/// the secret, let the receiver accept either secret (call <c>Verify</c> with each) until every sender has the new one.
/// </remarks>
public static class WebhookSignature
{
    /// <summary>The header with the Unix time (seconds) the request was signed at.</summary>
    public const string TimestampHeader = "X-GracefulDisconnect-Timestamp";

    /// <summary>The header with the signature, <c>sha256=&lt;64 lowercase hex digits&gt;</c>.</summary>
    public const string SignatureHeader = "X-GracefulDisconnect-Signature";

    /// <summary>The header with the notification's id, the same for every delivery of one notification: the key to deduplicate on.</summary>
    public const string IdHeader = "X-GracefulDisconnect-Id";

    /// <summary>What the signature header starts with.</summary>
    public const string Scheme = "sha256=";

    /// <summary>The fewest bytes a secret may have.</summary>
    public const int MinSecretBytes = 16;

    /// <summary>How far from now a timestamp may be by default: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Computes the signature header value for a body sent at <paramref name="timestamp"/>.</summary>
    /// <param name="secret">The shared secret; its UTF-8 bytes are the HMAC key.</param>
    /// <param name="timestamp">Unix time in seconds, as sent in <see cref="TimestampHeader"/>.</param>
    /// <param name="body">The raw body bytes.</param>
    /// <returns><c>sha256=</c> and 64 lowercase hexadecimal digits.</returns>
    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(secret, timestamp.ToString(CultureInfo.InvariantCulture), body, mac);
        return Scheme + Convert.ToHexStringLower(mac);
    }

    /// <summary>Verifies a request with the <see cref="DefaultTolerance"/> of 5 minutes.</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="timestampHeader">The <see cref="TimestampHeader"/> value as received.</param>
    /// <param name="signatureHeader">The <see cref="SignatureHeader"/> value as received.</param>
    /// <param name="body">The raw body bytes as received.</param>
    /// <param name="now">The receiver's current time.</param>
    /// <returns><see cref="WebhookSignatureResult.Valid"/>, or why the request must be refused.</returns>
    public static WebhookSignatureResult Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now)
        => Verify(secret, timestampHeader, signatureHeader, body, now, DefaultTolerance);

    /// <summary>
    /// Verifies a request: the timestamp is within <paramref name="tolerance"/> of <paramref name="now"/> and the signature
    /// matches (compared in constant time).
    /// </summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="timestampHeader">The <see cref="TimestampHeader"/> value as received.</param>
    /// <param name="signatureHeader">The <see cref="SignatureHeader"/> value as received.</param>
    /// <param name="body">The raw body bytes as received.</param>
    /// <param name="now">The receiver's current time.</param>
    /// <param name="tolerance">How far from <paramref name="now"/>, either way, the timestamp may be.</param>
    /// <returns><see cref="WebhookSignatureResult.Valid"/>, or why the request must be refused.</returns>
    public static WebhookSignatureResult Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, TimeSpan.Zero);
        var timestampText = timestampHeader?.Trim();
        if (string.IsNullOrEmpty(timestampText))
        {
            return WebhookSignatureResult.MissingTimestamp;
        }

        if (timestampText.Length > 15 || !long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return WebhookSignatureResult.MalformedTimestamp;
        }

        var age = now.ToUnixTimeSeconds() - timestamp;
        if (Math.Abs(age) > (long)Math.Ceiling(tolerance.TotalSeconds))
        {
            return WebhookSignatureResult.StaleTimestamp;
        }

        var signature = signatureHeader?.Trim();
        if (string.IsNullOrEmpty(signature))
        {
            return WebhookSignatureResult.MissingSignature;
        }

        Span<byte> received = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!signature.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || signature.Length != Scheme.Length + (2 * HMACSHA256.HashSizeInBytes)
            || Convert.FromHexString(signature.AsSpan(Scheme.Length), received, out _, out var written) != OperationStatus.Done
            || written != received.Length)
        {
            return WebhookSignatureResult.MalformedSignature;
        }

        // The MAC over the timestamp text exactly as received, so a reformatted timestamp cannot match.
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(secret, timestampText, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, received) ? WebhookSignatureResult.Valid : WebhookSignatureResult.Mismatch;
    }

    private static void Mac(string secret, string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        try
        {
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            hmac.AppendData(Encoding.ASCII.GetBytes(timestamp));
            hmac.AppendData("."u8);
            hmac.AppendData(body);
            hmac.GetHashAndReset(destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
