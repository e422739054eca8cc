using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GracefulDisconnect.Cli.Demo;

/// <summary>
/// <c>gracefuldisconnect demo</c>: a simulated fleet that flaps and sometimes stays down, run live
/// through the real engine (monitor, in-memory scheduler, decision, ledger) on embedded defaults.
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
                options.NotifyRecovery = true;
                options.Flapping = DemoFlapping;
            })
            .UseShadowReader<SimulatedFleet>()
            .AddNotifier<ConsoleNotifier>()
            .DecorateRecheckHandler((_, handler) => new PrintingRecheckHandler(handler, console, time, tally));
        services.Replace(ServiceDescriptor.Singleton(fleet));

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var monitor = provider.GetRequiredService<DisconnectMonitor>();

        console.Text($"GracefulDisconnect demo: {things} simulated devices, grace {DurationDisplay.Format(grace)}, flapping for {DurationDisplay.Format(duration)} (seed {seed}).");
        console.Text("Only outages longer than the grace period are notified; blips are re-checked and skipped.");
        console.Text($"A notified device that comes back gets a recovery notice; one that drops {DemoFlapping.Disconnects} times within {DurationDisplay.Format(DemoFlapping.Window)} is flapping.");
        console.Text(string.Empty);

        var step = TimeSpan.FromMilliseconds(100);
        var last = startedAt;
        try
        {
            // Devices flap for the duration; then no new drops, and the demo waits for every re-check.
            var windDownDeadline = startedAt + duration + (grace * 4) + TimeSpan.FromSeconds(5);
            while (true)
            {
                await Task.Delay(step, time, cancellationToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var flapping = now - startedAt < duration;
                foreach (var connectionEvent in fleet.Step(now, now - last, flapping))
                {
                    console.Event(now, connectionEvent);
                    await monitor.OnEventAsync(connectionEvent, cancellationToken).ConfigureAwait(false);
                    if (!connectionEvent.Connected)
                    {
                        tally.Disconnected();
                    }
                }

                last = now;
                if ((!flapping && tally.Decisions >= tally.Disconnects) || now > windDownDeadline)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Text("(stopped early)");
        }

        WriteSummary(console, tally, grace);
        return ExitCodes.Ok;
    }

    private static void WriteSummary(DemoConsole console, DemoTally tally, TimeSpan grace)
    {
        console.Text(string.Empty);
        console.Text("Summary");
        console.Text($"  disconnect events      {tally.Disconnects,5}   (alerting on every disconnect would have sent this many alerts)");
        console.Text($"  notifications          {tally.Count(RecheckResult.Notified),5}   (devices offline for longer than {DurationDisplay.Format(grace)})");
        console.Text($"  skipped, reconnected   {tally.Count(RecheckResult.SkippedReconnected),5}");
        console.Text($"  skipped, superseded    {tally.Count(RecheckResult.SkippedSuperseded),5}");
        console.Text($"  skipped, duplicate     {tally.Count(RecheckResult.SkippedDuplicate),5}   (the same disconnect delivered twice)");
        console.Text($"  recovered              {tally.Count(NotificationKind.Recovered),5}   (notified devices that came back)");
        console.Text($"  flapping               {tally.Count(NotificationKind.Flapping),5}   (devices that dropped {DemoFlapping.Disconnects} times within {DurationDisplay.Format(DemoFlapping.Window)})");
        var pending = tally.Disconnects - tally.Decisions;
        if (pending > 0)
        {
            console.Text($"  still pending          {pending,5}");
        }
    }
}
