using System.ComponentModel.DataAnnotations;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// Options of a Microsoft Teams channel fed through a Power Automate workflow ("When a Teams webhook request is
/// received", then "Post card in a chat or channel"); bind them from <see cref="SectionName"/>. The
/// <see cref="WebhookClientOptions.Url"/> is the workflow's HTTP URL, whose <c>sig</c> query parameter is its secret.
/// </summary>
public sealed class TeamsNotifierOptions : WebhookClientOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:Teams";

    /// <summary>The channel name used when none is given.</summary>
    public const string DefaultName = "teams";

    /// <summary>How many devices of a digest are listed by name before "and N more". Default 20.</summary>
    [Range(1, 200)]
    public int MaxListedThings { get; set; } = 20;
}
