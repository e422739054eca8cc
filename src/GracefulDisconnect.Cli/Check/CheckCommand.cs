using System.CommandLine;
using Amazon.Runtime;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace GracefulDisconnect.Cli.Check;

/// <summary>
/// <c>gracefuldisconnect check &lt;thing&gt; --grace &lt;duration&gt; [--source shadow|connectivity] [...]</c>: reads the
/// thing's Device Shadow, or the broker's connectivity data, through the real AWS adapter, decides with the system clock and prints one JSON line; with
/// <c>--notify</c> and a <c>notify</c> verdict it publishes to SNS and adds the message id.
/// Exit codes: 0 decided, 1 an AWS request failed, 2 the command line is wrong (nothing was sent).
/// </summary>
internal static class CheckCommand
{
    private static readonly TimeSpan MaxGrace = TimeSpan.FromDays(30);

    public static Command Create(CliIo io)
    {
        var thing = new Argument<string>("thing") { Description = "The AWS IoT thing name ([a-zA-Z0-9:_-], at most 128 characters)." };
        var grace = DurationOption.Single("--grace", "Grace period (90s, 5m, 2h, 1d, hh:mm:ss).");
        grace.Required = true;
        var disconnectedAt = new Option<string>("--disconnected-at") { Description = "When the device went offline: ISO-8601, or epoch seconds or milliseconds. Default: the shadow's own last change." };
        var shadowName = new Option<string>("--shadow-name") { Description = "Read a named shadow instead of the classic one." };
        var notify = new Option<bool>("--notify") { Description = "Publish to SNS when the verdict is notify (needs --topic-arn)." };
        var topicArn = new Option<string>("--topic-arn") { Description = "The SNS topic to publish to." };
        var region = new Option<string>("--region") { Description = "AWS region. Default: AWS_REGION, AWS_DEFAULT_REGION, then the profile (SNS: the topic's region)." };
        var source = new Option<string>("--source") { Description = "Where to read the state: shadow (Device Shadow, the default) or connectivity (the broker's own view; needs fleet indexing connectivity and client id = thing name).", DefaultValueFactory = _ => "shadow" };
        source.AcceptOnlyFromAmong("shadow", "connectivity");
        var iotEndpoint = new Option<string>("--iot-endpoint") { Description = "Endpoint of the IoT API read: with --source shadow the Data Plane (https://<prefix>-ats.iot.<region>.amazonaws.com; default AWS_ENDPOINT_URL_IOT_DATA_PLANE), with --source connectivity the control plane (default AWS_ENDPOINT_URL_IOT); then AWS_ENDPOINT_URL, then the regional default." };
        var snsEndpoint = new Option<string>("--sns-endpoint") { Description = "SNS endpoint. Default: AWS_ENDPOINT_URL_SNS, AWS_ENDPOINT_URL, then the regional default." };

        var command = new Command("check", "Check one device now through AWS IoT: is it really offline, past the grace period?")
        {
            thing, grace, source, disconnectedAt, shadowName, notify, topicArn, region, iotEndpoint, snsEndpoint,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var input = Validate(
                io.Error,
                parsed.GetValue(thing)!,
                parsed.GetValue(grace),
                parsed.GetValue(disconnectedAt),
                parsed.GetValue(shadowName),
                parsed.GetValue(notify),
                parsed.GetValue(topicArn),
                parsed.GetValue(region),
                parsed.GetValue(iotEndpoint),
                parsed.GetValue(snsEndpoint),
                parsed.GetValue(source) == "connectivity" ? CheckSource.Connectivity : CheckSource.Shadow);
            return input is null ? ExitCodes.Usage : await RunAsync(io, input, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(CliIo io, CheckInput input, CancellationToken cancellationToken)
    {
        var services = CheckServices.Build(input);
        await using var disposeServices = services.ConfigureAwait(false);
        IShadowReader reader;
        ISnsPublisher? publisher;
        NotificationFormatter formatter;
        try
        {
            reader = services.GetRequiredService<IShadowReader>();
            publisher = input.Notify ? services.GetRequiredService<ISnsPublisher>() : null;
            formatter = services.GetRequiredService<NotificationFormatter>();
        }
        catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException)
        {
            // Options and environment are resolved before the first request: a bad endpoint or no region is a usage error.
            await io.Error.WriteLineAsync($"check: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        ConnectionSnapshot? snapshot;
        try
        {
            snapshot = await reader.ReadAsync(input.ThingName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsRequestFailure(exception, cancellationToken))
        {
            var what = input.Source == CheckSource.Connectivity ? "the connectivity" : "the shadow";
            await io.Error.WriteLineAsync($"check: reading {what} of '{input.ThingName}' failed: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var now = TimeProvider.System.GetUtcNow();
        var (verdict, trigger) = Decide(input, snapshot, now);
        var report = new CheckReport(
            input.ThingName,
            verdict,
            trigger?.DisconnectedAt,
            snapshot,
            now,
            input.Grace,
            trigger is { } due ? GracePeriodDecision.DueAt(due, input.Grace) : null,
            input.ShadowName,
            Source: input.Source);

        if (publisher is null || verdict != Verdict.Notify)
        {
            await report.WriteLineAsync(io.Output, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        try
        {
            var messageId = await publisher.PublishAsync(formatter.Create(trigger!.Value, now, input.Grace), cancellationToken).ConfigureAwait(false);
            await (report with { MessageId = messageId }).WriteLineAsync(io.Output, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (Exception exception) when (IsRequestFailure(exception, cancellationToken))
        {
            // The decision stands, so it is still printed; the missing messageId and the exit code say the rest.
            await report.WriteLineAsync(io.Output, cancellationToken).ConfigureAwait(false);
            await io.Error.WriteLineAsync($"check: publishing to '{input.TopicArn}' failed: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// The verdict, and the trigger it was decided for. Without <c>--disconnected-at</c> the trigger is the
    /// shadow's own last change; a device that is connected (or unknown) then has no outage to wait for.
    /// </summary>
    internal static (Verdict Verdict, DisconnectTrigger? Trigger) Decide(CheckInput input, ConnectionSnapshot? snapshot, DateTimeOffset now)
    {
        if (input.DisconnectedAt is { } disconnectedAt)
        {
            var trigger = new DisconnectTrigger(input.ThingName, disconnectedAt);
            return (GracePeriodDecision.Decide(trigger, snapshot, now, input.Grace), trigger);
        }

        return snapshot switch
        {
            null => (Verdict.SkipUnknownThing, null),
            { Connected: true } => (Verdict.SkipReconnected, null),
            { } offline => Decide(input with { DisconnectedAt = offline.ChangedAt }, snapshot, now),
        };
    }

    private static CheckInput? Validate(
        TextWriter error,
        string thing,
        TimeSpan grace,
        string? disconnectedAt,
        string? shadowName,
        bool notify,
        string? topicArn,
        string? region,
        string? iotEndpoint,
        string? snsEndpoint,
        CheckSource source)
    {
        string? problem = null;
        DateTimeOffset? disconnectedAtValue = null;
        if (!AwsIotNames.IsValidThingName(thing, out var thingProblem))
        {
            problem = $"invalid thing name: it {thingProblem}.";
        }
        else if (shadowName is not null && source == CheckSource.Connectivity)
        {
            problem = "--shadow-name reads a named shadow; it has no meaning with --source connectivity.";
        }
        else if (shadowName is not null && !AwsIotNames.IsValidShadowName(shadowName, out var shadowProblem))
        {
            problem = $"invalid --shadow-name: it {shadowProblem}.";
        }
        else if (grace > MaxGrace)
        {
            problem = $"--grace must be at most {MaxGrace.TotalDays} days.";
        }
        else if (disconnectedAt is not null && !TryParseTime(disconnectedAt, out disconnectedAtValue))
        {
            problem = $"--disconnected-at: '{disconnectedAt}' is neither an ISO-8601 time (2026-01-01T00:00:00Z) nor epoch seconds or milliseconds.";
        }
        else if (notify && topicArn is null)
        {
            problem = "--notify needs --topic-arn.";
        }

        if (problem is not null)
        {
            error.WriteLine($"check: {problem}");
            return null;
        }

        return new CheckInput(thing, grace, disconnectedAtValue, shadowName, notify ? topicArn : null, region, iotEndpoint, snsEndpoint, source);
    }

    private static bool TryParseTime(string text, out DateTimeOffset? value)
    {
        var parsed = DisconnectedAtText.TryParse(text, out var time);
        value = parsed ? time : null;
        return parsed;
    }

    private static bool IsRequestFailure(Exception exception, CancellationToken cancellationToken)
        => exception is AwsServiceException or ShadowFormatException or AwsResponseFormatException or HttpRequestException or AmazonClientException or TimeoutRejectedException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
