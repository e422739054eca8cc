using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>Checks the attribute rules of <see cref="SqsSchedulerOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class SqsSchedulerOptionsAttributeValidator : IValidateOptions<SqsSchedulerOptions>
{
}

/// <summary>Validates <see cref="SqsSchedulerOptions"/> on start: attributes, queue URL (no FIFO queues), endpoint and region.</summary>
internal sealed class SqsSchedulerOptionsValidator : IValidateOptions<SqsSchedulerOptions>
{
    private readonly SqsSchedulerOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, SqsSchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));
        if (!string.IsNullOrEmpty(options.QueueUrl))
        {
            if (!Uri.TryCreate(options.QueueUrl, UriKind.Absolute, out var queue) || (queue.Scheme != Uri.UriSchemeHttps && queue.Scheme != Uri.UriSchemeHttp))
            {
                builder.AddError($"'{options.QueueUrl}' is not a queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/rechecks", nameof(options.QueueUrl));
            }
            else if (queue.AbsolutePath.TrimEnd('/').EndsWith(".fifo", StringComparison.Ordinal))
            {
                builder.AddError(
                    "is a FIFO queue, which ignores per-message DelaySeconds; re-checks need it (and hop every 15 minutes for longer grace periods). "
                    + "Use a standard queue: a message delivered twice is harmless, the engine decides from the device's record and notifies once",
                    nameof(options.QueueUrl));
            }
        }

        if (!string.IsNullOrWhiteSpace(options.Endpoint) && !AwsServiceEndpoint.IsValidEndpoint(options.Endpoint, out _))
        {
            builder.AddError($"'{options.Endpoint}' is not an absolute http or https URL without query", nameof(options.Endpoint));
        }

        if (options.Region is { } region && (region.Length == 0 || !region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            builder.AddError($"'{region}' is not a region name such as 'us-east-1'", nameof(options.Region));
        }

        return builder.Build();
    }
}
