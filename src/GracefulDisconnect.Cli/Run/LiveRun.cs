using System.Globalization;
using System.Threading.Channels;
using GracefulDisconnect.Aws;
using GracefulDisconnect.Cli.Replay;
using GracefulDisconnect.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// One <c>run</c> session: a host with the SQLite store, a reader that parses lines as they arrive, and a
/// loop that records each event as the thing's state and hands it to the monitor.
/// </summary>
internal static class LiveRun
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    // How far ahead of this machine's clock an event may be dated (device clocks drift). Later than that is a
    // wrong clock or a hostile line: recorded, it would hide every real change of the thing until that date;
    // scheduled, it would stay pending that long (and --exit-when-idle would never exit).
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromHours(1);

    public static async Task<int> RunAsync(CliIo io, RunSettings settings, CancellationToken cancellationToken)
    {
        Stream input;
        try
        {
            input = settings.Input == "-" ? io.Input : File.OpenRead(settings.Input);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await io.Error.WriteLineAsync($"run: cannot read '{settings.Input}': {exception.Message}");
            return ExitCodes.Usage;
        }

        using var fileNotifier = settings.NotifyFile is null ? null : new FileNotifier(settings.NotifyFile);
        var catchUp = new InputCatchUp(TimeProvider.System);
        using var host = BuildHost(io, settings, fileNotifier, catchUp);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception exception) when (OptionsProblems(exception) is { } problems)
        {
            // Several options types failing at once come as an AggregateException; each is a usage error all the same.
            foreach (var problem in problems)
            {
                await io.Error.WriteLineAsync($"run: {problem}");
            }

            return ExitCodes.Usage;
        }

        catchUp.StartClock();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            await RecoverAsync(host.Services, stopping.Token);
            await ReadAsync(catchUp.Watch(input), catchUp, io.Error, host.Services, stopping.Token);
            if (settings.ExitWhenIdle)
            {
                await WaitUntilIdleAsync(host.Services, stopping.Token);
            }
            else
            {
                // Input ended (or never comes): keep running re-checks until stopped by a signal.
                await Task.Delay(Timeout.InfiniteTimeSpan, stopping.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // SIGINT/SIGTERM: stop gracefully below; pending re-checks stay in the store.
        }
        finally
        {
            catchUp.Stop();
            if (!ReferenceEquals(input, io.Input))
            {
                await input.DisposeAsync();
            }

            using var stopTimeout = new CancellationTokenSource(StopTimeout);
            await host.StopAsync(stopTimeout.Token);
        }

        return ExitCodes.Ok;
    }

    private static List<string>? OptionsProblems(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [invalid.Message],
        AggregateException { InnerExceptions: var inner } when inner.All(e => e is OptionsValidationException) => [.. inner.Select(e => e.Message).Distinct()],
        _ => null,
    };

    private static IHost BuildHost(CliIo io, RunSettings settings, FileNotifier? fileNotifier, InputCatchUp catchUp)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        var minimum = settings.Verbose ? LogLevel.Information : LogLevel.Warning;
        builder.Logging.SetMinimumLevel(minimum);

        // A host that fails to start logs the exception with its stack; run reports invalid options in one line itself.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= minimum && level < LogLevel.Error);

        // Standard output carries notifications; everything the engine says goes to standard error.
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);

        var engine = builder.Services
            .AddGracefulDisconnect(options =>
            {
                options.GracePeriod = settings.GracePeriod;
                options.RetryDelay = TimeSpan.FromSeconds(10);
                AlertFlags.ApplyTo(settings.Alerts, options);
            })
            .AddSqliteStore(options => options.Path = settings.StorePath);

        // Re-checks wait until the input's backlog is read (see InputCatchUp).
        builder.Services.Replace(ServiceDescriptor.Singleton<IRecheckHandler>(provider => catchUp.Gate(ActivatorUtilities.CreateInstance<RecheckHandler>(provider))));

        if (fileNotifier is not null)
        {
            engine.AddNotifier(NotifyDelayHook.Apply(fileNotifier));
        }

        if (settings.SnsTopicArn is { } topic)
        {
            engine.AddSnsNotifier(options => options.TopicArn = topic);
        }

        if (fileNotifier is null && settings.SnsTopicArn is null)
        {
            engine.AddNotifier(new StdoutNotifier(new StreamWriter(io.Output, leaveOpen: true)));
        }

        return builder.Build();
    }

    // A crash between recording a disconnect and scheduling its re-check would lose the outage; scheduling
    // every thing still offline again on start closes that gap (the store keeps one row per trigger, and the
    // ledger turns a repeat of an outage already notified into a duplicate).
    private static async Task RecoverAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var state = services.GetRequiredService<SqliteConnectionStateStore>();
        var monitor = services.GetRequiredService<DisconnectMonitor>();
        foreach (var trigger in await state.ReadDisconnectedAsync(cancellationToken))
        {
            await monitor.OnDisconnectAsync(trigger, cancellationToken);
        }
    }

    private static async Task ReadAsync(Stream input, InputCatchUp catchUp, TextWriter error, IServiceProvider services, CancellationToken cancellationToken)
    {
        var recorder = services.GetRequiredService<IConnectionStateRecorder>();
        var monitor = services.GetRequiredService<DisconnectMonitor>();
        var events = Channel.CreateUnbounded<ConnectionEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var names = new ThingNamePool();
        var time = services.GetRequiredService<TimeProvider>();

        var reading = Task.Run(
            async () =>
            {
                try
                {
                    await JsonLineReader.ReadAsync(
                        input,
                        (lineNumber, line) =>
                        {
                            try
                            {
                                var connectionEvent = ConnectionEventParser.Parse(line, names);
                                if (connectionEvent.At > time.GetUtcNow() + MaxClockSkew)
                                {
                                    error.WriteLine($"line {lineNumber}: the event time {connectionEvent.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} is more than {MaxClockSkew.TotalHours:0} h ahead of this machine's clock; skipped");
                                    return true;
                                }

                                catchUp.EventRead();
                                events.Writer.TryWrite(connectionEvent);
                            }
                            catch (ConnectionEventFormatException exception)
                            {
                                error.WriteLine($"line {lineNumber}: {exception.Message}");
                            }

                            return true;
                        },
                        lineNumber =>
                        {
                            error.WriteLine($"line {lineNumber}: line is longer than {JsonLineReader.MaxLineBytes} bytes; skipped");
                            return true;
                        },
                        cancellationToken);
                }
                finally
                {
                    events.Writer.TryComplete();
                    catchUp.InputEnded();
                }
            },
            cancellationToken);

        // Record the state first: if the process dies before the re-check is scheduled, the start-up recovery
        // finds the thing offline and schedules it.
        await foreach (var connectionEvent in events.Reader.ReadAllAsync(cancellationToken))
        {
            await recorder.RecordAsync(connectionEvent, cancellationToken);
            catchUp.EventRecorded();
            try
            {
                // Connects too: they bring recoveries when those are switched on.
                await monitor.OnEventAsync(connectionEvent, cancellationToken);
            }
            catch (AlertNotSentException exception)
            {
                // Logged by the engine and kept for the thing's next event; the event itself was handled.
                await error.WriteLineAsync($"run: {exception.Message}");
            }
        }

        await reading;
    }

    private static async Task WaitUntilIdleAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var scheduler = services.GetRequiredService<SqliteScheduler>();
        var outbox = services.GetRequiredService<OutboxStore>();
        var time = services.GetRequiredService<TimeProvider>();
        while (true)
        {
            var (pending, _) = await scheduler.Queries.CountAsync(time.GetUtcNow().UtcTicks, cancellationToken);
            var (unsent, _) = await outbox.SummarizeUnsentAsync(cancellationToken);
            if (pending == 0 && unsent == 0 && scheduler.InFlightCount == 0)
            {
                return;
            }

            await Task.Delay(IdlePoll, time, cancellationToken);
        }
    }
}
