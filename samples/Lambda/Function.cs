using System.Text.Json;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Samples.Lambda;

/// <summary>
/// The Lambda function, on the device engine and its DynamoDB table. An IoT rule sends every connect and disconnect
/// to the queue (whose <c>DelaySeconds</c> is the grace period); each SQS invocation records its batch with the engine
/// (durable in the table before the batch is acknowledged), then runs one pass over due re-checks (the Device Shadow
/// is read for each) and one delivery pass (SNS). A scheduled invocation every minute runs the same two passes, for
/// graces longer than the queue's delay, reminders and deliveries that failed. Handler string:
/// <c>GracefulDisconnect.Samples.Lambda::GracefulDisconnect.Samples.Lambda.Function::HandleAsync</c>.
/// </summary>
/// <remarks>
/// The runtime creates one instance per execution environment; every environment shares the table, so the same
/// record handled by two environments is one event, and each outage is published once (outbox claims in DynamoDB).
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "The handler string in template.yaml names this type; Function is what Lambda calls it.")]
public sealed class Function : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly DeviceEngine _engine;
    private readonly FunctionSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the function from its environment variables (see <see cref="FunctionSettings.FromEnvironment"/>); the runtime calls this.</summary>
    /// <exception cref="FunctionConfigurationException">A variable is missing or invalid.</exception>
    public Function()
        : this(FunctionSettings.FromEnvironment(), configureServices: null)
    {
    }

    /// <summary>Creates the function from settings, for hosting it elsewhere or testing it.</summary>
    /// <param name="settings">The settings.</param>
    /// <exception cref="FunctionConfigurationException">The settings are invalid.</exception>
    public Function(FunctionSettings settings)
        : this(settings, configureServices: null)
    {
    }

    /// <summary>Creates the function; <paramref name="configureServices"/> runs last, so tests can replace the clock or add a logger.</summary>
    internal Function(FunctionSettings settings, Action<IServiceCollection>? configureServices)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _services = BuildServices(settings, configureServices);
        try
        {
            // Everything that can be wrong with the configuration shows now, as an init error, not once per record.
            _services.GetRequiredService<IStartupValidator>().Validate();
            _engine = _services.GetRequiredService<DeviceEngine>();
        }
        catch (Exception exception) when (exception is OptionsValidationException or AggregateException or InvalidOperationException)
        {
            _services.Dispose();
            throw new FunctionConfigurationException($"The function's configuration is invalid: {Describe(exception)}", exception);
        }

        // The SQS batch is the unit of arrival: whatever came with a record is in the same RecordAsync, and what comes
        // later comes a whole queue delay later and is seen through the shadow read. So a re-check that is due has
        // nothing more to wait for (without this the engine would hold a just-recorded overdue disconnect back for
        // a moment, and this invocation would end before it could step it).
        _engine.IngestWatermark = static () => DateTimeOffset.MaxValue;
        _time = _services.GetRequiredService<TimeProvider>();
        _logger = _services.GetRequiredService<ILoggerFactory>().CreateLogger<Function>();
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_IOT_DATA_PLANE"))
            && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL")))
        {
            LambdaLog.DefaultIotEndpoint(_logger);
        }

        LambdaLog.Ready(_logger, settings.GracePeriod, settings.TopicArn, settings.StateTable, settings.NotifyRecovery);
    }

    /// <summary>
    /// Handles one SQS event (records its batch, then runs the due and delivery passes) and answers the partial batch
    /// response: the records SQS must deliver again. Or handles a scheduled event (<c>"source":"aws.events"</c>): the
    /// two passes alone.
    /// </summary>
    /// <param name="input">The SQS event or the scheduled event JSON.</param>
    /// <returns><c>{"batchItemFailures":[{"itemIdentifier":"&lt;messageId&gt;"}]}</c>, or for a sweep <c>{"rechecked":n,"delivered":m}</c>.</returns>
    /// <exception cref="SqsEventFormatException">The input is neither; nothing was processed and Lambda retries the batch.</exception>
    public async Task<Stream> HandleAsync(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var started = _time.GetTimestamp();
        var records = await ReadRecordsAsync(input);
        var output = new MemoryStream();
        if (records is null)
        {
            var (rechecked, delivered) = await RunPassesAsync(started);
            LambdaLog.SweepDone(_logger, rechecked, delivered);
            await JsonSerializer.SerializeAsync(output, new SweepResponse(rechecked, delivered), SqsEventJsonContext.Default.SweepResponse);
            output.Position = 0;
            return output;
        }

        var failed = await RecordBatchAsync(records);
        await RunPassesAsync(started);

        var response = new SqsBatchResponse();
        foreach (var messageId in failed)
        {
            response.BatchItemFailures.Add(new SqsBatchItemFailure(messageId));
        }

        LambdaLog.BatchDone(_logger, records.Count, response.BatchItemFailures.Count);
        await JsonSerializer.SerializeAsync(output, response, SqsEventJsonContext.Default.SqsBatchResponse);
        output.Position = 0;
        return output;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _services.DisposeAsync();

    // The records of an SQS event, or null for a scheduled event.
    private static async Task<List<SqsRecord>?> ReadRecordsAsync(Stream input)
    {
        SqsEvent? sqsEvent;
        try
        {
            using var document = await JsonDocument.ParseAsync(input);
            if (ScheduledEvent.Is(document.RootElement))
            {
                return null;
            }

            sqsEvent = document.RootElement.Deserialize(SqsEventJsonContext.Default.SqsEvent);
        }
        catch (JsonException exception)
        {
            throw new SqsEventFormatException($"The input is not an SQS event (nor a scheduled event): {exception.Message}", exception);
        }

        if (sqsEvent?.Records is not { } records)
        {
            throw new SqsEventFormatException("The input is not an SQS event (nor a scheduled event): it has no 'Records' array.");
        }

        // A failure we could not name would fail the whole batch anyway; say so before touching anything.
        for (var i = 0; i < records.Count; i++)
        {
            if (string.IsNullOrEmpty(records[i]?.MessageId))
            {
                throw new SqsEventFormatException($"The input is not an SQS event: Records[{i}] has no 'messageId', so its failure could not be reported. Nothing was processed.");
            }
        }

        return records;
    }

    // Parses every record and records the valid ones in one commit; answers the message ids SQS must deliver again.
    private async Task<List<string>> RecordBatchAsync(List<SqsRecord> records)
    {
        var failed = new List<string>();
        var parsed = new List<(string MessageId, ConnectionEvent Event)>(records.Count);
        foreach (var record in records)
        {
            var messageId = record.MessageId!;
            try
            {
                parsed.Add((messageId, ConnectionEventParser.Parse(record.Body ?? throw new ConnectionEventFormatException("the record has no body"))));
            }
            catch (ConnectionEventFormatException exception)
            {
                LambdaLog.MalformedRecord(_logger, messageId, record.Attributes?.ApproximateReceiveCount, exception.Message);
                failed.Add(messageId);
            }
        }

        try
        {
            await _engine.RecordAsync([.. parsed.Select(item => item.Event)]);
        }
        catch (ArgumentException)
        {
            // A thing name the engine refuses fails the whole commit: record one by one, so that record alone fails.
            foreach (var (messageId, connectionEvent) in parsed)
            {
                if (!await TryRecordOneAsync(messageId, connectionEvent))
                {
                    failed.Add(messageId);
                }
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Nothing of the batch is known to be durable: SQS delivers all of it again, and a repeat is the same event.
            LambdaLog.RecordingFailed(_logger, parsed.Count, exception.GetType().Name, exception.Message);
            LambdaLog.RecordingFailedDetail(_logger, exception);
            failed.AddRange(parsed.Select(item => item.MessageId));
        }

        return failed;
    }

    private async Task<bool> TryRecordOneAsync(string messageId, ConnectionEvent connectionEvent)
    {
        try
        {
            await _engine.RecordAsync([connectionEvent]);
            return true;
        }
        catch (ArgumentException exception)
        {
            LambdaLog.MalformedRecord(_logger, messageId, receiveCount: null, exception.Message);
            return false;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LambdaLog.RecordingFailed(_logger, 1, exception.GetType().Name, exception.Message);
            LambdaLog.RecordingFailedDetail(_logger, exception);
            return false;
        }
    }

    // One pass over due re-checks, then one delivery pass, within the deadlines. A failure is logged and left in the
    // table: the records are durable already, and the next invocation or the sweep does the work.
    private async Task<(int Rechecked, int Delivered)> RunPassesAsync(long started)
    {
        var remaining = _settings.WorkDeadline - _time.GetElapsedTime(started);
        if (remaining <= TimeSpan.Zero)
        {
            LambdaLog.PassesSkipped(_logger, _settings.WorkDeadline);
            return (0, 0);
        }

        using var deadline = new CancellationTokenSource(remaining, _time);
        var rechecked = await RunPassAsync("re-check", started, () => _engine.RunDueAsync(deadline.Token), deadline.Token);
        var delivered = await RunPassAsync("delivery", started, () => _engine.DeliverAsync(deadline.Token), deadline.Token);
        return (rechecked, delivered);
    }

    private async Task<int> RunPassAsync(string pass, long started, Func<Task<int>> run, CancellationToken deadline)
    {
        if (_time.GetElapsedTime(started) > _settings.StartDeadline)
        {
            LambdaLog.PassNotStarted(_logger, pass, _settings.StartDeadline);
            return 0;
        }

        try
        {
            return await run();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            LambdaLog.PassCancelled(_logger, pass, _settings.WorkDeadline);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LambdaLog.PassFailed(_logger, pass, exception.GetType().Name, exception.Message);
            LambdaLog.RecordingFailedDetail(_logger, exception);
        }

        return 0;
    }

    // Option names map to the variables: TopicArn ← SNS_TOPIC_ARN, TableName ← STATE_TABLE, ShadowName ← SHADOW_NAME, TimeZone ← TIME_ZONE...
    private static string Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => string.Join("; ", validation.Failures),
        AggregateException aggregate => string.Join("; ", aggregate.InnerExceptions.Select(Describe)),
        _ => exception.Message,
    };

    private static ServiceProvider BuildServices(FunctionSettings settings, Action<IServiceCollection>? configureServices)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(settings.LogLevel);
            logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
            logging.AddFilter("Polly", LogLevel.Warning);
            logging.AddProvider(new JsonLineLoggerProvider(Console.Out));
        });
        services.AddGracefulDisconnect(options =>
            {
                options.GracePeriod = settings.GracePeriod;
                options.TimeZone = settings.TimeZone ?? options.TimeZone;
                options.Culture = settings.Culture ?? options.Culture;
                options.Alerts.NotifyRecovery = settings.NotifyRecovery;
                options.Alerts.ReminderInterval = settings.ReminderInterval;
                options.Alerts.MaxReminders = settings.MaxReminders;
                options.MaxConcurrentRechecks = settings.MaxConcurrency;
            })
            .UseDynamoDbStore(options =>
            {
                options.TableName = settings.StateTable;

                // The template declares the table: a missing one is a deployment mistake to report, not to paper over.
                options.CreateTableIfMissing = false;

                // The SDK's backoff, bounded so a throttled commit still ends within the function timeout.
                options.MaxErrorRetry = 3;
            })
            .AddAwsIotShadowReader(options =>
            {
                options.ShadowName = settings.ShadowName;
                WithinTheFunctionTimeout(options);
            })
            .AddSnsNotifier(options =>
            {
                options.TopicArn = settings.TopicArn;
                WithinTheFunctionTimeout(options);
            });
        configureServices?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    // At most 3 attempts of 5 s and 2 s between them, so one read or one publish ends within 20 s and the passes
    // started before StartDeadline (20 s) end within the template's 60 s timeout. Longer outages are the sweep's to retry.
    private static void WithinTheFunctionTimeout(AwsClientOptions options)
    {
        options.MaxRetryAttempts = 2;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
        options.MaxRetryDelay = TimeSpan.FromSeconds(2);
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
    }
}
