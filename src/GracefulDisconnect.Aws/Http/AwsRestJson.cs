using System.Net;
using System.Text.Json;

namespace GracefulDisconnect.Aws;

/// <summary>What the REST-JSON services of this package (IoT Data Plane, IoT control plane) share: error bodies and which answers to retry.</summary>
internal static class AwsRestJson
{
    private const int MaxServiceMessageLength = 512;

    /// <summary>
    /// Retry throttling and server errors. The IoT control plane models <c>ThrottlingException</c> as HTTP 400
    /// (botocore <c>iot/2015-05-28</c>), so a 400 is retried when its error type says throttling.
    /// </summary>
    public static ValueTask<bool> IsRetryableAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        => ValueTask.FromResult(AwsHttpClients.IsRetryableStatus(response) || IsThrottling(response));

    /// <summary>Whether the answer says the account is over a rate quota.</summary>
    public static bool IsThrottling(HttpResponseMessage response)
        => response.StatusCode == HttpStatusCode.TooManyRequests
            || (response.StatusCode == HttpStatusCode.BadRequest && AwsErrorType.Get(response) is "ThrottlingException" or "TooManyRequestsException" or "LimitExceededException");

    /// <summary>The service's <c>{"message": ...}</c>, shortened; anything else (a proxy's HTML page) is not worth repeating.</summary>
    public static string? ServiceMessage(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && (document.RootElement.TryGetProperty("message", out var message) || document.RootElement.TryGetProperty("Message", out message))
                && message.ValueKind == JsonValueKind.String)
            {
                var text = message.GetString()!;
                return text.Length <= MaxServiceMessageLength ? text : string.Concat(text.AsSpan(0, MaxServiceMessageLength), "...");
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>The exception for a failed answer (after any retries), with the service's error type, message and request id.</summary>
    public static AwsServiceException Failure(string operation, string resource, HttpResponseMessage response, byte[] body)
        => new(operation, resource, response.StatusCode, AwsErrorType.Get(response), ServiceMessage(body), AwsErrorType.RequestId(response));
}
