using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace GracefulDisconnect.Aws;

/// <summary>
/// An AWS service refused a request of this package (after any retries): the message names the operation,
/// the resource (thing or topic), the AWS error code and the service's own message. It never carries
/// credentials, signatures or request bodies: the part of a service message that echoes the signed request
/// (signature errors do, with the session token) is left out, and control characters become spaces.
/// </summary>
public sealed class AwsServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AwsServiceException()
        : this("An AWS request failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public AwsServiceException(string message)
        : base(message)
    {
        Operation = string.Empty;
        Resource = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AwsServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = string.Empty;
        Resource = string.Empty;
    }

    /// <summary>Creates the exception for a failed AWS response.</summary>
    /// <param name="operation">The API operation, for example <c>GetThingShadow</c>.</param>
    /// <param name="resource">What it was about, for example <c>thing 'greenhouse-pi-3'</c>.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="errorCode">The AWS error code or type, for example <c>ForbiddenException</c> or <c>InvalidParameter</c>.</param>
    /// <param name="serviceMessage">The service's own explanation.</param>
    /// <param name="requestId">The AWS request id, for support cases.</param>
    public AwsServiceException(string operation, string resource, HttpStatusCode statusCode, string? errorCode, string? serviceMessage, string? requestId)
        : base(Describe(operation, resource, statusCode, OneLine(errorCode), ServiceText(serviceMessage), OneLine(requestId)))
    {
        Operation = operation;
        Resource = resource;
        StatusCode = statusCode;
        ErrorCode = OneLine(errorCode);
        ServiceMessage = ServiceText(serviceMessage);
        RequestId = OneLine(requestId);
    }

    /// <summary>The API operation, for example <c>GetThingShadow</c> or <c>Publish</c>.</summary>
    public string Operation { get; }

    /// <summary>What the request was about, for example <c>thing 'greenhouse-pi-3'</c>.</summary>
    public string Resource { get; }

    /// <summary>The HTTP status of the last attempt.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The AWS error code (<c>X-Amzn-Errortype</c> without its suffix, or the XML <c>Error/Code</c>).</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's own message.</summary>
    public string? ServiceMessage { get; }

    /// <summary>The AWS request id.</summary>
    public string? RequestId { get; }

    // Signature errors of SigV4 services echo the canonical request and the string to sign they computed; the
    // canonical request holds every signed header, the session token included. Everything from there on is cut.
    private static readonly string[] SignedRequestMarkers = ["The Canonical String", "The String-to-Sign", "x-amz-security-token", "X-Amz-Credential", "X-Amz-Signature"];

    /// <summary>The service's message, made safe to log: no echo of the signed request, one line, no control characters.</summary>
    internal static string? ServiceText(string? serviceMessage)
    {
        if (serviceMessage is null)
        {
            return null;
        }

        var cut = serviceMessage.Length;
        foreach (var marker in SignedRequestMarkers)
        {
            var at = serviceMessage.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && at < cut)
            {
                cut = at;
            }
        }

        return cut < serviceMessage.Length
            ? OneLine(serviceMessage[..cut]).TrimEnd() + " [the signed request the service echoed is left out]"
            : OneLine(serviceMessage);
    }

    // A hostile endpoint or proxy must not be able to write lines of its own into a log.
    [return: NotNullIfNotNull(nameof(text))]
    private static string? OneLine(string? text)
        => text is null || !text.Any(char.IsControl) ? text : string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });

    private static string Describe(string operation, string resource, HttpStatusCode statusCode, string? errorCode, string? serviceMessage, string? requestId)
    {
        var text = $"{operation} for {resource} failed: HTTP {(int)statusCode} {errorCode ?? statusCode.ToString()}";
        if (!string.IsNullOrWhiteSpace(serviceMessage))
        {
            text += $": {serviceMessage}";
        }

        return requestId is null ? text : $"{text} (request id {requestId})";
    }
}
