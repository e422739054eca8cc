using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>Checks the attribute rules of <see cref="SnsNotifierOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class SnsNotifierOptionsAttributeValidator : IValidateOptions<SnsNotifierOptions>
{
}

/// <summary>Validates <see cref="SnsNotifierOptions"/> on start: attributes, endpoint and the topic ARN.</summary>
internal sealed class SnsNotifierOptionsValidator : IValidateOptions<SnsNotifierOptions>
{
    private readonly SnsNotifierOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, SnsNotifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));
        AwsClientOptionsRules.Check(builder, options);
        if (!string.IsNullOrEmpty(options.TopicArn) && !SnsTopicArn.TryParse(options.TopicArn, out _, out var problem))
        {
            builder.AddError($"'{options.TopicArn}' {problem}", nameof(options.TopicArn));
        }

        return builder.Build();
    }
}
