using System.Net;

namespace GracefulDisconnect.Aws;

/// <summary>
/// An AWS service refused a request of this package (after any retries): the message names the operation,
/// the resource (thing or topic), the AWS error code and the service's own message. It never carries
/// credentials, signatures or request bodies.
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
        : base(Describe(operation, resource, statusCode, errorCode, serviceMessage, requestId))
    {
        Operation = operation;
        Resource = resource;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ServiceMessage = serviceMessage;
        RequestId = requestId;
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
