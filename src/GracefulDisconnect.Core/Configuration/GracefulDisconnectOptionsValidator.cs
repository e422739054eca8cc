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
    private static readonly TimeSpan MinReminderInterval = GracefulDisconnectOptions.MinReminderInterval;
    private static readonly TimeSpan MaxReminderInterval = GracefulDisconnectOptions.MaxReminderInterval;
    private const int MaxMaxReminders = GracefulDisconnectOptions.MaxRemindersLimit;
    private const int MaxDigestListedThings = 1000;
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
        CheckAlerts(builder, options);
        CheckSilence(builder, options);
        return builder.Build();
    }

    private static void CheckSilence(ValidateOptionsResultBuilder builder, GracefulDisconnectOptions options)
    {
        if (options.SilentAfter is { } silentAfter && (silentAfter < MinGrace || silentAfter > MaxGrace))
        {
            builder.AddError($"must be between {MinGrace} and {MaxGrace}, not {silentAfter}; leave it unset for no silence detection", nameof(options.SilentAfter));
        }

        foreach (var (thing, threshold) in options.SilentAfterOverrides)
        {
            if (threshold < MinGrace || threshold > MaxGrace)
            {
                builder.AddError($"must be between {MinGrace} and {MaxGrace}, not {threshold}", $"SilentAfterOverrides[{thing}]");
            }
        }

        // The silent notification is an offline one: the same placeholders.
        CheckTemplate(builder, options.SilentSubjectTemplate, nameof(options.SilentSubjectTemplate), NotificationKind.Offline);
        CheckTemplate(builder, options.SilentMessageTemplate, nameof(options.SilentMessageTemplate), NotificationKind.Offline);
    }

    private static void CheckAlerts(ValidateOptionsResultBuilder builder, GracefulDisconnectOptions options)
    {
        if (options.ReminderInterval is { } interval && (interval < MinReminderInterval || interval > MaxReminderInterval))
        {
            builder.AddError($"must be between {MinReminderInterval} and {MaxReminderInterval}, not {interval}", nameof(options.ReminderInterval));
        }

        if (options.MaxReminders is { } max)
        {
            if (max is < 1 or > MaxMaxReminders)
            {
                builder.AddError($"must be between 1 and {MaxMaxReminders}, not {max}; leave it unset for no limit", nameof(options.MaxReminders));
            }
            else if (options.ReminderInterval is null)
            {
                builder.AddError("needs ReminderInterval: without an interval no reminder is sent", nameof(options.MaxReminders));
            }
        }

        if (options.Flapping is { } flapping && !flapping.IsValid(out var problem))
        {
            builder.AddError(problem!, nameof(options.Flapping));
        }

        foreach (var (thing, threshold) in options.FlappingOverrides)
        {
            if (!threshold.IsValid(out problem))
            {
                builder.AddError(problem!, $"FlappingOverrides[{thing}]");
            }
        }

        if (options.Digest is { } digest && !digest.IsValid(out problem))
        {
            builder.AddError(problem!, nameof(options.Digest));
        }

        if (options.DigestGroup is null)
        {
            builder.AddError("must be set; use DigestGroups.All for one group", nameof(options.DigestGroup));
        }

        if (options.DigestListedThings is < 1 or > MaxDigestListedThings)
        {
            builder.AddError($"must be between 1 and {MaxDigestListedThings}, not {options.DigestListedThings}", nameof(options.DigestListedThings));
        }

        CheckTemplate(builder, options.RecoveredSubjectTemplate, nameof(options.RecoveredSubjectTemplate), NotificationKind.Recovered);
        CheckTemplate(builder, options.RecoveredMessageTemplate, nameof(options.RecoveredMessageTemplate), NotificationKind.Recovered);
        CheckTemplate(builder, options.ReminderSubjectTemplate, nameof(options.ReminderSubjectTemplate), NotificationKind.Reminder);
        CheckTemplate(builder, options.ReminderMessageTemplate, nameof(options.ReminderMessageTemplate), NotificationKind.Reminder);
        CheckTemplate(builder, options.FlappingSubjectTemplate, nameof(options.FlappingSubjectTemplate), NotificationKind.Flapping);
        CheckTemplate(builder, options.FlappingMessageTemplate, nameof(options.FlappingMessageTemplate), NotificationKind.Flapping);
        CheckTemplate(builder, options.DigestSubjectTemplate, nameof(options.DigestSubjectTemplate), NotificationKind.Digest);
        CheckTemplate(builder, options.DigestMessageTemplate, nameof(options.DigestMessageTemplate), NotificationKind.Digest);

        // These two may be empty (no "and K more", names run together); only their placeholders are checked.
        if (!string.IsNullOrWhiteSpace(options.DigestMoreThingsTemplate)
            && !NotificationTemplate.IsValid(options.DigestMoreThingsTemplate, NotificationTemplate.DigestMorePlaceholders, out problem))
        {
            builder.AddError(problem!, nameof(options.DigestMoreThingsTemplate));
        }

        if (options.DigestThingSeparator is null)
        {
            builder.AddError("must not be null; use \", \" or an empty string", nameof(options.DigestThingSeparator));
        }
    }

    private static void CheckTemplate(ValidateOptionsResultBuilder builder, string template, string name)
    {
        if (!string.IsNullOrWhiteSpace(template) && !NotificationTemplate.IsValid(template, out var problem))
        {
            builder.AddError(problem!, name);
        }
    }

    // Unlike the offline templates these carry no [Required], so an empty one is reported here.
    private static void CheckTemplate(ValidateOptionsResultBuilder builder, string? template, string name, NotificationKind kind)
    {
        if (!NotificationTemplate.IsValid(template, kind, out var problem))
        {
            builder.AddError($"{problem} (a {kind.ToReportName()} template)", name);
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
