using System.Net.Sockets;
using Amazon.Runtime;

namespace GracefulDisconnect.DynamoDb;

/// <summary>
/// Turns the SDK's and the service's errors into one line a person can act on, naming the table: a missing table,
/// missing permissions or missing credentials is the user's environment, not a bug. What a retry may cure
/// (throttling that outlasted the SDK's own retries, a service error, a lost connection) is transient, so the host
/// retries with backoff; the rest is not, since retrying a denied request only fills the logs.
/// </summary>
internal static class DynamoDbFailure
{
    public static bool IsStoreFailure(Exception exception)
        => exception is AmazonServiceException or AmazonClientException or HttpRequestException or SocketException or TimeoutException;

    public static DeviceStoreException Describe(Exception exception, string table)
    {
        var store = $"DynamoDB store table '{table}'";
        return exception switch
        {
            AmazonServiceException service => FromService(service, store),
            AmazonClientException client when client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase)
                => new DeviceStoreException($"{store}: no AWS credentials were found ({client.Message}); set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or run with a role", exception),
            AmazonClientException client when client.Message.Contains("region", StringComparison.OrdinalIgnoreCase)
                => new DeviceStoreException($"{store}: no AWS region is set ({client.Message}); set Region in the options or AWS_REGION", exception),
            AmazonClientException { InnerException: HttpRequestException or SocketException } or HttpRequestException or SocketException
                => Transient($"{store}: cannot reach DynamoDB ({Innermost(exception).Message}); is the endpoint right and reachable? Retrying", exception),
            TimeoutException or AmazonClientException { InnerException: TimeoutException or TaskCanceledException }
                => Transient($"{store}: DynamoDB did not answer in time; retrying", exception),
            _ => new DeviceStoreException($"{store}: {exception.Message}", exception),
        };
    }

    private static DeviceStoreException FromService(AmazonServiceException exception, string store)
    {
        var code = exception.ErrorCode ?? string.Empty;
        return code switch
        {
            "ResourceNotFoundException" => new DeviceStoreException($"{store}: the table (or one of its indexes) does not exist ({exception.Message}); create it as the GracefulDisconnect.DynamoDb README shows, set CreateTableIfMissing, or fix TableName and the region", exception),
            "AccessDeniedException" => new DeviceStoreException($"{store}: access denied ({exception.Message}); grant the IAM actions the GracefulDisconnect.DynamoDb README lists on the table and its indexes", exception),
            "UnrecognizedClientException" or "InvalidSignatureException" or "IncompleteSignature" or "MissingAuthenticationToken"
                => new DeviceStoreException($"{store}: DynamoDB refused the credentials ({code}: {exception.Message}); check the access key, the secret and the region", exception),
            "ExpiredTokenException" => Transient($"{store}: the AWS session token has expired ({exception.Message}); retrying with refreshed credentials", exception),
            "ValidationException" => new DeviceStoreException($"{store}: DynamoDB rejected a request ({exception.Message}); is the table one this store created, with its indexes, and is every item under 400 KB?", exception),
            "ProvisionedThroughputExceededException" or "RequestLimitExceeded" or "ThrottlingException" or "LimitExceededException"
                => Transient($"{store}: throttled by DynamoDB after the SDK's retries ({code}); retrying with backoff (on provisioned capacity, raise it or switch to on-demand)", exception),
            "InternalServerError" or "InternalFailure" or "ServiceUnavailable" or "TransactionConflictException"
                => Transient($"{store}: DynamoDB failed the request ({code}: {exception.Message}); retrying", exception),
            _ when (int)exception.StatusCode >= 500 => Transient($"{store}: DynamoDB failed the request ({code}: {exception.Message}); retrying", exception),
            _ => new DeviceStoreException($"{store}: {code} {exception.Message}", exception),
        };
    }

    private static DeviceStoreException Transient(string message, Exception exception) => new(message, exception) { IsTransient = true };

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
