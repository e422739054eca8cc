using System.Text.Json;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Samples.Lambda;

/// <summary>
/// The Lambda function: consumes the re-check queue (an IoT rule sends every disconnect to it; the queue's
/// <c>DelaySeconds</c> is the grace period), re-reads each thing's Device Shadow and publishes to SNS only when
/// it is still offline and still the same outage. Handler string:
/// <c>GracefulDisconnect.Samples.Lambda::GracefulDisconnect.Samples.Lambda.Function::HandleAsync</c>.
/// </summary>
/// <remarks>
/// The runtime creates one instance per execution environment, so the DI container, HTTP connections and
/// the outage ledger are built once, at cold start, and shared by every invocation that environment serves.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "The handler string in template.yaml names this type; Function is what Lambda calls it.")]
public sealed class Function : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly SqsRecheckConsumer _consumer;
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
            _consumer = _services.GetRequiredService<SqsRecheckConsumer>();
        }
        catch (Exception exception) when (exception is OptionsValidationException or AggregateException or InvalidOperationException)
        {
            _services.Dispose();
            throw new FunctionConfigurationException($"The function's configuration is invalid: {Describe(exception)}", exception);
        }

        _time = _services.GetRequiredService<TimeProvider>();
        _logger = _services.GetRequiredService<ILoggerFactory>().CreateLogger<Function>();
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_IOT_DATA_PLANE"))
            && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL")))
        {
            LambdaLog.DefaultIotEndpoint(_logger);
        }

        LambdaLog.Ready(_logger, settings.GracePeriod, settings.TopicArn, settings.QueueUrl, settings.MaxConcurrency);
    }

    /// <summary>
    /// Handles one SQS event and answers the partial batch response: the records SQS must deliver again.
    /// A malformed record and a record whose re-check failed are reported; the others are processed.
    /// </summary>
    /// <param name="input">The SQS event JSON.</param>
    /// <returns><c>{"batchItemFailures":[{"itemIdentifier":"&lt;messageId&gt;"}]}</c>.</returns>
    /// <exception cref="SqsEventFormatException">The input is not an SQS event; nothing was processed and Lambda retries the batch.</exception>
    public async Task<Stream> HandleAsync(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var started = _time.GetTimestamp();
        var records = await ReadRecordsAsync(input);
        var failed = new bool[records.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, records.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _settings.MaxConcurrency },
            async (index, _) => failed[index] = !await TryHandleAsync(records[index], started));

        var response = new SqsBatchResponse();
        for (var i = 0; i < records.Count; i++)
        {
            if (failed[i])
            {
                response.BatchItemFailures.Add(new SqsBatchItemFailure(records[i].MessageId!));
            }
        }

        LambdaLog.BatchDone(_logger, records.Count, response.BatchItemFailures.Count);
        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, response, SqsEventJsonContext.Default.SqsBatchResponse);
        output.Position = 0;
        return output;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static async Task<List<SqsRecord>> ReadRecordsAsync(Stream input)
    {
        SqsEvent? sqsEvent;
        try
        {
            sqsEvent = await JsonSerializer.DeserializeAsync(input, SqsEventJsonContext.Default.SqsEvent);
        }
        catch (JsonException exception)
        {
            throw new SqsEventFormatException($"The input is not an SQS event: {exception.Message}", exception);
        }

        if (sqsEvent?.Records is not { } records)
        {
            throw new SqsEventFormatException("The input is not an SQS event: it has no 'Records' array.");
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

    // One bad record never fails the others: everything that goes wrong becomes a batch item failure.
    private async Task<bool> TryHandleAsync(SqsRecord record, long started)
    {
        var messageId = record.MessageId!;
        var receiveCount = record.Attributes?.ApproximateReceiveCount;
        if (_time.GetElapsedTime(started) > _settings.StartDeadline)
        {
            LambdaLog.RecordNotStarted(_logger, messageId, _settings.StartDeadline);
            return false;
        }

        if (record.Body is null)
        {
            LambdaLog.MalformedRecord(_logger, messageId, receiveCount, "the record has no body");
            return false;
        }

        try
        {
            var result = await _consumer.HandleMessageAsync(record.Body);
            LambdaLog.RecordHandled(_logger, messageId, result.Action, result.Outcome?.Result);
            return true;
        }
        catch (ConnectionEventFormatException exception)
        {
            LambdaLog.MalformedRecord(_logger, messageId, receiveCount, exception.Message);
            return false;
        }
        catch (Exception exception)
        {
            LambdaLog.RecordFailed(_logger, messageId, receiveCount, exception);
            return false;
        }
    }

    // Option names map to the variables: TopicArn ← SNS_TOPIC_ARN, QueueUrl ← SQS_QUEUE_URL, ShadowName ← SHADOW_NAME, TimeZone ← TIME_ZONE...
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

                // SQS redelivers a failed record; retrying inside the invocation as well would only risk the function timeout.
                options.NotifyAttempts = 1;
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
            })
            .AddSqsScheduler(options => options.QueueUrl = settings.QueueUrl)
            .DecorateRecheckHandler((_, handler) => new RedeliverFailedRechecks(handler));
        configureServices?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    // At most 3 attempts of 5 s and 2 s between them: a read plus a publish end within 40 s, so a record started
    // before StartDeadline (20 s) finishes within the template's 60 s timeout. Longer outages are SQS's to retry.
    private static void WithinTheFunctionTimeout(AwsClientOptions options)
    {
        options.MaxRetryAttempts = 2;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
        options.MaxRetryDelay = TimeSpan.FromSeconds(2);
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
    }
}
