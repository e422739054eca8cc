namespace GracefulDisconnect.Testing.Aws;

/// <summary>What <see cref="SigV4Verifier.Verify"/> found.</summary>
public sealed record SigV4Result
{
    /// <summary>Whether the signature is valid.</summary>
    public bool Valid { get; init; }

    /// <summary>Why it is not.</summary>
    public string? Problem { get; init; }

    /// <summary>The access key id of the credential scope.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The date (yyyyMMdd) of the credential scope.</summary>
    public string? Date { get; init; }

    /// <summary>The region of the credential scope.</summary>
    public string? Region { get; init; }

    /// <summary>The service of the credential scope.</summary>
    public string? Service { get; init; }

    /// <summary>The signed header names, ';'-separated.</summary>
    public string? SignedHeaders { get; init; }

    /// <summary>The canonical request the verifier built (for diagnosing a mismatch).</summary>
    public string? CanonicalRequest { get; init; }

    internal static SigV4Result Fail(string problem) => new() { Problem = problem };
}
