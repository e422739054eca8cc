using System.CommandLine;
using System.CommandLine.Parsing;

namespace GracefulDisconnect.Cli;

/// <summary>
/// The flags of the opt-in alerts, the same for <c>replay</c> (what they would have sent) and <c>run</c> (sending them):
/// <c>--recovery</c>, <c>--stable-for</c>, <c>--remind-every</c>/<c>--remind-max</c>, <c>--flap</c>, <c>--digest</c>/<c>--digest-by</c>.
/// </summary>
internal sealed class AlertFlags
{
    private readonly Option<bool> _recovery = new("--recovery") { Description = "Send a 'recovered' notification (with offlineFor) when a notified device reconnects." };
    private readonly Option<TimeSpan> _stableFor = DurationOption.Single(
        "--stable-for",
        "Count a notified device back only once it has stayed connected for <duration> (1s to 30d); a drop within it continues the same outage.",
        max: TimeSpan.FromDays(30),
        min: TimeSpan.FromSeconds(1));

    // The engine's own limits, so replay accepts exactly what run does.
    private readonly Option<TimeSpan> _remindEvery = DurationOption.Single(
        "--remind-every",
        "Send a 'reminder' every <duration> (1m to 30d) after the notification while the outage goes on.",
        max: AlertOptions.MaxReminderInterval,
        min: AlertOptions.MinReminderInterval);
    private readonly Option<int> _remindMax = new("--remind-max") { Description = "At most <n> reminders per outage (default: no limit; replay sends none after the recording ends)." };
    private readonly Option<FlapThreshold> _flap = new("--flap")
    {
        Description = "Send one 'flapping' notification when a device has at least <count> disconnects inside a sliding <window>, e.g. 6/1h; again only after a quiet window.",
        CustomParser = result => Parse<FlapThreshold>(result, "--flap", (string text, out FlapThreshold value, out string? problem) => FlapThreshold.TryParse(text, out value, out problem)),
    };

    private readonly Option<DigestThreshold> _digest = new("--digest")
    {
        Description = "Group notifications decided within <window> of the first; a group of at least <min> devices gets one 'digest' instead of one 'notify' each, e.g. 30s/10.",
        CustomParser = result => Parse<DigestThreshold>(result, "--digest", (string text, out DigestThreshold value, out string? problem) => DigestThreshold.TryParse(text, out value, out problem)),
    };

    private readonly Option<string> _digestBy = new("--digest-by")
    {
        Description = "Digest groups: all (default), or prefix[:<separator>] for the part of the thing name before the first separator (default '-').",
        DefaultValueFactory = _ => "all",
    };

    public AlertFlags()
    {
        _remindEvery.HelpName = "duration";
        _stableFor.HelpName = "duration";
        _remindMax.HelpName = "n";
        _flap.HelpName = "count/window";
        _digest.HelpName = "window/min";
        _digestBy.HelpName = "all|prefix[:c]";
        _remindMax.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > AlertOptions.MaxRemindersLimit)
            {
                result.AddError($"--remind-max: must be between 1 and {AlertOptions.MaxRemindersLimit}.");
            }
        });
        _digestBy.Validators.Add(result =>
        {
            if (Grouping(result.GetValueOrDefault<string>()) is null)
            {
                result.AddError($"--digest-by: '{result.GetValueOrDefault<string>()}' is not a grouping; use all, prefix or prefix:<one character>.");
            }
        });
    }

    private delegate bool TryParser<T>(string text, out T value, out string? problem);

    /// <summary>Adds the flags to a command, with the checks that span several of them.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in (Option[])[_recovery, _stableFor, _remindEvery, _remindMax, _flap, _digest, _digestBy])
        {
            command.Options.Add(option);
        }

        command.Validators.Add(Validate);
    }

    private void Validate(CommandResult result)
    {
        if (result.GetResult(_remindMax) is not null && result.GetResult(_remindEvery) is null)
        {
            result.AddError("--remind-max needs --remind-every.");
        }

        if (result.GetResult(_digestBy) is not null && result.GetResult(_digest) is null)
        {
            result.AddError("--digest-by needs --digest.");
        }
    }

    public AlertChoices Read(ParseResult parsed) => new()
    {
        Recovery = parsed.GetValue(_recovery),
        StableFor = parsed.GetResult(_stableFor) is null ? null : parsed.GetValue(_stableFor),
        RemindEvery = parsed.GetResult(_remindEvery) is null ? null : parsed.GetValue(_remindEvery),
        RemindMax = parsed.GetResult(_remindMax) is null ? null : parsed.GetValue(_remindMax),
        Flap = parsed.GetResult(_flap) is null ? null : parsed.GetValue(_flap),
        Digest = parsed.GetResult(_digest) is null ? null : parsed.GetValue(_digest),
        DigestGroup = Grouping(parsed.GetValue(_digestBy)) ?? DigestGroups.All,
    };

    private static Func<string, string>? Grouping(string? text) => text switch
    {
        "all" => DigestGroups.All,
        "prefix" => DigestGroups.NamePrefix(),
        ['p', 'r', 'e', 'f', 'i', 'x', ':', var separator] => DigestGroups.NamePrefix(separator),
        _ => null,
    };

    private static T Parse<T>(ArgumentResult result, string name, TryParser<T> tryParse)
    {
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
        if (!tryParse(text, out var value, out var problem))
        {
            result.AddError($"{name}: {problem}");
        }

        return value;
    }
}
