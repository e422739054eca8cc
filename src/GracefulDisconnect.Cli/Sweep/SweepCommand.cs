using System.CommandLine;
using Amazon.Runtime;
using GracefulDisconnect.Aws;
using GracefulDisconnect.Cli.Check;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace GracefulDisconnect.Cli.Sweep;

/// <summary>
/// <c>gracefuldisconnect sweep --grace D [--query Q] [--notify --topic-arn ARN] [--store S]</c>: reconciliation over
/// AWS IoT fleet indexing. Searches <c>AWS_Things</c> page by page (default query <c>connectivity.connected:false</c>),
/// and for each thing offline longer than the grace confirms it through <c>GetThingConnectivityData</c>, decides as a
/// re-check would (the index's disconnect is the trigger) and prints one JSON line, the same as <c>check</c>'s. This
/// catches devices whose disconnect never reached us. With <c>--notify</c> each <c>notify</c> is published to SNS;
/// with <c>--store</c> an outage already published is <c>skip-duplicate</c>, so a cron job notifies it once.
/// Exit codes: 0 swept, 1 a request failed (the other things are still swept when only a confirmation failed),
/// 2 the command line is wrong (nothing was sent).
/// </summary>
internal static class SweepCommand
{
    private static readonly TimeSpan MaxGrace = TimeSpan.FromDays(30);

