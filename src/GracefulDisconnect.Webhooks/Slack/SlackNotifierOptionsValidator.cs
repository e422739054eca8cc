using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks;

/// <summary>Checks the attribute rules of <see cref="SlackNotifierOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class SlackNotifierOptionsAttributeValidator : IValidateOptions<SlackNotifierOptions>
{
}

/// <summary>Validates <see cref="SlackNotifierOptions"/> on start, naming the option and how to fix it.</summary>
internal sealed class SlackNotifierOptionsValidator : IValidateOptions<SlackNotifierOptions>
{
    private readonly SlackNotifierOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, SlackNotifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));
        WebhookClientOptionsRules.Check(builder, options, SlackNotifier.Channel, name, "the incoming webhook URL of your Slack app (https://hooks.slack.com/services/...), for example in GracefulDisconnect:Slack:Url");
        return builder.Build();
    }
}
