using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>Checks the attribute rules of <see cref="AwsIotShadowReaderOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class AwsIotShadowReaderOptionsAttributeValidator : IValidateOptions<AwsIotShadowReaderOptions>
{
}

/// <summary>Validates <see cref="AwsIotShadowReaderOptions"/> on start: attributes, endpoint, shadow name, attribute path and value lists.</summary>
internal sealed class AwsIotShadowReaderOptionsValidator : IValidateOptions<AwsIotShadowReaderOptions>
{
    private readonly AwsIotShadowReaderOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, AwsIotShadowReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));
        AwsClientOptionsRules.Check(builder, options);
        if (!string.IsNullOrEmpty(options.ShadowName) && !AwsIotNames.IsValidShadowName(options.ShadowName, out var problem))
        {
            builder.AddError(problem!, nameof(options.ShadowName));
        }

        if (!string.IsNullOrEmpty(options.ConnectedAttribute) && options.ConnectedAttribute.Split('.').Any(string.IsNullOrWhiteSpace))
        {
            builder.AddError($"'{options.ConnectedAttribute}' is not an attribute path; use a name such as 'connected' or 'status.connected'", nameof(options.ConnectedAttribute));
        }

        var overlap = options.ConnectedValues.Intersect(options.DisconnectedValues, StringComparer.OrdinalIgnoreCase).ToList();
        if (overlap.Count > 0)
        {
            builder.AddError($"'{string.Join("', '", overlap)}' cannot mean both connected and disconnected", nameof(options.DisconnectedValues));
        }

        return builder.Build();
    }
}