    public static Command Create(CliIo io)
    {
        var grace = DurationOption.Single("--grace", "Grace period (90s, 5m, 2h, 1d, hh:mm:ss): things offline at least this long are confirmed and reported.");
        grace.Required = true;
        var query = new Option<string>("--query") { Description = "Fleet indexing query selecting the things to look at.", DefaultValueFactory = _ => FleetIndexQuery.Disconnected };
        var pageSize = new Option<int>("--page-size") { Description = "Things per SearchIndex page (1-100).", DefaultValueFactory = _ => 100 };
        var notify = new Option<bool>("--notify") { Description = "Publish each notify verdict to SNS (needs --topic-arn)." };
        var topicArn = new Option<string>("--topic-arn") { Description = "The SNS topic to publish to." };
        var store = new Option<string>("--store") { Description = "SQLite file remembering the outages published, so repeated runs (cron) publish each once." };
        var region = new Option<string>("--region") { Description = "AWS region. Default: AWS_REGION, AWS_DEFAULT_REGION, then the profile (SNS: the topic's region)." };
        var iotEndpoint = new Option<string>("--iot-endpoint") { Description = "IoT control plane endpoint. Default: AWS_ENDPOINT_URL_IOT, AWS_ENDPOINT_URL, then https://iot.<region>.amazonaws.com." };
        var snsEndpoint = new Option<string>("--sns-endpoint") { Description = "SNS endpoint. Default: AWS_ENDPOINT_URL_SNS, AWS_ENDPOINT_URL, then the regional default." };

        var command = new Command("sweep", "Find devices offline longer than the grace through AWS IoT fleet indexing, confirm each, and report (or notify) them.")
        {
            grace, query, pageSize, notify, topicArn, store, region, iotEndpoint, snsEndpoint,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var input = Validate(
                io.Error,
                parsed.GetValue(grace),
                parsed.GetValue(query),
                parsed.GetValue(pageSize),
                parsed.GetValue(notify),
                parsed.GetValue(topicArn),
                parsed.GetValue(store),
                parsed.GetValue(region),
                parsed.GetValue(iotEndpoint),
                parsed.GetValue(snsEndpoint));
            return input is null ? ExitCodes.Usage : await RunAsync(io, input, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(CliIo io, SweepInput input, CancellationToken cancellationToken)
    {
        var services = SweepServices.Build(input);
        await using var disposeServices = services.ConfigureAwait(false);
        IIotFleetIndex index;
        IShadowReader reader;
        ISnsPublisher? publisher;
        NotificationFormatter formatter;
        try
        {
            index = services.GetRequiredService<IIotFleetIndex>();
            reader = services.GetRequiredService<IShadowReader>();
            publisher = input.Notify ? services.GetRequiredService<ISnsPublisher>() : null;
            formatter = services.GetRequiredService<NotificationFormatter>();
        }
        catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException)
        {
            await io.Error.WriteLineAsync($"sweep: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        NotifiedOutages? notified = null;
        if (input.StorePath is { } path)
        {
            try
            {
                notified = NotifiedOutages.Open(path);
            }
            catch (SqliteException exception)
            {
                await io.Error.WriteLineAsync($"sweep: --store '{path}' cannot be opened: {exception.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }

        using (notified)
        {
            var tally = new SweepTally();
            var exitCode = ExitCodes.Ok;
            try
            {
                await foreach (var thing in index.SearchAsync(input.Query, cancellationToken).ConfigureAwait(false))
                {
                    if (!await SweepOneAsync(io, input, thing, reader, publisher, formatter, notified, tally, cancellationToken).ConfigureAwait(false))
                    {
                        exitCode = ExitCodes.Failure;
                    }
                }
            }
            catch (Exception exception) when (IsRequestFailure(exception, cancellationToken))
            {
                await io.Error.WriteLineAsync($"sweep: searching the fleet index for '{input.Query}' failed: {exception.Message}").ConfigureAwait(false);
                exitCode = ExitCodes.Failure;
            }

            await io.Error.WriteLineAsync(tally.Summary()).ConfigureAwait(false);
            return exitCode;
        }
    }

    // One thing of the index: skipped quietly while within the grace, else confirmed, decided, printed (and published).
    private static async Task<bool> SweepOneAsync(
        CliIo io,
        SweepInput input,
        IndexedThing thing,
        IShadowReader reader,
        ISnsPublisher? publisher,
        NotificationFormatter formatter,
        NotifiedOutages? notified,
        SweepTally tally,
        CancellationToken cancellationToken)
    {
        tally.Seen++;
        if (thing.Connectivity is not { Connected: false } indexed)
        {
            return true;
        }

        // The index's own disconnect is the trigger: the outage it describes began then, whether or not we heard of it.
        var trigger = new DisconnectTrigger(thing.ThingName, indexed.ChangedAt);
        if (TimeProvider.System.GetUtcNow() < GracePeriodDecision.DueAt(trigger, input.Grace))
        {
            tally.WithinGrace++;
            return true;
        }

        ConnectionSnapshot? snapshot;
        try
        {
            snapshot = await reader.ReadAsync(thing.ThingName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsRequestFailure(exception, cancellationToken))
        {
            tally.Failed++;
            await io.Error.WriteLineAsync($"sweep: confirming '{thing.ThingName}' failed: {exception.Message}").ConfigureAwait(false);
            return false;
        }

        var now = TimeProvider.System.GetUtcNow();
        var verdict = GracePeriodDecision.Decide(trigger, snapshot, now, input.Grace);
        var duplicate = verdict == Verdict.Notify && notified is not null && notified.Contains(thing.ThingName, trigger.DisconnectedAt);
        var report = new CheckReport(
            thing.ThingName,
            verdict,
            trigger.DisconnectedAt,
            snapshot,
            now,
            input.Grace,
            GracePeriodDecision.DueAt(trigger, input.Grace),
            ShadowName: null,
            Source: CheckSource.Connectivity,
            DisconnectReason: thing.DisconnectReason,
            Duplicate: duplicate);
        tally.Count(duplicate ? RecheckResult.SkippedDuplicate : verdict.ToRecheckResult());

        if (publisher is null || verdict != Verdict.Notify || duplicate)
        {
            await report.WriteLineAsync(io.Output, cancellationToken).ConfigureAwait(false);
            return true;
        }

        try
        {
            var messageId = await publisher.PublishAsync(formatter.Create(trigger, now, input.Grace), cancellationToken).ConfigureAwait(false);
            notified?.Add(thing.ThingName, trigger.DisconnectedAt, now, messageId);
            tally.Published++;
            await (report with { MessageId = messageId }).WriteLineAsync(io.Output, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (IsRequestFailure(exception, cancellationToken))
        {
            // The decision stands and is printed; not remembered, so the next run publishes it.
            tally.Failed++;
            await report.WriteLineAsync(io.Output, cancellationToken).ConfigureAwait(false);
            await io.Error.WriteLineAsync($"sweep: publishing '{thing.ThingName}' to '{input.TopicArn}' failed: {exception.Message}").ConfigureAwait(false);
            return false;
        }
    }

    private static SweepInput? Validate(
        TextWriter error,
        TimeSpan grace,
        string? query,
        int pageSize,
        bool notify,
        string? topicArn,
        string? store,
        string? region,
        string? iotEndpoint,
        string? snsEndpoint)
    {
        string? problem = null;
        if (grace > MaxGrace)
        {
            problem = $"--grace must be at most {MaxGrace.TotalDays} days.";
        }
        else if (string.IsNullOrWhiteSpace(query))
        {
            problem = $"--query must not be empty; the default is '{FleetIndexQuery.Disconnected}'.";
        }
        else if (pageSize is < 1 or > 100)
        {
            problem = $"--page-size must be between 1 and 100 (SearchIndex's maximum), not {pageSize}.";
        }
        else if (notify && topicArn is null)
        {
            problem = "--notify needs --topic-arn.";
        }
        else if (store is not null && !notify)
        {
            problem = "--store remembers what was published; it needs --notify --topic-arn.";
        }
        else if (store is not null && (store.Length == 0 || Directory.Exists(store)))
        {
            problem = $"--store must be a file path, not '{store}'.";
        }

        if (problem is not null)
        {
            error.WriteLine($"sweep: {problem}");
            return null;
        }

        return new SweepInput(grace, query!, pageSize, notify ? topicArn : null, store, region, iotEndpoint, snsEndpoint);
    }

    private static bool IsRequestFailure(Exception exception, CancellationToken cancellationToken)
        => exception is AwsServiceException or AwsResponseFormatException or HttpRequestException or AmazonClientException or TimeoutRejectedException or SqliteException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
