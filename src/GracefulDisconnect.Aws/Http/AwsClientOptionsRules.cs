using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>The checks every <see cref="AwsClientOptions"/> needs beyond its attributes.</summary>
internal static class AwsClientOptionsRules
{
    public static void Check(ValidateOptionsResultBuilder builder, AwsClientOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Endpoint) && !AwsServiceEndpoint.IsValidEndpoint(options.Endpoint, out _))
        {
            builder.AddError($"'{options.Endpoint}' is not an absolute http or https URL without query", nameof(options.Endpoint));
        }

        if (options.Region is { } region && (region.Length == 0 || !region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            builder.AddError($"'{region}' is not a region name such as 'us-east-1'", nameof(options.Region));
        }

        if (options.MaxRequestsPerSecond is > 0 and < 3)
        {
            builder.AddError($"must be 0 (no client-side limit) or at least 3, not {options.MaxRequestsPerSecond}: below 3 a second no refill schedule keeps every one-second window within it", nameof(options.MaxRequestsPerSecond));
        }

        if (options.RetryBaseDelay > options.MaxRetryDelay)
        {
            builder.AddError($"must not exceed MaxRetryDelay ({options.MaxRetryDelay})", nameof(options.RetryBaseDelay));
        }
    }
}
