using GracefulDisconnect.Aws;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Samples.Worker;

/// <summary>Turns the host's start-up validation failures into one line per bad key, named by its configuration section.</summary>
internal static class StartupErrors
{
    /// <summary>The exit code for a configuration error (<c>EX_CONFIG</c>); the systemd unit does not restart on it.</summary>
    public const int ConfigurationExitCode = 78;

    /// <summary>The exit code when the store cannot be opened (EX_IOERR of sysexits.h).</summary>
    public const int StoreExitCode = 74;

    public static IReadOnlyList<string> Describe(Exception exception)
    {
        var failures = new List<string>();
        Collect(exception, failures);
        return failures;
    }

    private static void Collect(Exception exception, List<string> failures)
    {
        switch (exception)
        {
            case OptionsValidationException validation:
                failures.AddRange(validation.Failures.Select(failure => $"[{Section(validation.OptionsType)}] {failure}"));
                break;
            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions)
                {
                    Collect(inner, failures);
                }

                break;
        }
    }

    private static string Section(Type options) => options.Name switch
    {
        nameof(WorkerOptions) => WorkerOptions.SectionName,
        nameof(GracefulDisconnectOptions) => GracefulDisconnectOptions.SectionName,
        nameof(AwsIotShadowReaderOptions) => AwsIotShadowReaderOptions.SectionName,
        nameof(SnsNotifierOptions) => SnsNotifierOptions.SectionName,
        _ => options.Name,
    };
}
