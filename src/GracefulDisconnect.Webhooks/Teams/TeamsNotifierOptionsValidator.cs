using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks;

/// <summary>Checks the attribute rules of <see cref="TeamsNotifierOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class TeamsNotifierOptionsAttributeValidator : IValidateOptions<TeamsNotifierOptions>
{
}

/// <summary>Validates <see cref="TeamsNotifierOptions"/> on start, naming the option and how to fix it.</summary>
internal sealed class TeamsNotifierOptionsValidator : IValidateOptions<TeamsNotifierOptions>
{
    private readonly TeamsNotifierOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, TeamsNotifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));
        WebhookClientOptionsRules.Check(builder, options, TeamsNotifier.Channel, name, "the HTTP URL of your Teams workflow's \"When a Teams webhook request is received\" trigger, for example in GracefulDisconnect:Teams:Url");
        return builder.Build();
    }
}
