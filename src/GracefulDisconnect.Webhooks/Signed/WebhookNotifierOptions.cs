namespace GracefulDisconnect.Webhooks;

/// <summary>
/// Options of a generic JSON webhook signed with HMAC-SHA256 (see <see cref="WebhookSignature"/>); bind them from
/// <see cref="SectionName"/>. <see cref="Secret"/> and the values of <see cref="Headers"/> never appear in logs,
/// exceptions or <see cref="WebhookClientOptions.ToString"/>.
/// </summary>
public sealed class WebhookNotifierOptions : WebhookClientOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:Webhook";

    /// <summary>The channel name used when none is given.</summary>
    public const string DefaultName = "webhook";

    /// <summary>
    /// The secret shared with the receiver; its UTF-8 bytes key the HMAC. At least 16 bytes; 32 random bytes as hex
    /// (<c>openssl rand -hex 32</c>) is a good choice. Required. Keep it in a secret store.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Extra headers sent with every request, for example an <c>Authorization</c> the receiver's gateway wants. Their
    /// values are treated as secrets. <c>Content-*</c>, <c>Host</c> and the <c>X-GracefulDisconnect-*</c> headers cannot be set.
    /// </summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
