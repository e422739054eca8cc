using System.CommandLine;
using GracefulDisconnect.Aws;
using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Cli.Replay;

/// <summary>
/// <c>gracefuldisconnect replay &lt;file|-&gt; --grace &lt;duration&gt;...</c>: replays recorded events in
/// virtual time and prints every decision (jsonl) or a table per grace period — the tuner that answers
/// "which grace period should I pick for my fleet?".
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(CliIo io)
    {
        var input = new Argument<string>("input") { Description = "JSON Lines file of events, or - for standard input." };
        var grace = DurationOption.Many("--grace", "Grace period to replay with (90s, 5m, 2h, 1d, hh:mm:ss); repeat to compare several.");
        var output = new Option<string>("--output") { Description = "jsonl: one line per decision; table: a summary per grace period.", DefaultValueFactory = _ => "jsonl" };
        output.AcceptOnlyFromAmong("jsonl", "table");
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Report malformed lines on stderr and go on, instead of stopping with exit code 65." };
        var alerts = new AlertFlags();

        var command = new Command("replay", "Replay recorded connection events in virtual time and show what would have been notified.")
        {
            input, grace, output, skipInvalid,
        };
        alerts.AddTo(command);
        command.SetAction((parsed, cancellationToken) => RunAsync(
            io,
            parsed.GetValue(input)!,
            parsed.GetValue(grace)!,
            parsed.GetValue(output) == "table",
            parsed.GetValue(skipInvalid),
            alerts.Read(parsed),
            cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(CliIo io, string inputPath, IReadOnlyList<TimeSpan> gracePeriods, bool table, bool skipInvalid, CancellationToken cancellationToken)
        => RunAsync(io, inputPath, gracePeriods, table, skipInvalid, AlertChoices.None, cancellationToken);

    public static async Task<int> RunAsync(CliIo io, string inputPath, IReadOnlyList<TimeSpan> gracePeriods, bool table, bool skipInvalid, AlertChoices alerts, CancellationToken cancellationToken)
    {
        // Opening a directory fails with "Access denied" on Unix, which sends people chasing permissions.
        if (inputPath != "-" && Directory.Exists(inputPath))
        {
            await io.Error.WriteLineAsync($"replay: '{inputPath}' is a directory; give a JSON Lines file of events, or - for standard input.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        Stream stream;
        try
        {
            stream = inputPath == "-" ? io.Input : File.OpenRead(inputPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await io.Error.WriteLineAsync($"replay: cannot read '{inputPath}': {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        FleetHistory? loaded;
        try
        {
            loaded = await LoadAsync(stream, io.Error, skipInvalid, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (inputPath != "-")
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (loaded is null)
        {
            return ExitCodes.DataError;
        }

        // The live engine's options with the alerts asked for: replay sends what run would.
        var options = alerts.ToOptions();
        if (table)
        {
            var summaries = new List<GraceSummary>();
            foreach (var gracePeriod in gracePeriods)
            {
                var summary = new GraceSummary(gracePeriod);
                loaded.Replay(gracePeriod, options, summary);
                summaries.Add(summary);
            }

            using var writer = new StreamWriter(io.Output, leaveOpen: true);
            GraceTableWriter.Write(writer, summaries, alerts);
        }
        else
        {
            using var writer = new JsonLinesDecisionWriter(io.Output);
            foreach (var gracePeriod in gracePeriods)
            {
                loaded.Replay(gracePeriod, options, writer);
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>Parses the input into a history; <see langword="null"/> when a malformed line stopped it, or when no line was valid.</summary>
    internal static async Task<FleetHistory?> LoadAsync(Stream input, TextWriter error, bool skipInvalid, CancellationToken cancellationToken)
    {
        var names = new ThingNamePool();
        var builder = new FleetHistory.Builder(names);
        var invalid = 0L;
        var valid = 0L;

        bool Report(long lineNumber, string problem)
        {
            error.WriteLine($"line {lineNumber}: {problem}");
            invalid++;
            return skipInvalid;
        }

        var complete = await JsonLineReader.ReadAsync(
            input,
            (lineNumber, line) =>
            {
                ConnectionEvent parsed;
                try
                {
                    parsed = ConnectionEventParser.Parse(line, names);
                }
                catch (ConnectionEventFormatException exception)
                {
                    return Report(lineNumber, exception.Message);
                }

                builder.Add(parsed);
                valid++;
                return true;
            },
            lineNumber => Report(lineNumber, $"line is longer than {JsonLineReader.MaxLineBytes} bytes"),
            cancellationToken).ConfigureAwait(false);

        if (!complete)
        {
            return null;
        }

        // Every line invalid is the wrong file or the wrong format, not a quiet fleet: an empty result
        // with exit 0 would read as "nothing would have been notified".
        if (invalid > 0 && valid == 0)
        {
            await error.WriteLineAsync($"replay: all {invalid} line(s) were invalid; no event to replay").ConfigureAwait(false);
            return null;
        }

        if (invalid > 0)
        {
            await error.WriteLineAsync($"replay: skipped {invalid} invalid line(s)").ConfigureAwait(false);
        }

        return builder.Build();
    }
}
