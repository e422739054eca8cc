using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>Checks the attribute rules of <see cref="AwsIotConnectivityReaderOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class AwsIotConnectivityReaderOptionsAttributeValidator : IValidateOptions<AwsIotConnectivityReaderOptions>
{
}

/// <summary>Validates <see cref="AwsIotConnectivityReaderOptions"/> on start: attributes, endpoint, region, rate and retry settings.</summary>
internal sealed class AwsIotConnectivityReaderOptionsValidator : IValidateOptions<AwsIotConnectivityReaderOptions>
{
    private readonly AwsIotConnectivityReaderOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, AwsIotConnectivityReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));
        AwsClientOptionsRules.Check(builder, options);
        return builder.Build();
    }
}
