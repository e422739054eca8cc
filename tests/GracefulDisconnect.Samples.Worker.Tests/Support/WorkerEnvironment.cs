using Amazon.Runtime;
using GracefulDisconnect.Aws;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Samples.Worker.Tests;

/// <summary>
/// Loopback fakes of IoT Data Plane, SNS and SQS (verifying every signature) and the worker's host built the
/// way Program.cs builds it, configured through configuration keys only (no process environment), so these
/// tests may run in parallel with each other.
/// </summary>
internal sealed class WorkerEnvironment : IAsyncDisposable
{
    public const string Region = "ap-northeast-1";

    private WorkerEnvironment(FakeIotDataPlane iot, FakeSns sns, FakeSqs sqs)
    {
        Iot = iot;
        Sns = sns;
        Sqs = sqs;
        TopicArn = sns.CreateTopic("device-offline", Region);
        QueueUrl = sqs.CreateQueue("device-disconnects");
        HealthFile = Path.Combine(Path.GetTempPath(), $"gracefuldisconnect-worker-{Guid.NewGuid():N}.json");
        Store = Path.Combine(Path.GetTempPath(), $"gracefuldisconnect-worker-{Guid.NewGuid():N}.db");
    }

    public FakeIotDataPlane Iot { get; }

    public FakeSns Sns { get; }

    public FakeSqs Sqs { get; }

    public string TopicArn { get; }

    public string QueueUrl { get; }

    public string HealthFile { get; }

    /// <summary>The worker's SQLite store; every host built here uses it, so a second host is the same worker restarted.</summary>
    public string Store { get; }

    public IEnumerable<RecordedRequest> AllRequests => [.. Iot.Requests, .. Sns.Requests, .. Sqs.Requests];

    public static async Task<WorkerEnvironment> StartAsync()
        => new(await FakeIotDataPlane.StartNewAsync(), await FakeSns.StartNewAsync(), await FakeSqs.StartNewAsync());

    /// <summary>The host, with a 2-second grace, short polls and a health file; <paramref name="settings"/> override keys.</summary>
    public IHost BuildHost(IDictionary<string, string?>? settings = null, TimeProvider? clock = null, ILoggerProvider? logs = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["GracefulDisconnect:GracePeriod"] = "00:00:02",
            ["GracefulDisconnect:IotShadow:Endpoint"] = Iot.Endpoint.ToString(),
            ["GracefulDisconnect:IotShadow:Region"] = Region,
            ["GracefulDisconnect:Sns:TopicArn"] = TopicArn,
            ["GracefulDisconnect:Sns:Endpoint"] = Sns.Endpoint.ToString(),
            ["Worker:QueueUrl"] = QueueUrl,
            ["Worker:Endpoint"] = Sqs.Endpoint.ToString(),
            ["Worker:Region"] = Region,

            // The fake answers a receive at once (no long polling), so pause between empty polls instead.
            ["Worker:ReceiveWaitTime"] = "00:00:00",
            ["Worker:IdleDelay"] = "00:00:01",
            ["Worker:PollRetryDelay"] = "00:00:00.100",
            ["Worker:MaxPollRetryDelay"] = "00:00:00.500",
            ["Worker:UnhealthyAfter"] = "00:00:05",
            ["Worker:HealthCheckInterval"] = "00:00:01",
            ["Worker:HealthFile"] = HealthFile,
            ["Worker:ShutdownTimeout"] = "00:00:10",
            ["Worker:Store"] = Store,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddGracefulDisconnectWorker(builder.Configuration);
        var credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, TestAwsCredentials.SecretAccessKey, TestAwsCredentials.SessionToken);
        builder.Services.PostConfigure<AwsIotShadowReaderOptions>(options =>
        {
            options.Credentials = credentials;
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            options.MaxRetryDelay = TimeSpan.FromMilliseconds(5);
        });
        builder.Services.PostConfigure<SnsNotifierOptions>(options => options.Credentials = credentials);
        builder.Services.PostConfigure<WorkerOptions>(options => options.Credentials = credentials);
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        return builder.Build();
    }

    /// <summary>Waits, at most 30 seconds, for something the worker does in the background.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting for: {what}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Iot.DisposeAsync();
        await Sns.DisposeAsync();
        await Sqs.DisposeAsync();
        File.Delete(HealthFile);
        foreach (var file in new[] { Store, Store + "-wal", Store + "-shm", Store + ".lock" })
        {
            File.Delete(file);
        }
    }
}
