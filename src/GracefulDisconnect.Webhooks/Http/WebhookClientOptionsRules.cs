using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks;

/// <summary>The checks every <see cref="WebhookClientOptions"/> needs beyond its attributes, worded for the person who must fix them.</summary>
internal static class WebhookClientOptionsRules
{
    public static void Check(ValidateOptionsResultBuilder builder, WebhookClientOptions options, string channel, string? name, string urlExample)
    {
        var who = $"{channel} notifier '{name}'";
        if (WebhookUrl.Problem(options.Url, options.AllowInsecureHttp, urlExample) is { } problem)
        {
            builder.AddError($"{who}: Url {problem}.");
        }

        if (options.RetryBaseDelay > options.MaxRetryDelay)
        {
            builder.AddError($"{who}: RetryBaseDelay ({options.RetryBaseDelay}) must not exceed MaxRetryDelay ({options.MaxRetryDelay}); lower the one or raise the other.");
        }
    }
}
