using System.Text;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks;

/// <summary>Checks the attribute rules of <see cref="WebhookNotifierOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class WebhookNotifierOptionsAttributeValidator : IValidateOptions<WebhookNotifierOptions>
{
}

/// <summary>Validates <see cref="WebhookNotifierOptions"/> on start, naming the option and how to fix it (never quoting a secret).</summary>
internal sealed class WebhookNotifierOptionsValidator : IValidateOptions<WebhookNotifierOptions>
{
    private static readonly string[] ReservedHeaders = ["Host", "Transfer-Encoding", "Connection", "Content-", "X-GracefulDisconnect-"];

    private readonly WebhookNotifierOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, WebhookNotifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));
        WebhookClientOptionsRules.Check(builder, options, WebhookNotifier.Channel, name, "your receiver's https endpoint, for example in GracefulDisconnect:Webhook:Url");
        var who = $"{WebhookNotifier.Channel} notifier '{name}'";
        if (string.IsNullOrEmpty(options.Secret))
        {
            builder.AddError($"{who}: Secret is required: set it to a random secret shared with the receiver, at least {WebhookSignature.MinSecretBytes} bytes (for example the output of 'openssl rand -hex 32'), for example in GracefulDisconnect:Webhook:Secret.");
        }
        else if (Encoding.UTF8.GetByteCount(options.Secret) is var bytes && bytes < WebhookSignature.MinSecretBytes)
        {
            builder.AddError($"{who}: Secret is too short ({bytes} bytes): use at least {WebhookSignature.MinSecretBytes} bytes, for example the output of 'openssl rand -hex 32'.");
        }

        foreach (var (header, value) in options.Headers)
        {
            if (!IsToken(header))
            {
                builder.AddError($"{who}: Headers has a name that is not a valid HTTP header name ('{SafeText.OneLine(SafeText.Truncate(header, 40))}').");
            }
            else if (ReservedHeaders.Any(reserved => reserved.EndsWith('-') ? header.StartsWith(reserved, StringComparison.OrdinalIgnoreCase) : string.Equals(header, reserved, StringComparison.OrdinalIgnoreCase)))
            {
                builder.AddError($"{who}: Headers cannot set '{header}': the notifier sets it itself.");
            }

            if (value is null || !value.All(c => c is >= ' ' and <= '~'))
            {
                builder.AddError($"{who}: Headers['{SafeText.OneLine(SafeText.Truncate(header, 40))}'] must be printable ASCII, without line breaks or control characters (the value is not shown).");
            }
        }

        return builder.Build();
    }

    private static bool IsToken(string name)
        => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
