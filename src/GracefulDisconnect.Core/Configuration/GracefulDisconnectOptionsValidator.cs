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
    private static readonly TimeSpan MinReminderInterval = AlertOptions.MinReminderInterval;
    private static readonly TimeSpan MaxReminderInterval = AlertOptions.MaxReminderInterval;
    private const int MaxMaxReminders = AlertOptions.MaxRemindersLimit;
    private const int MaxDigestListedThings = 1000;

    // Failures name nested options by their configuration path, as a configuration file or an environment variable spells them.
    private const string Alerts = nameof(GracefulDisconnectOptions.Alerts) + ":";
    private const string Templates = nameof(GracefulDisconnectOptions.Templates) + ":";
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

        CheckRequiredTemplate(builder, options.Templates.Subject, Templates + nameof(NotificationTemplates.Subject));
        CheckRequiredTemplate(builder, options.Templates.Message, Templates + nameof(NotificationTemplates.Message));
        CheckAlerts(builder, options.Alerts, options.Templates);
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
        CheckTemplate(builder, options.Templates.SilentSubject, Templates + nameof(NotificationTemplates.SilentSubject), NotificationKind.Offline);
        CheckTemplate(builder, options.Templates.SilentMessage, Templates + nameof(NotificationTemplates.SilentMessage), NotificationKind.Offline);
    }

    private static void CheckAlerts(ValidateOptionsResultBuilder builder, AlertOptions options, NotificationTemplates templates)
    {
        if (options.StableFor is { } stableFor && (stableFor < MinGrace || stableFor > MaxGrace))
        {
            builder.AddError($"must be between {MinGrace} and {MaxGrace}, not {stableFor}; leave it unset to count a device back at its first connect", Alerts + nameof(options.StableFor));
        }

        if (options.ReminderInterval is { } interval && (interval < MinReminderInterval || interval > MaxReminderInterval))
        {
            builder.AddError($"must be between {MinReminderInterval} and {MaxReminderInterval}, not {interval}", Alerts + nameof(options.ReminderInterval));
        }

        if (options.MaxReminders is { } max)
        {
            if (max is < 1 or > MaxMaxReminders)
            {
                builder.AddError($"must be between 1 and {MaxMaxReminders}, not {max}; leave it unset for no limit", Alerts + nameof(options.MaxReminders));
            }
            else if (options.ReminderInterval is null)
            {
                builder.AddError("needs Alerts:ReminderInterval: without an interval no reminder is sent", Alerts + nameof(options.MaxReminders));
            }
        }

        if (options.Flapping is { } flapping && !flapping.IsValid(out var problem))
        {
            builder.AddError(problem!, Alerts + nameof(options.Flapping));
        }

        foreach (var (thing, threshold) in options.FlappingOverrides)
        {
            if (!threshold.IsValid(out problem))
            {
                builder.AddError(problem!, $"{Alerts}{nameof(options.FlappingOverrides)}[{thing}]");
            }
        }

        if (options.Digest is { } digest && !digest.IsValid(out problem))
        {
            builder.AddError(problem!, Alerts + nameof(options.Digest));
        }

        if (options.DigestGroup is null)
        {
            builder.AddError("must be set; use DigestGroups.All for one group", Alerts + nameof(options.DigestGroup));
        }

        if (options.DigestListedThings is < 1 or > MaxDigestListedThings)
        {
            builder.AddError($"must be between 1 and {MaxDigestListedThings}, not {options.DigestListedThings}", Alerts + nameof(options.DigestListedThings));
        }

        CheckTemplate(builder, templates.RecoveredSubject, Templates + nameof(templates.RecoveredSubject), NotificationKind.Recovered);
        CheckTemplate(builder, templates.RecoveredMessage, Templates + nameof(templates.RecoveredMessage), NotificationKind.Recovered);
        CheckTemplate(builder, templates.ReminderSubject, Templates + nameof(templates.ReminderSubject), NotificationKind.Reminder);
        CheckTemplate(builder, templates.ReminderMessage, Templates + nameof(templates.ReminderMessage), NotificationKind.Reminder);
        CheckTemplate(builder, templates.FlappingSubject, Templates + nameof(templates.FlappingSubject), NotificationKind.Flapping);
        CheckTemplate(builder, templates.FlappingMessage, Templates + nameof(templates.FlappingMessage), NotificationKind.Flapping);
        CheckTemplate(builder, templates.DigestSubject, Templates + nameof(templates.DigestSubject), NotificationKind.Digest);
        CheckTemplate(builder, templates.DigestMessage, Templates + nameof(templates.DigestMessage), NotificationKind.Digest);

        // These two may be empty (no "and K more", names run together); only their placeholders are checked.
        if (!string.IsNullOrWhiteSpace(templates.DigestMoreThings)
            && !NotificationTemplate.IsValid(templates.DigestMoreThings, NotificationTemplate.DigestMorePlaceholders, out problem))
        {
            builder.AddError(problem!, Templates + nameof(templates.DigestMoreThings));
        }

        if (templates.DigestThingSeparator is null)
        {
            builder.AddError("must not be null; use \", \" or an empty string", Templates + nameof(templates.DigestThingSeparator));
        }
    }

    // The offline templates are required. A [Required] on a nested option would be reported under its C# member
    // name, not its configuration path, so the rule is checked here, once, before the placeholders.
    private static void CheckRequiredTemplate(ValidateOptionsResultBuilder builder, string? template, string name)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            builder.AddError("is required; give a template such as '{thing} is offline'", name);
            return;
        }

        CheckTemplate(builder, template, name);
    }

    private static void CheckTemplate(ValidateOptionsResultBuilder builder, string template, string name)
    {
        if (!string.IsNullOrWhiteSpace(template) && !NotificationTemplate.IsValid(template, out var problem))
        {
            builder.AddError(problem!, name);
        }
    }

    // These may not be empty either: IsValid reports an empty one.
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
