using System.Globalization;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Samples.Lambda;

/// <summary>
/// What the function reads from its environment variables (set by template.yaml). Endpoints, region and
/// credentials are not here: the AWS adapters resolve them themselves from <c>AWS_ENDPOINT_URL_IOT_DATA_PLANE</c>,
/// <c>AWS_ENDPOINT_URL_SNS</c>, <c>AWS_ENDPOINT_URL_DYNAMODB</c>, <c>AWS_ENDPOINT_URL</c>, <c>AWS_REGION</c> /
/// <c>AWS_DEFAULT_REGION</c> and the SDK's default credential chain (in Lambda: the execution role's
/// <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>).
/// </summary>
public sealed partial record FunctionSettings
{
    /// <summary>The SNS topic alerts go to (<c>SNS_TOPIC_ARN</c>, required).</summary>
    public required string TopicArn { get; init; }

    /// <summary>The DynamoDB table holding device records, due re-checks and the outbox (<c>STATE_TABLE</c>, required; the template declares it).</summary>
    public required string StateTable { get; init; }

    /// <summary>Publish a "back online" message when a device notified as offline connects again (<c>NOTIFY_RECOVERY</c>: <c>true</c> or <c>false</c>). Default false.</summary>
    public bool NotifyRecovery { get; init; }

    /// <summary>Remind this often while a notified device stays offline (<c>REMIND_EVERY</c>, a duration such as <c>1h</c>, at least 1 minute); null for no reminders.</summary>
    public TimeSpan? ReminderInterval { get; init; }

    /// <summary>At most this many reminders per outage (<c>MAX_REMINDERS</c>, 1-1000, needs <c>REMIND_EVERY</c>); null for no limit.</summary>
    public int? MaxReminders { get; init; }

    /// <summary>How long a device may stay offline before anyone is told (<c>GRACE_PERIOD</c>: <c>90s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c> or hh:mm:ss). Default 5 minutes.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A named shadow holding the connection state (<c>SHADOW_NAME</c>); null for the classic shadow.</summary>
    public string? ShadowName { get; init; }

    /// <summary>IANA time zone for times in messages (<c>TIME_ZONE</c>, for example <c>Asia/Tokyo</c>); null for UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Culture for times in messages (<c>CULTURE</c>, for example <c>ja-JP</c>); null for the invariant culture.</summary>
    public string? Culture { get; init; }

    /// <summary>How many shadows are read at once by a pass over due re-checks (<c>MAX_CONCURRENCY</c>, 1-100). Default 10.</summary>
    public int MaxConcurrency { get; init; } = 10;

    /// <summary>
    /// The pass over due re-checks and the delivery pass are not started this long after the invocation began: what
    /// they would have done is left in the table for the next invocation or the one-minute sweep, so an invocation
    /// never runs into the function timeout (which would make SQS deliver the whole batch again). Default 20 seconds.
    /// </summary>
    public TimeSpan StartDeadline { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The passes are cancelled this long after the invocation began; claims they held expire after the engine's
    /// lease and another invocation takes the work over. Default 45 seconds, within the template's 60 s timeout.
    /// </summary>
    public TimeSpan WorkDeadline { get; init; } = TimeSpan.FromSeconds(45);

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

        var stateTable = Required("STATE_TABLE", "gracefuldisconnect-state (the DynamoDB table template.yaml declares)");
        if (!TableNamePattern().IsMatch(stateTable))
        {
            throw new FunctionConfigurationException("STATE_TABLE", $"must be a DynamoDB table name (3-255 of a-z, A-Z, 0-9, '_', '-', '.'), not '{stateTable}'");
        }

        var notifyRecovery = Get("NOTIFY_RECOVERY") switch
        {
            null => false,
            { } text when text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
            { } text when text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
            { } text => throw new FunctionConfigurationException("NOTIFY_RECOVERY", $"must be true or false, not '{text}'"),
        };

        TimeSpan? remindEvery = null;
        if (Get("REMIND_EVERY") is { } remindText)
        {
            if (!DurationText.TryParse(remindText, out var interval)
                || interval < AlertOptions.MinReminderInterval || interval > AlertOptions.MaxReminderInterval)
            {
                throw new FunctionConfigurationException("REMIND_EVERY", $"must be a duration from 1m to 30d such as 1h, not '{remindText}'");
            }

            remindEvery = interval;
        }

        int? maxReminders = null;
        if (Get("MAX_REMINDERS") is { } maxText)
        {
            if (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max is < 1 or > AlertOptions.MaxRemindersLimit)
            {
                throw new FunctionConfigurationException("MAX_REMINDERS", $"must be a whole number from 1 to {AlertOptions.MaxRemindersLimit}, not '{maxText}'");
            }

            if (remindEvery is null)
            {
                throw new FunctionConfigurationException("MAX_REMINDERS", "needs REMIND_EVERY: without an interval there are no reminders to limit");
            }

            maxReminders = max;
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
            StateTable = stateTable,
            NotifyRecovery = notifyRecovery,
            ReminderInterval = remindEvery,
            MaxReminders = maxReminders,
            GracePeriod = grace,
            ShadowName = Get("SHADOW_NAME"),
            TimeZone = Get("TIME_ZONE"),
            Culture = Get("CULTURE"),
            MaxConcurrency = concurrency,
            LogLevel = ParseLogLevel(Get("AWS_LAMBDA_LOG_LEVEL")),
        };
    }

    private static readonly string[] EndpointVariables =
        ["AWS_ENDPOINT_URL_IOT_DATA_PLANE", "AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"];

    [System.Text.RegularExpressions.GeneratedRegex("^[a-zA-Z0-9_.-]{3,255}$")]
    private static partial System.Text.RegularExpressions.Regex TableNamePattern();

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
