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

    // Enough confirmations in flight to reach GetThingConnectivityData's default quota at ~50 ms a read.
    private const int ConfirmationsInFlight = 16;

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
        SweepContext context;
        try
        {
            index = services.GetRequiredService<IIotFleetIndex>();
            context = new SweepContext(
                io,
                input,
                services.GetRequiredService<IShadowReader>(),
                input.Notify ? services.GetRequiredService<ISnsPublisher>() : null,
                services.GetRequiredService<NotificationFormatter>(),
                services.GetRequiredService<TimeProvider>());
        }
        catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException)
        {
            await io.Error.WriteLineAsync($"sweep: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (input.StorePath is { } path)
        {
            try
            {
                context.Notified = NotifiedOutages.Open(path);
            }
            catch (SqliteException exception)
            {
                await io.Error.WriteLineAsync($"sweep: --store '{path}' cannot be opened: {exception.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }

        using (context.Notified)
        {
            try
            {
                string? nextToken = null;
                do
                {
                    var page = await index.SearchPageAsync(input.Query, nextToken, cancellationToken).ConfigureAwait(false);
                    await SweepPageAsync(context, page.Things, cancellationToken).ConfigureAwait(false);
                    nextToken = page.NextToken;
                }
                while (nextToken is not null);
            }
            catch (Exception exception) when (IsRequestFailure(exception, cancellationToken))
            {
                context.ExitCode = ExitCodes.Failure;
                await io.Error.WriteLineAsync($"sweep: searching the fleet index for '{input.Query}' failed: {exception.Message}").ConfigureAwait(false);
            }

            await io.Error.WriteLineAsync(context.Tally.Summary()).ConfigureAwait(false);
            return context.ExitCode;
        }
    }

    // One page: the things past the grace are confirmed in parallel (one read at a time would reach ~15 of the
    // quota's 350 a second at real latencies; the reader's pacer keeps the total under the quota), then decided,
    // printed and published in the index's order.
    private static async Task SweepPageAsync(SweepContext context, IReadOnlyList<IndexedThing> things, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        var candidates = new List<(IndexedThing Thing, DisconnectTrigger Trigger, bool Duplicate)>();
        foreach (var thing in things)
        {
            context.Tally.Seen++;
            if (thing.Connectivity is not { Connected: false } indexed)
            {
                continue;
            }

            // The index's own disconnect is the trigger: the outage it describes began then, whether or not we heard of it.
            var trigger = new DisconnectTrigger(thing.ThingName, indexed.ChangedAt);
            if (now < GracePeriodDecision.DueAt(trigger, context.Input.Grace))
            {
                context.Tally.WithinGrace++;
                continue;
            }

            // Published by an earlier run: the same outage (the index stamps a new disconnect with a new time), no read needed.
            candidates.Add((thing, trigger, context.Notified?.Contains(thing.ThingName, trigger.DisconnectedAt) == true));
        }

        var reads = new Task<ConnectionSnapshot?>?[candidates.Count];
        using var slots = new SemaphoreSlim(ConfirmationsInFlight);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates[i].Duplicate)
            {
                reads[i] = ConfirmAsync(context.Reader, candidates[i].Thing.ThingName, slots, cancellationToken);
            }
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            await DecideAsync(context, candidates[i].Thing, candidates[i].Trigger, reads[i], cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<ConnectionSnapshot?> ConfirmAsync(IShadowReader reader, string thingName, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await reader.ReadAsync(thingName, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    private static async Task DecideAsync(SweepContext context, IndexedThing thing, DisconnectTrigger trigger, Task<ConnectionSnapshot?>? read, CancellationToken cancellationToken)
    {
        var grace = context.Input.Grace;
        ConnectionSnapshot? snapshot = null;
        if (read is not null)
        {
            try
            {
                snapshot = await read.ConfigureAwait(false);
            }
            catch (Exception exception) when (IsRequestFailure(exception, cancellationToken))
            {
                context.Fail();
                await context.Io.Error.WriteLineAsync($"sweep: confirming '{thing.ThingName}' failed: {exception.Message}").ConfigureAwait(false);
                return;
            }
        }

        var now = context.Time.GetUtcNow();
        var duplicate = read is null;
        var verdict = duplicate ? Verdict.Notify : GracePeriodDecision.Decide(trigger, snapshot, now, grace);
        var report = new CheckReport(
            thing.ThingName,
            verdict,
            trigger.DisconnectedAt,
            snapshot,
            now,
            grace,
            GracePeriodDecision.DueAt(trigger, grace),
            ShadowName: null,
            Source: CheckSource.Connectivity,
            DisconnectReason: thing.DisconnectReason,
            Duplicate: duplicate);
        context.Tally.Count(duplicate ? RecheckResult.SkippedDuplicate : verdict.ToRecheckResult());

        if (context.Publisher is not { } publisher || verdict != Verdict.Notify || duplicate)
        {
            await report.WriteLineAsync(context.Io.Output, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var messageId = await publisher.PublishAsync(context.Formatter.Create(trigger, now, grace), cancellationToken).ConfigureAwait(false);
            context.Notified?.Add(thing.ThingName, trigger.DisconnectedAt, now, messageId);
            context.Tally.Published++;
            await (report with { MessageId = messageId }).WriteLineAsync(context.Io.Output, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsRequestFailure(exception, cancellationToken))
        {
            // The decision stands and is printed; not remembered, so the next run publishes it.
            context.Fail();
            await report.WriteLineAsync(context.Io.Output, cancellationToken).ConfigureAwait(false);
            await context.Io.Error.WriteLineAsync($"sweep: publishing '{thing.ThingName}' to '{context.Input.TopicArn}' failed: {exception.Message}").ConfigureAwait(false);
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
