using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GracefulDisconnect.Cli.Demo;

/// <summary>
/// <c>gracefuldisconnect demo</c>: a simulated fleet that flaps and sometimes stays down, run live
/// through the real device engine (state machine, in-memory store, outbox) on embedded defaults.
/// </summary>
internal static class DemoCommand
{
    // Simulated devices drop every 8 s on average: three drops within 15 s is unusual enough to be worth a word.
    private static readonly FlapThreshold DemoFlapping = new(3, TimeSpan.FromSeconds(15));

    public static Command Create(CliIo io)
    {
        var duration = DurationOption.Single("--duration", "How long devices keep flapping before the demo winds down.", TimeSpan.FromSeconds(20));
        var grace = DurationOption.Single("--grace", "Grace period before a device counts as really offline.", TimeSpan.FromSeconds(3));
        var things = new Option<int>("--things") { Description = "Number of simulated devices (1-1000).", DefaultValueFactory = _ => 12 };
        things.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1000)
            {
                result.AddError("--things: must be between 1 and 1000.");
            }
        });
        var seed = new Option<int?>("--seed") { Description = "Seed for a reproducible fleet." };

        var command = new Command("demo", "Run a simulated flapping fleet through the engine, live, with no cloud.") { duration, grace, things, seed };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            io,
            parsed.GetValue(duration),
            parsed.GetValue(grace),
            parsed.GetValue(things),
            parsed.GetValue(seed) ?? Environment.TickCount,
            TimeProvider.System,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliIo io, TimeSpan duration, TimeSpan grace, int things, int seed, TimeProvider time, CancellationToken cancellationToken)
    {
        using var output = new StreamWriter(io.Output, leaveOpen: true) { AutoFlush = true };
        var startedAt = time.GetUtcNow();
        var console = new DemoConsole(output, startedAt, io.OutputIsTerminal);
        var fleet = new SimulatedFleet(things, grace, seed);
        var tally = new DemoTally();

        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(time);
        services.AddSingleton(console);
        services.AddSingleton(tally);
        services.AddGracefulDisconnect(options =>
            {
                options.GracePeriod = grace;
                options.RetryDelay = TimeSpan.FromSeconds(1);
                options.Alerts.NotifyRecovery = true;
                options.Alerts.Flapping = DemoFlapping;
            })
            .UseShadowReader<SimulatedFleet>()
            .AddNotifier<ConsoleNotifier>();
        services.Replace(ServiceDescriptor.Singleton(fleet));

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var engine = provider.GetRequiredService<DeviceEngine>();
        var store = provider.GetRequiredService<IDeviceStore>();
        using var rechecks = new RecheckObserver(console, tally, time);

        console.Text($"GracefulDisconnect demo: {things} simulated devices, grace {DurationDisplay.Format(grace)}, flapping for {DurationDisplay.Format(duration)} (seed {seed}).");
        console.Text("Only outages longer than the grace period are notified; a device back within it settles its disconnect, with no re-check.");
        console.Text($"A notified device that comes back gets a recovery notice; one that drops {DemoFlapping.Disconnects} times within {DurationDisplay.Format(DemoFlapping.Window)} is flapping.");
        console.Text(string.Empty);

        var step = TimeSpan.FromMilliseconds(100);
        var last = startedAt;
        var lastEvent = new Dictionary<string, ConnectionEvent>(StringComparer.Ordinal);
        try
        {
            // Devices flap for the duration; then no new drops, and the demo waits until the engine has nothing left to do.
            var windDownDeadline = startedAt + duration + (grace * 4) + TimeSpan.FromSeconds(5);
            while (true)
            {
                await Task.Delay(step, time, cancellationToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var flapping = now - startedAt < duration;
                var events = fleet.Step(now, now - last, flapping);
                foreach (var connectionEvent in events)
                {
                    console.Event(now, connectionEvent);
                    if (!connectionEvent.Connected)
                    {
                        tally.Disconnected(duplicate: lastEvent.TryGetValue(connectionEvent.ThingName, out var previous) && previous == connectionEvent);
                    }

                    lastEvent[connectionEvent.ThingName] = connectionEvent;
                }

                // The engine's loops, driven by the demo's own (a service would run them in its host: RunDeviceEngine()).
                await engine.RecordAsync(events, cancellationToken).ConfigureAwait(false);
                await engine.RunDueAsync(cancellationToken).ConfigureAwait(false);
                await engine.DeliverAsync(cancellationToken).ConfigureAwait(false);

                last = now;
                if ((!flapping && await store.CountAsync(cancellationToken).ConfigureAwait(false) is { Waking: 0, Undelivered: 0 }) || now > windDownDeadline)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Text("(stopped early)");
        }

        var left = await store.CountAsync(CancellationToken.None).ConfigureAwait(false);
        WriteSummary(console, tally, grace, left);
        return ExitCodes.Ok;
    }

    private static void WriteSummary(DemoConsole console, DemoTally tally, TimeSpan grace, DeviceStoreCounts left)
    {
        var notified = tally.Count(NotificationKind.Offline);
        var settled = tally.Disconnects - tally.Duplicates - tally.Rechecks;
        console.Text(string.Empty);
        console.Text("Summary");
        console.Text($"  disconnect events      {tally.Disconnects,5}   (alerting on every disconnect would have sent this many alerts)");
        console.Text($"  duplicates             {tally.Duplicates,5}   (the same disconnect delivered twice: the same outage)");
        console.Text($"  back within the grace  {settled,5}   (settled by the reconnect, never re-checked)");
        console.Text($"  re-checked             {tally.Rechecks,5}   ({Results(tally)})");
        console.Text($"  notifications          {notified,5}   (devices offline for longer than {DurationDisplay.Format(grace)})");
        console.Text($"  recovered              {tally.Count(NotificationKind.Recovered),5}   (notified devices that came back)");
        console.Text($"  flapping               {tally.Count(NotificationKind.Flapping),5}   (devices that dropped {DemoFlapping.Disconnects} times within {DurationDisplay.Format(DemoFlapping.Window)})");
        if (left.Waking > 0 || left.Undelivered > 0)
        {
            console.Text($"  still pending          {left.Waking + left.Undelivered,5}");
        }
    }

    private static string Results(DemoTally tally)
    {
        var results = new[] { RecheckResult.Notified, RecheckResult.SkippedReconnected, RecheckResult.SkippedSuperseded, RecheckResult.SkippedDuplicate }
            .Select(result => (Name: result.ToReportName(), Count: tally.Count(result.ToReportName())))
            .Where(result => result.Count > 0)
            .Select(result => $"{result.Name} {result.Count}");
        return string.Join(", ", results) is { Length: > 0 } text ? text : "none";
    }
}
