using GracefulDisconnect.Aws;
using GracefulDisconnect.Cli.Run.Http;
using GracefulDisconnect.Email;
using GracefulDisconnect.Mqtt;
using GracefulDisconnect.Webhooks;
using Microsoft.Extensions.Configuration;
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

    private const string DefaultStorePath = "gracefuldisconnect.db";

    public static async Task<int> RunAsync(CliIo io, RunSettings settings, CancellationToken cancellationToken)
    {
        var (configuration, problems) = RunConfiguration.Load(settings.ConfigFile);
        StatusEndpoint? status = null;
        if (configuration is not null)
        {
            problems.AddRange(SourceProblems(settings, configuration));
            (status, var httpProblems) = StatusEndpoint.Resolve(settings.HttpAddress, settings.HttpToken, settings.HttpAllowAnonymous, configuration);
            problems.AddRange(httpProblems);
        }

        if (configuration is null || problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await io.Error.WriteLineAsync($"run: {problem}");
            }

            return ExitCodes.Usage;
        }

        // Flags win over the file (and the environment).
        settings = settings with
        {
            StorePath = settings.StorePath ?? configuration[RunConfiguration.StorePathKey] ?? DefaultStorePath,
            NotifyFile = settings.NotifyFile ?? configuration[RunConfiguration.NotifyFilePathKey],
        };

        return await RunAsync(io, settings with { Status = status }, configuration, cancellationToken);
    }

    // The configuration asks for the MQTT source by naming a broker: a password alone in the environment does not.
    private static bool UsesMqtt(RunSettings settings, IConfiguration configuration)
        => settings.Mqtt is not null || ConfiguresMqtt(configuration);

    private static bool ConfiguresMqtt(IConfiguration configuration)
        => !string.IsNullOrWhiteSpace(configuration[$"{MqttSourceOptions.SectionName}:{nameof(MqttSourceOptions.Broker)}"]);

    // What the command line alone cannot check: a source or a grace period that may come from the configuration.
    private static IEnumerable<string> SourceProblems(RunSettings settings, IConfiguration configuration)
    {
        if (settings.GracePeriod is null && configuration[$"{RunConfiguration.Root}:GracePeriod"] is null)
        {
            yield return "--grace <duration> is required (or GracePeriod in the GracefulDisconnect section of --config).";
        }

        // Opening a directory fails with "Access denied" on Unix, which sends people chasing permissions.
        if (settings.InputGiven && settings.Input != "-" && Directory.Exists(settings.Input))
        {
            yield return $"--input '{settings.Input}' is a directory; give a JSON Lines file of events, or - for standard input.";
        }

        if (settings.Mqtt is null && ConfiguresMqtt(configuration))
        {
            if (settings.InputGiven)
            {
                yield return $"--input and the {MqttSourceOptions.SectionName} section of the configuration are two event sources; give one of them.";
            }

            if (settings.ExitWhenIdle)
            {
                yield return $"--exit-when-idle needs an input that ends; the MQTT subscription of {MqttSourceOptions.SectionName} never does.";
            }
        }
    }

    private static async Task<int> RunAsync(CliIo io, RunSettings settings, IConfiguration configuration, CancellationToken cancellationToken)
    {
        IDeviceStore store;
        try
        {
            store = await RunStore.OpenAsync(settings.StorePath!, TimeProvider.System, cancellationToken);
        }
        catch (DeviceStoreException exception)
        {
            await io.Error.WriteLineAsync($"run: {exception.Message}");
            return exception.Message.Contains("in use by another process", StringComparison.Ordinal) ? ExitCodes.StoreInUse : ExitCodes.StoreError;
        }

        try
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
                return await RunAsync(io, settings, configuration, store, fileNotifier, cancellationToken);
            }
        }
        finally
        {
            await RunStore.CloseAsync(store);
        }
    }

    private static async Task<int> RunAsync(CliIo io, RunSettings settings, IConfiguration configuration, IDeviceStore store, FileNotifier? fileNotifier, CancellationToken cancellationToken)
    {
        // Listening from the start: everything the engine measures from its first event is in /metrics.
        using var exporter = settings.Status is null ? null : new PrometheusExporter();
        using var host = BuildHost(io, settings, configuration, store, fileNotifier, exporter);
        EventLineSource? source = null;
        try
        {
            if (!UsesMqtt(settings, configuration))
            {
                // The source's watermark is in place before the engine's loops start: re-checks that came due while we
                // were down wait for what the source delivers first.
                var engine = host.Services.GetRequiredService<DeviceEngine>();
                var lines = new EventLineSource(io.Error, engine, host.Services.GetRequiredService<TimeProvider>());
                engine.IngestWatermark = () => lines.Watermark;
                source = lines;
            }

            // With --mqtt the source is one of the host's services: it starts (and subscribes) with the host, and gives the
            // engine its own watermark (re-checks wait for what the broker kept for us while we were down).
            await host.StartAsync(cancellationToken);
        }
        catch (StatusServerException exception)
        {
            await io.Error.WriteLineAsync($"run: {exception.Message}");
            using var stopTimeout = new CancellationTokenSource(StopTimeout);
            await host.StopAsync(stopTimeout.Token);
            return ExitCodes.Usage;
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

        if (settings.Status is { } status)
        {
            await io.Error.WriteLineAsync(status.Token is not null
                ? $"run: status page on {status.Url} (token required)"
                : status.IsLoopback
                    ? $"run: status page on {status.Url} (this machine only)"
                    : $"run: status page on {status.Url} WITHOUT a token (--http-allow-anonymous): anyone who can reach this port sees every device name");
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

    private static async Task<int> ReadUntilStoppedAsync(CliIo io, RunSettings settings, EventLineSource source, IDeviceStore store, DeviceEngineHealth loops, TimeProvider time, CancellationToken stopping)
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
        OptionsValidationException invalid => [.. Failures(invalid)],
        AggregateException { InnerExceptions: var inner } when inner.All(e => e is OptionsValidationException) => [.. inner.Cast<OptionsValidationException>().SelectMany(Failures).Distinct()],

        // The binder's own message names the key and the type: "Failed to convert configuration value at 'GracefulDisconnect:Mqtt:MaxBatchSize' to type 'System.Int32'."
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [message],
        _ => null,
    };

    // One line per problem, prefixed with the configuration section the options come from so the line names the key.
    private static IEnumerable<string> Failures(OptionsValidationException invalid)
    {
        var section = RunConfiguration.Sections.FirstOrDefault(known => known.Options == invalid.OptionsType).Section;
        return invalid.Failures.Select(failure => section is null ? failure : $"{section}: {failure}");
    }

    private static IHost BuildHost(CliIo io, RunSettings settings, IConfiguration configuration, IDeviceStore store, FileNotifier? fileNotifier, PrometheusExporter? exporter)
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
            .AddGracefulDisconnect(configuration.GetSection(RunConfiguration.Root))
            .UseLastKnownState()
            .RunDeviceEngine();
        builder.Services.Configure<GracefulDisconnectOptions>(options =>
        {
            // After the configuration's binding: the flags win.
            if (settings.GracePeriod is { } grace)
            {
                options.GracePeriod = grace;
            }

            // A retry sooner than the library's minute suits a service on one machine, unless configured.
            if (configuration[$"{RunConfiguration.Root}:RetryDelay"] is null)
            {
                options.RetryDelay = TimeSpan.FromSeconds(10);
            }

            if (settings.ClaimLease is { } lease)
            {
                options.ClaimLease = lease;
            }

            if (settings.SilentAfter is { } silentAfter)
            {
                options.SilentAfter = silentAfter;
            }

            settings.Alerts.ApplyGivenTo(options);
        });
        builder.Services.Replace(ServiceDescriptor.Singleton<IDeviceStore>(store));

        if (fileNotifier is not null)
        {
            engine.AddNotifier(fileNotifier);
        }

        if (UsesMqtt(settings, configuration))
        {
            engine.AddMqttSource(configuration.GetSection(MqttSourceOptions.SectionName));
            if (settings.Mqtt is { } mqtt)
            {
                builder.Services.Configure<MqttSourceOptions>(options => ApplyFlags(mqtt, options));
            }
        }

        var channels = AddConfiguredChannels(engine, configuration);
        if (settings.SnsTopicArn is { } topic)
        {
            if (!RunConfiguration.Has(configuration, SnsNotifierOptions.SectionName))
            {
                engine.AddSnsNotifier(options => options.TopicArn = topic);
            }

            builder.Services.Configure<SnsNotifierOptions>(options => options.TopicArn = topic);
            channels++;
        }

        if (fileNotifier is null && channels == 0)
        {
            engine.AddNotifier(new StdoutNotifier(new StreamWriter(io.Output, leaveOpen: true)));
        }

        if (settings.Status is { } status && exporter is not null)
        {
            var mqttSource = UsesMqtt(settings, configuration);
            builder.Services.AddHostedService(services =>
            {
                var source = SourceState(services, settings, mqttSource);
                return new StatusServer(
                    status,
                    new StatusReader(store, services.GetRequiredService<DeviceEngine>(), services.GetRequiredService<DeviceEngineHealth>(), source, services.GetRequiredService<TimeProvider>(), RunStore.Describe(store)),
                    exporter,
                    store,
                    services.GetRequiredService<DeviceEngineHealth>(),
                    source,
                    services.GetRequiredService<IHostApplicationLifetime>(),
                    services.GetRequiredService<ILoggerFactory>());
            });
        }

        return builder.Build();
    }

    // What the status page and /healthz say of the source: the broker's connection (its address without credentials),
    // or the file or pipe being read, which is connected while the engine runs.
    private static Func<Http.EventSourceState> SourceState(IServiceProvider services, RunSettings settings, bool mqtt)
    {
        if (!mqtt)
        {
            var name = settings.InputGiven && settings.Input != "-" ? settings.Input : "standard input";
            return () => new Http.EventSourceState(name, Connected: true, Since: null);
        }

        var connection = services.GetRequiredService<IMqttSourceStatus>();
        return () => connection.IsConnected
            ? new Http.EventSourceState(connection.Broker, Connected: true, connection.ConnectedSince)
            : new Http.EventSourceState(connection.Broker, Connected: false, connection.DisconnectedSince);
    }

    // The command line's MQTT flags over the configuration's: a broker, presets or a mapping given replace the file's.
    private static void ApplyFlags(MqttSettings mqtt, MqttSourceOptions options)
    {
        options.Broker = mqtt.Broker;
        if (mqtt.ClientId is { } clientId)
        {
            options.ClientId = clientId;
        }

        if (mqtt.Presets.Count > 0)
        {
            options.Presets = [.. mqtt.Presets];
        }

        if (mqtt.Mapping is { } mapping)
        {
            options.Mappings = [mapping];
        }

        if (mqtt.HeartbeatTopics.Count > 0)
        {
            options.HeartbeatTopics = [.. mqtt.HeartbeatTopics];
        }
    }

    // Each channel whose section the configuration has; returns how many.
    private static int AddConfiguredChannels(GracefulDisconnectBuilder engine, IConfiguration configuration)
    {
        var count = 0;
        if (Section(SlackNotifierOptions.SectionName) is { } slack)
        {
            engine.AddSlackNotifier(slack);
            count++;
        }

        if (Section(TeamsNotifierOptions.SectionName) is { } teams)
        {
            engine.AddTeamsNotifier(teams);
            count++;
        }

        if (Section(WebhookNotifierOptions.SectionName) is { } webhook)
        {
            engine.AddWebhookNotifier(webhook);
            count++;
        }

        if (Section(SmtpNotifierOptions.SectionName) is { } smtp)
        {
            engine.AddSmtpNotifier(smtp);
            count++;
        }

        if (Section(SnsNotifierOptions.SectionName) is { } sns)
        {
            engine.AddSnsNotifier(sns);
            count++;
        }

        return count;

        IConfigurationSection? Section(string name) => RunConfiguration.Has(configuration, name) ? configuration.GetSection(name) : null;
    }

    private static async Task WaitUntilIdleAsync(IDeviceStore store, DeviceEngineHealth loops, TimeProvider time, CancellationToken cancellationToken)
    {
        while (loops.Fault is null)
        {
            var started = time.GetTimestamp();
            var counts = await store.CountAsync(cancellationToken);
            if (counts is { Waking: 0, Undelivered: 0 })
            {
                return;
            }

            // Counting a large store is not free (10⁶ pending re-checks: about 0.1 s of SQLite): poll no more than 5% of
            // the time, or waiting a day of grace for the last re-check would keep a core 40% busy.
            var counting = time.GetElapsedTime(started);
            await Task.Delay(counting * 20 > IdlePoll ? counting * 20 : IdlePoll, time, cancellationToken);
        }
    }
}
