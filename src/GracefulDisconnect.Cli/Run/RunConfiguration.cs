using GracefulDisconnect.Aws;
using GracefulDisconnect.Email;
using GracefulDisconnect.Mqtt;
using GracefulDisconnect.Webhooks;
using Microsoft.Extensions.Configuration;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// <c>run</c>'s configuration: the <c>--config</c> JSON file (if any), then environment variables over it
/// (<c>GracefulDisconnect__GracePeriod=5m</c>, secrets such as <c>GracefulDisconnect__Mqtt__Password</c>), with
/// durations written <c>5m</c> accepted everywhere a duration is expected. The command line wins over both; that is
/// applied where the options are configured (<see cref="LiveRun"/>).
/// </summary>
internal static class RunConfiguration
{
    public const string Root = GracefulDisconnectOptions.SectionName;
    public const string StorePathKey = Root + ":Store:Path";
    public const string NotifyFilePathKey = Root + ":NotifyFile:Path";

    /// <summary>The sections of the options the file may hold, and the options type each binds to.</summary>
    public static readonly (string Section, Type Options)[] Sections =
    [
        (Root, typeof(GracefulDisconnectOptions)),
        (MqttSourceOptions.SectionName, typeof(MqttSourceOptions)),
        (SlackNotifierOptions.SectionName, typeof(SlackNotifierOptions)),
        (TeamsNotifierOptions.SectionName, typeof(TeamsNotifierOptions)),
        (WebhookNotifierOptions.SectionName, typeof(WebhookNotifierOptions)),
        (SmtpNotifierOptions.SectionName, typeof(SmtpNotifierOptions)),
        (SnsNotifierOptions.SectionName, typeof(SnsNotifierOptions)),
    ];

    /// <summary>Loads the configuration, or the problems with it (one line each, naming the file or the key).</summary>
    public static (IConfiguration? Configuration, List<string> Problems) Load(string? path)
    {
        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                return (null, [$"--config: '{path}' does not exist; give a JSON file with a \"{Root}\" section."]);
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        IConfigurationRoot loaded;
        try
        {
            loaded = builder.Build();
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            // The JSON provider says where (line, position) the file is not valid JSON.
            return (null, [$"--config: {exception.Message}{(exception.InnerException is { } inner ? " " + inner.Message : string.Empty)}"]);
        }

        var (rewritten, problems) = ConfigurationDurations.Normalize(loaded, Sections);
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        // The rewritten durations sit on top of the providers they came from.
        return (new ConfigurationBuilder().AddConfiguration(loaded).AddInMemoryCollection(rewritten).Build(), []);
    }

    /// <summary>Whether a section has any value, i.e. the channel (or source) is configured.</summary>
    public static bool Has(IConfiguration configuration, string section) => configuration.GetSection(section).Exists();
}
