namespace GracefulDisconnect.Webhooks;

/// <summary>What <see cref="WebhookSignature.Verify(string, string?, string?, ReadOnlySpan{byte}, DateTimeOffset, TimeSpan)"/> found. Only <see cref="Valid"/> means the request may be trusted.</summary>
public enum WebhookSignatureResult
{
    /// <summary>The signature matches the body and timestamp, and the timestamp is within the tolerance.</summary>
    Valid,

    /// <summary>No <c>X-GracefulDisconnect-Timestamp</c> header (or an empty one).</summary>
    MissingTimestamp,

    /// <summary>The timestamp is not a whole number of Unix seconds.</summary>
    MalformedTimestamp,

    /// <summary>The timestamp is further from now than the tolerance, in the past (a replay) or in the future.</summary>
    StaleTimestamp,

    /// <summary>No <c>X-GracefulDisconnect-Signature</c> header (or an empty one).</summary>
    MissingSignature,

    /// <summary>The signature header is not <c>sha256=</c> followed by 64 hexadecimal digits.</summary>
    MalformedSignature,

    /// <summary>The signature does not match: the body or timestamp was changed, or the secret differs.</summary>
    Mismatch,
}
