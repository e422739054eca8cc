using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>Checks the attribute rules of <see cref="AwsIotFleetIndexOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class AwsIotFleetIndexOptionsAttributeValidator : IValidateOptions<AwsIotFleetIndexOptions>
{
}

/// <summary>Validates <see cref="AwsIotFleetIndexOptions"/> on start: attributes, endpoint, region, rate, retries and the index name.</summary>
internal sealed class AwsIotFleetIndexOptionsValidator : IValidateOptions<AwsIotFleetIndexOptions>
{
    private readonly AwsIotFleetIndexOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, AwsIotFleetIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));
        AwsClientOptionsRules.Check(builder, options);

        // The index name shares the thing name's alphabet and length in the service model (IndexName).
        if (!string.IsNullOrEmpty(options.IndexName) && !AwsIotNames.IsValidThingName(options.IndexName, out var problem))
        {
            builder.AddError($"{problem}; use 'AWS_Things' for the index of all things", nameof(options.IndexName));
        }

        return builder.Build();
    }
}
