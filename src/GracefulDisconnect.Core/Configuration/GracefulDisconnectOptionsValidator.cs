using System.Globalization;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect;

/// <summary>Checks the attribute rules of <see cref="GracefulDisconnectOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class GracefulDisconnectOptionsAttributeValidator : IValidateOptions<GracefulDisconnectOptions>
{
}

/// <summary>
/// Validates <see cref="GracefulDisconnectOptions"/> on start: the attribute rules plus what attributes cannot
/// express (overrides, time zone, culture, templates), each failure naming the option and the fix.
/// </summary>
internal sealed class GracefulDisconnectOptionsValidator : IValidateOptions<GracefulDisconnectOptions>
{
    private static readonly TimeSpan MinGrace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxGrace = TimeSpan.FromDays(30);
    private readonly GracefulDisconnectOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, GracefulDisconnectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));

        foreach (var (thing, grace) in options.GracePeriodOverrides)
        {
            if (grace < MinGrace || grace > MaxGrace)
            {
                builder.AddError($"must be between {MinGrace} and {MaxGrace}, not {grace}", $"GracePeriodOverrides[{thing}]");
            }
        }

        // Blank values are the [Required] rule's to report; checking them again would say it twice.
        if (!string.IsNullOrWhiteSpace(options.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            builder.AddError($"'{options.TimeZone}' is not a known time zone; use an IANA id such as 'UTC' or 'Asia/Tokyo'", nameof(options.TimeZone));
        }

        if (!IsCulture(options.Culture))
        {
            builder.AddError($"'{options.Culture}' is not a known culture; use a name such as 'en-US' or 'ja-JP', or empty for invariant", nameof(options.Culture));
        }

        if (!string.IsNullOrEmpty(options.TimestampFormat) && !IsDateFormat(options.TimestampFormat))
        {
            builder.AddError($"'{options.TimestampFormat}' is not a valid date and time format", nameof(options.TimestampFormat));
        }

        CheckTemplate(builder, options.SubjectTemplate, nameof(options.SubjectTemplate));
        CheckTemplate(builder, options.MessageTemplate, nameof(options.MessageTemplate));
        return builder.Build();
    }

    private static void CheckTemplate(ValidateOptionsResultBuilder builder, string template, string name)
    {
        if (!string.IsNullOrWhiteSpace(template) && !NotificationTemplate.IsValid(template, out var problem))
        {
            builder.AddError(problem!, name);
        }
    }

    private static bool IsCulture(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return true;
        }

        try
        {
            return CultureInfo.GetCultureInfo(name, predefinedOnly: true) is not null;
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }

    private static bool IsDateFormat(string format)
    {
        try
        {
            _ = DateTimeOffset.UnixEpoch.ToString(format, CultureInfo.InvariantCulture);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
