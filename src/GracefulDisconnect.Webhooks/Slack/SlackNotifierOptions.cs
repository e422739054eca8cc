using System.ComponentModel.DataAnnotations;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// Options of a Slack incoming-webhook channel; bind them from <see cref="SectionName"/> (or a section of your
/// own per channel). The <see cref="WebhookClientOptions.Url"/> is the webhook URL Slack shows for your app
/// (<c>https://hooks.slack.com/services/T…/B…/…</c>): keep it in a secret store, not in a checked-in file.
/// </summary>
public sealed class SlackNotifierOptions : WebhookClientOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:Slack";

    /// <summary>The channel name used when none is given.</summary>
    public const string DefaultName = "slack";

    /// <summary>How many devices of a digest are listed by name before "and N more". Default 20.</summary>
    [Range(1, 200)]
    public int MaxListedThings { get; set; } = 20;
}
