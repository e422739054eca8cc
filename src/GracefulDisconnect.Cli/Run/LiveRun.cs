using GracefulDisconnect.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// One <c>run</c> session: the SQLite device store (held by this process alone), a host running the engine's loops
/// (due re-checks, the outbox), and the input read and recorded batch by batch.
/// </summary>
internal static class LiveRun
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(CliIo io, RunSettings settings, CancellationToken cancellationToken)
    {
        SqliteDeviceStore store;
        try
        {
            store = SqliteDeviceStore.Open(settings.StorePath);
        }
        catch (DeviceStoreException exception)
        {
            await io.Error.WriteLineAsync($"run: {exception.Message}");
            return exception.Message.Contains("in use by another process", StringComparison.Ordinal) ? ExitCodes.StoreInUse : ExitCodes.StoreError;
        }

        using (store)
        {
            FileNotifier? fileNotifier = null;
            try
            {
                fileNotifier = settings.NotifyFile is null ? null : FileNotifier.Open(settings.NotifyFile);
            }
            catch (IOException exception)
            {
                await io.Error.WriteLineAsync($"run: {exception.Message}");
                return ExitCodes.CannotCreate;
            }

            using (fileNotifier)
            {
                return await RunAsync(io, settings, store, fileNotifier, cancellationToken);
            }
        }
    }

    private static async Task<int> RunAsync(CliIo io, RunSettings settings, SqliteDeviceStore store, FileNotifier? fileNotifier, CancellationToken cancellationToken)
    {
        using var host = BuildHost(io, settings, store, fileNotifier);
        EventLineSource? source = null;
        try
        {
            if (settings.Mqtt is null)
            {
                // The source's watermark is in place before the engine's loops start: re-checks that came due while we
                // were down wait for what the source delivers first.
                var engine = host.Services.GetRequiredService<DeviceEngine>();
                var lines = new EventLineSource(io.Error, engine, host.Services.GetRequiredService<TimeProvider>());
                engine.IngestWatermark = () => lines.Watermark;
                source = lines;
            }

            // With --mqtt the source is one of the host's services: it starts (and subscribes) with the host. Its events
            // are timed on arrival, so there is no watermark to wait for.
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

        var time = host.Services.GetRequiredService<TimeProvider>();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var loops = host.Services.GetRequiredService<DeviceEngineHealth>();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        var exitCode = ExitCodes.Ok;
        try
        {
            if (source is null)
            {
                // MQTT: the subscription never ends; run until stopped by a signal (or the engine stops the host).
                await Task.Delay(Timeout.InfiniteTimeSpan, stopping.Token);
            }
            else
            {
                exitCode = await ReadUntilStoppedAsync(io, settings, source, store, loops, time, stopping.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // SIGINT/SIGTERM, or the engine stopped the host: pending re-checks stay in the store.
        }
        catch (DeviceStoreException exception)
        {
            await io.Error.WriteLineAsync($"run: {exception.Message}");
            exitCode = ExitCodes.StoreError;
        }
        finally
        {
            using var stopTimeout = new CancellationTokenSource(StopTimeout);
            await host.StopAsync(stopTimeout.Token);
        }

        if (loops.Fault is { } fault)
        {
            await io.Error.WriteLineAsync($"run: {fault.Message}");
            return ExitCodes.StoreError;
        }

        return exitCode;
    }

    private static async Task<int> ReadUntilStoppedAsync(CliIo io, RunSettings settings, EventLineSource source, SqliteDeviceStore store, DeviceEngineHealth loops, TimeProvider time, CancellationToken stopping)
    {
        // Opened in the background: a FIFO with no writer blocks in open(), and the store's overdue work must run meanwhile.
        var reading = Task.Run(() => ReadInputAsync(io, settings, source, stopping), stopping);
        if (settings.Input == "-" && io.InputIsTerminal)
        {
            await io.Error.WriteLineAsync("run: reading events from the terminal (standard input); pipe a stream in, or give --input <file>. Ctrl+D ends the input.");
        }

        // A read of a terminal or pipe does not end on cancellation: stop waiting for it instead.
        var exitCode = await reading.WaitAsync(stopping);
        if (exitCode != ExitCodes.Ok)
        {
            return exitCode;
        }

        if (settings.ExitWhenIdle)
        {
            await WaitUntilIdleAsync(store, loops, time, stopping);
            return ExitCodes.Ok;
        }

        // Input ended (or never comes): keep running re-checks until stopped by a signal.
        await Task.Delay(Timeout.InfiniteTimeSpan, stopping);
        return ExitCodes.Ok;
    }

    private static async Task<int> ReadInputAsync(CliIo io, RunSettings settings, EventLineSource source, CancellationToken cancellationToken)
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

        try
        {
            await source.ReadAsync(input, cancellationToken);
            return ExitCodes.Ok;
        }
        finally
        {
            if (!ReferenceEquals(input, io.Input))
            {
                await input.DisposeAsync();
            }
        }
    }

    private static List<string>? OptionsProblems(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [invalid.Message],
        AggregateException { InnerExceptions: var inner } when inner.All(e => e is OptionsValidationException) => [.. inner.Select(e => e.Message).Distinct()],
        _ => null,
    };

    private static IHost BuildHost(CliIo io, RunSettings settings, SqliteDeviceStore store, FileNotifier? fileNotifier)
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
            .UseLastKnownState()
            .RunDeviceEngine();
        builder.Services.Replace(ServiceDescriptor.Singleton<IDeviceStore>(store));

        if (fileNotifier is not null)
        {
            engine.AddNotifier(NotifyDelayHook.Apply(fileNotifier));
        }

        if (settings.Mqtt is { } mqtt)
        {
            engine.AddMqttSource(options =>
            {
                options.Broker = mqtt.Broker;
                if (mqtt.ClientId is { } clientId)
                {
                    options.ClientId = clientId;
                }

                foreach (var preset in mqtt.Presets)
                {
                    options.Presets.Add(preset);
                }

                if (mqtt.Mapping is { } mapping)
                {
                    options.Mappings.Add(mapping);
                }
            });
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

    private static async Task WaitUntilIdleAsync(SqliteDeviceStore store, DeviceEngineHealth loops, TimeProvider time, CancellationToken cancellationToken)
    {
        while (loops.Fault is null)
        {
            var counts = await store.CountAsync(cancellationToken);
            if (counts is { Waking: 0, Undelivered: 0 })
            {
                return;
            }

            await Task.Delay(IdlePoll, time, cancellationToken);
        }
    }
}
