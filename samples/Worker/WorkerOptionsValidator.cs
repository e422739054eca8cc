using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Samples.Worker;

/// <summary>Checks the attribute rules of <see cref="WorkerOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class WorkerOptionsAttributeValidator : IValidateOptions<WorkerOptions>
{
}

/// <summary>Validates <see cref="WorkerOptions"/> on start: the attributes, plus what they cannot say.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    private readonly WorkerOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));
        if (!string.IsNullOrWhiteSpace(options.QueueUrl) && !IsHttpUrl(options.QueueUrl))
        {
            builder.AddError($"'{options.QueueUrl}' is not a queue URL such as https://sqs.ap-northeast-1.amazonaws.com/123456789012/device-disconnects", Key(nameof(options.QueueUrl)));
        }

        if (!string.IsNullOrWhiteSpace(options.Endpoint) && !IsHttpUrl(options.Endpoint))
        {
            builder.AddError($"'{options.Endpoint}' is not an absolute http or https URL", Key(nameof(options.Endpoint)));
        }

        if (!string.IsNullOrWhiteSpace(options.Region) && !options.Region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            builder.AddError($"'{options.Region}' is not a region name such as 'ap-northeast-1'", Key(nameof(options.Region)));
        }

        var pollCycle = options.ReceiveWaitTime + options.IdleDelay;
        if (pollCycle < TimeSpan.FromSeconds(1))
        {
            builder.AddError("and IdleDelay add up to less than a second: the worker would call ReceiveMessage in a tight loop, and every call is billed. Use long polling (up to 00:00:20)", Key(nameof(options.ReceiveWaitTime)));
        }

        if (options.UnhealthyAfter <= pollCycle)
        {
            builder.AddError($"must be longer than one poll (ReceiveWaitTime + IdleDelay = {pollCycle}), not {options.UnhealthyAfter}", Key(nameof(options.UnhealthyAfter)));
        }

        if (options.MaxPollRetryDelay < options.PollRetryDelay)
        {
            builder.AddError($"must not be shorter than PollRetryDelay ({options.PollRetryDelay})", Key(nameof(options.MaxPollRetryDelay)));
        }

        return builder.Build();
    }

    private static string Key(string option) => option;

    private static bool IsHttpUrl(string text)
        => Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
