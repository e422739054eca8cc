using System.ComponentModel.DataAnnotations;
using Amazon.Runtime;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Options of the SQS delay-queue scheduler; bind them from <see cref="SectionName"/>. The queue must be a
/// standard queue: FIFO queues have no per-message delay, which re-checks longer than 15 minutes hop on.
/// </summary>
public sealed class SqsSchedulerOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:Sqs";

    /// <summary>The longest per-message delay SQS allows: 15 minutes. Longer grace periods hop.</summary>
    public const int MaxDelaySeconds = 900;

    /// <summary>The queue, for example <c>https://sqs.ap-northeast-1.amazonaws.com/123456789012/gracefuldisconnect-rechecks</c>.</summary>
    [Required]
    public string QueueUrl { get; set; } = string.Empty;

    /// <summary>The region. Default: the one in <see cref="QueueUrl"/>, else <c>AWS_REGION</c>, else the SDK's chain.</summary>
    public string? Region { get; set; }

    /// <summary>The SQS endpoint. Default: <c>AWS_ENDPOINT_URL_SQS</c>, else <c>AWS_ENDPOINT_URL</c>, else the regional endpoint.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Credentials for the SQS client this package creates. Default: the SDK's default chain. Not bound from configuration.</summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>How many messages one <c>ReceiveMessage</c> of the poller asks for (1-10). Default 10.</summary>
    [Range(1, 10)]
    public int MaxMessagesPerPoll { get; set; } = 10;

    /// <summary>How long one <c>ReceiveMessage</c> of the poller waits for messages (long polling, 0-20 s). Default 20 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:20")]
    public TimeSpan ReceiveWaitTime { get; set; } = TimeSpan.FromSeconds(20);
}
