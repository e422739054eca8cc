using System.ComponentModel.DataAnnotations;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Options of the SNS notifier; bind them from <see cref="SectionName"/>. Without a
/// <see cref="AwsClientOptions.Region"/>, requests go to the region named in <see cref="TopicArn"/>.
/// </summary>
public sealed class SnsNotifierOptions : AwsClientOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:Sns";

    /// <summary>
    /// The topic, for example <c>arn:aws:sns:ap-northeast-1:123456789012:device-offline</c>. A FIFO topic
    /// (name ending in <c>.fifo</c>) gets the thing as message group and the outage as deduplication id.
    /// </summary>
    [Required]
    public string TopicArn { get; set; } = string.Empty;
}
