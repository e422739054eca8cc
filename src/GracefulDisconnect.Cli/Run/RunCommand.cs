using System.CommandLine;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// <c>gracefuldisconnect run</c>: the engine in real time for people without AWS — subscribe to an MQTT broker
/// (<c>--mqtt</c>), or pipe any JSON Lines stream into it; options and channels may come from <c>--config</c>;
/// state, pending re-checks and the outbox live in a SQLite file, so a kill -9 and a restart lose nothing and
/// notify nothing twice.
/// </summary>
internal static class RunCommand
{
    private static readonly TimeSpan MaxGrace = TimeSpan.FromDays(30);

    public static Command Create(CliIo io)
    {
        var input = new Option<string>("--input") { Description = "JSON Lines events to read as they arrive: a file, or - for standard input.", DefaultValueFactory = _ => "-" };
        // At most 30 days, refused at the door like check's and sweep's and in the option's units, rather than by the
        // options' validation once the store is open ("between 00:00:01 and 30.00:00:00").
        var grace = DurationOption.Single("--grace", "Grace period before a device counts as really offline (90s, 5m, 2h, 1d, hh:mm:ss); at most 30d.", max: MaxGrace);
        var store = new Option<string?>("--store") { Description = "SQLite file holding pending re-checks, notified outages and device state (default: GracefulDisconnect:Store:Path in --config, else gracefuldisconnect.db)." };
        var config = new Option<string?>("--config") { Description = "A JSON file with the library's options (the GracefulDisconnect section: grace and overrides, time zone, Templates, Alerts, Store, Mqtt, Slack, Teams, Webhook, Smtp, Sns, NotifyFile); environment variables (GracefulDisconnect__GracePeriod=5m) override it, flags override both.", HelpName = "file.json" };
        var notifyFile = new Option<string?>("--notify-file") { Description = "Append notifications (one JSON line each, at most once per outage) to this file instead of standard output." };
        var topicArn = new Option<string?>("--topic-arn") { Description = "Publish notifications to this SNS topic (FIFO topics get the outage id as deduplication id).", HelpName = "arn" };

        // The name run had before it matched check and sweep; accepted, not shown, for one release.
        var snsTopic = new Option<string?>("--sns-topic") { Hidden = true };
        var lease = DurationOption.Single("--lease", "With a store several processes share (postgresql://): how long a claim on a due re-check or an unsent notification holds before another process takes it over when this one dies (default 1m: GracefulDisconnect:ClaimLease in --config). Longer than the slowest send of one notification.");
        var exitWhenIdle = new Option<bool>("--exit-when-idle") { Description = "Exit 0 once the input has ended and nothing is pending." };
        var verbose = new Option<bool>("--verbose") { Description = "Log every decision on standard error." };
        var silentAfter = DurationOption.Single("--silent-after", "Treat a device that has been heard from and then sends nothing at all (no event) for this long as offline since its last event: notified once, recovered when it speaks again (GracefulDisconnect:SilentAfter in --config; per device SilentAfterOverrides).");
        var http = new Option<string?>("--http") { Description = "Serve a status page (/), Prometheus metrics (/metrics) and /healthz at [address:]port; a port alone listens on 127.0.0.1 only (GracefulDisconnect:Http:Address in --config).", HelpName = "addr:port" };
        var httpToken = new Option<string?>("--http-token") { Description = "Require this token on every page (Authorization: Bearer <token>, or any user name with the token as password in a browser). Better from the environment: GracefulDisconnect__Http__Token. Required for a non-loopback --http.", HelpName = "token" };
        var httpAnonymous = new Option<bool>("--http-allow-anonymous", "--http-insecure") { Description = "Serve a non-loopback --http address without a token: anyone who can reach the port sees every device name." };

        var alerts = new AlertFlags();
        var mqtt = new MqttFlags();

        var command = new Command("run", "Run the engine in real time on a stream of connection events (JSON Lines, or an MQTT broker), with a durable SQLite store.")
        {
            input, grace, store, config, notifyFile, topicArn, snsTopic, lease, exitWhenIdle, verbose, silentAfter, http, httpToken, httpAnonymous,
        };
        alerts.AddTo(command);
        mqtt.AddTo(command, input, exitWhenIdle);
        command.SetAction((parsed, cancellationToken) => LiveRun.RunAsync(
            io,
            new RunSettings(
                parsed.GetValue(input)!,
                parsed.GetResult(grace) is { Implicit: false } ? parsed.GetValue(grace) : null,
                parsed.GetValue(store),
                parsed.GetValue(notifyFile),
                parsed.GetValue(topicArn) ?? parsed.GetValue(snsTopic),
                parsed.GetValue(exitWhenIdle),
                parsed.GetValue(verbose))
            {
                Alerts = alerts.Read(parsed),
                Mqtt = mqtt.Read(parsed),
                InputGiven = parsed.GetResult(input) is { Implicit: false },
                ClaimLease = parsed.GetResult(lease) is { Implicit: false } ? parsed.GetValue(lease) : null,
                ConfigFile = parsed.GetValue(config),
                SilentAfter = parsed.GetResult(silentAfter) is { Implicit: false } ? parsed.GetValue(silentAfter) : null,
                HttpAddress = parsed.GetValue(http),
                HttpToken = parsed.GetValue(httpToken),
                HttpAllowAnonymous = parsed.GetValue(httpAnonymous),
            },
            cancellationToken));
        return command;
    }
}
