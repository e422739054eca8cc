using System.Globalization;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Samples.Lambda;

/// <summary>
/// What the function reads from its environment variables (set by template.yaml). Endpoints, region and
/// credentials are not here: the AWS adapters resolve them themselves from <c>AWS_ENDPOINT_URL_IOT_DATA_PLANE</c>,
/// <c>AWS_ENDPOINT_URL_SNS</c>, <c>AWS_ENDPOINT_URL_SQS</c>, <c>AWS_ENDPOINT_URL</c>, <c>AWS_REGION</c> /
/// <c>AWS_DEFAULT_REGION</c> and the SDK's default credential chain (in Lambda: the execution role's
/// <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>).
/// </summary>
public sealed record FunctionSettings
{
    /// <summary>The SNS topic alerts go to (<c>SNS_TOPIC_ARN</c>, required).</summary>
    public required string TopicArn { get; init; }

    /// <summary>The re-check queue, for re-enqueueing records that are not due yet (<c>SQS_QUEUE_URL</c>, required).</summary>
    public required string QueueUrl { get; init; }

    /// <summary>How long a device may stay offline before anyone is told (<c>GRACE_PERIOD</c>: <c>90s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c> or hh:mm:ss). Default 5 minutes.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A named shadow holding the connection state (<c>SHADOW_NAME</c>); null for the classic shadow.</summary>
    public string? ShadowName { get; init; }

    /// <summary>IANA time zone for times in messages (<c>TIME_ZONE</c>, for example <c>Asia/Tokyo</c>); null for UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Culture for times in messages (<c>CULTURE</c>, for example <c>ja-JP</c>); null for the invariant culture.</summary>
    public string? Culture { get; init; }

    /// <summary>How many records of a batch are handled at once (<c>MAX_CONCURRENCY</c>, 1-100). Default 10, the template's batch size.</summary>
    public int MaxConcurrency { get; init; } = 10;

    /// <summary>
    /// Records not started this long after the invocation began are reported as failures without being
    /// touched, so a large batch never runs into the function timeout (which would retry the whole batch).
    /// Default 20 seconds: with the HTTP timeouts below, a started record ends well within the template's 60 s.
    /// </summary>
    public TimeSpan StartDeadline { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The least severe log level written (<c>AWS_LAMBDA_LOG_LEVEL</c>: TRACE, DEBUG, INFO, WARN, ERROR, FATAL). Default INFO.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Reads the settings from environment variables.</summary>
    /// <param name="environment">Reads one variable; the process environment by default.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="FunctionConfigurationException">A required variable is missing, or one is invalid; the message names it.</exception>
    public static FunctionSettings FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => environment(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        string Required(string name, string example)
            => Get(name) ?? throw new FunctionConfigurationException(name, $"is required, for example {example}");

        foreach (var variable in EndpointVariables)
        {
            if (Get(variable) is { } endpoint && !IsHttpUrl(endpoint))
            {
                throw new FunctionConfigurationException(variable, $"must be an absolute http or https URL such as https://example.amazonaws.com, not '{endpoint}'");
            }
        }

        var topicArn = Required("SNS_TOPIC_ARN", "arn:aws:sns:ap-northeast-1:123456789012:device-offline");
        if (!topicArn.StartsWith("arn:", StringComparison.Ordinal) || topicArn.Split(':').Length != 6)
        {
            throw new FunctionConfigurationException("SNS_TOPIC_ARN", $"must be a topic ARN such as arn:aws:sns:ap-northeast-1:123456789012:device-offline, not '{topicArn}'");
        }

        var queueUrl = Required("SQS_QUEUE_URL", "https://sqs.ap-northeast-1.amazonaws.com/123456789012/gracefuldisconnect-rechecks (records not due yet are sent back to it)");
        if (!IsHttpUrl(queueUrl))
        {
            throw new FunctionConfigurationException("SQS_QUEUE_URL", $"must be a queue URL such as https://sqs.ap-northeast-1.amazonaws.com/123456789012/rechecks, not '{queueUrl}'");
        }

        var grace = TimeSpan.FromMinutes(5);
        if (Get("GRACE_PERIOD") is { } graceText && !DurationText.TryParse(graceText, out grace))
        {
            throw new FunctionConfigurationException("GRACE_PERIOD", $"'{graceText}' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss");
        }

        var concurrency = 10;
        if (Get("MAX_CONCURRENCY") is { } concurrencyText
            && (!int.TryParse(concurrencyText, NumberStyles.None, CultureInfo.InvariantCulture, out concurrency) || concurrency is < 1 or > 100))
        {
            throw new FunctionConfigurationException("MAX_CONCURRENCY", $"must be a whole number from 1 to 100, not '{concurrencyText}'");
        }

        return new FunctionSettings
        {
            TopicArn = topicArn,
            QueueUrl = queueUrl,
            GracePeriod = grace,
            ShadowName = Get("SHADOW_NAME"),
            TimeZone = Get("TIME_ZONE"),
            Culture = Get("CULTURE"),
            MaxConcurrency = concurrency,
            LogLevel = ParseLogLevel(Get("AWS_LAMBDA_LOG_LEVEL")),
        };
    }

    private static readonly string[] EndpointVariables =
        ["AWS_ENDPOINT_URL_IOT_DATA_PLANE", "AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL"];

    private static bool IsHttpUrl(string text)
        => Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    // Lambda's advanced logging controls set AWS_LAMBDA_LOG_LEVEL; anything unknown keeps the default.
    private static LogLevel ParseLogLevel(string? text) => text?.ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "FATAL" or "CRITICAL" => LogLevel.Critical,
        _ => LogLevel.Information,
    };
}
