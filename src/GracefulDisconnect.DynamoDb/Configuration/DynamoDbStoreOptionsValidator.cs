using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.DynamoDb;

/// <summary>
/// Validates <see cref="DynamoDbStoreOptions"/> at the door: a table name DynamoDB accepts, a region and an endpoint
/// that can be used, and limits in range; each failure names the option and the fix.
/// </summary>
internal sealed partial class DynamoDbStoreOptionsValidator : IValidateOptions<DynamoDbStoreOptions>
{
    public static readonly TimeSpan MinDeliveredRetention = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, DynamoDbStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.TableName))
        {
            builder.AddError("is required; set it to the table of this deployment, for example gracefuldisconnect-prod", nameof(options.TableName));
        }
        else if (!TableNamePattern().IsMatch(options.TableName))
        {
            builder.AddError($"'{options.TableName}' is not a DynamoDB table name; use 3 to 255 letters, digits, '_', '-' or '.'", nameof(options.TableName));
        }

        if (options.Region is { } region && !RegionPattern().IsMatch(region))
        {
            builder.AddError($"'{region}' is not an AWS region name; use one such as eu-west-1, or leave it unset to take it from AWS_REGION or the profile", nameof(options.Region));
        }

        if (options.ServiceUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            builder.AddError($"'{url}' is not an absolute http:// or https:// address; use one such as http://localhost:8000, or leave it unset for the region's endpoint", nameof(options.ServiceUrl));
        }

        if (options.DeliveredRetention is { } retention && retention < MinDeliveredRetention)
        {
            builder.AddError($"is {retention}; keep delivered messages at least a day (a step redone later must find them, or it sends again), or set null to keep them for ever", nameof(options.DeliveredRetention));
        }

        if (options.MaxErrorRetry is < 0 or > 20)
        {
            builder.AddError($"is {options.MaxErrorRetry}; use 0 to 20", nameof(options.MaxErrorRetry));
        }

        if (options.MaxConcurrentWrites is < 1 or > 64)
        {
            builder.AddError($"is {options.MaxConcurrentWrites}; use 1 to 64", nameof(options.MaxConcurrentWrites));
        }

        return builder.Build();
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{3,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex TableNamePattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
