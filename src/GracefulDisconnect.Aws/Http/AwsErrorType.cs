namespace GracefulDisconnect.Aws;

/// <summary>Reads the error type AWS REST-JSON services put in the <c>X-Amzn-Errortype</c> header.</summary>
internal static class AwsErrorType
{
    public const string HeaderName = "X-Amzn-Errortype";

    /// <summary>
    /// The error type without the namespace suffix some services append
    /// (<c>ThrottlingException:http://internal.amazon.com/coral/...</c> becomes <c>ThrottlingException</c>).
    /// </summary>
    public static string? Get(HttpResponseMessage response)
        => response.Headers.TryGetValues(HeaderName, out var values) ? Strip(values.FirstOrDefault()) : null;

    public static string? Strip(string? errorType)
    {
        if (string.IsNullOrWhiteSpace(errorType))
        {
            return null;
        }

        var colon = errorType.IndexOf(':', StringComparison.Ordinal);
        return (colon < 0 ? errorType : errorType[..colon]).Trim();
    }

    public static string? RequestId(HttpResponseMessage response)
        => response.Headers.TryGetValues("x-amzn-RequestId", out var values) || response.Headers.TryGetValues("x-amz-request-id", out values)
            ? values.FirstOrDefault()
            : null;
}
