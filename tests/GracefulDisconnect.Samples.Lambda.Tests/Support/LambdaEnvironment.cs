using GracefulDisconnect.Testing.Aws;
using Xunit;

namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>
/// What a deployed function sees, pointed at loopback fakes that verify every SigV4 signature: the
/// template's variables, temporary credentials (with a session token) and endpoint overrides. Environment
/// variables are process-wide, so tests that use one run in <see cref="LambdaEnvironmentGroup"/>, one at a
/// time, and every variable is put back afterwards.
/// </summary>
internal sealed class LambdaEnvironment : IAsyncDisposable
{
    public const string Region = "ap-northeast-1";

    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IOT_DATA_PLANE", "AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL_SQS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "SNS_TOPIC_ARN", "GRACE_PERIOD", "SQS_QUEUE_URL", "SHADOW_NAME", "TIME_ZONE", "CULTURE", "MAX_CONCURRENCY", "AWS_LAMBDA_LOG_LEVEL",
    ];

    private readonly Dictionary<string, string?> _saved = [];

    private LambdaEnvironment(FakeIotDataPlane iot, FakeSns sns, FakeSqs sqs)
    {
        Iot = iot;
        Sns = sns;
        Sqs = sqs;
        TopicArn = sns.CreateTopic("device-offline", Region);
        QueueUrl = sqs.CreateQueue("gracefuldisconnect-rechecks");
    }

    public FakeIotDataPlane Iot { get; }

    public FakeSns Sns { get; }

    public FakeSqs Sqs { get; }

    public string TopicArn { get; }

    public string QueueUrl { get; }

    public static async Task<LambdaEnvironment> StartAsync(string gracePeriod = "5m")
    {
        var environment = new LambdaEnvironment(await FakeIotDataPlane.StartNewAsync(), await FakeSns.StartNewAsync(), await FakeSqs.StartNewAsync());
        foreach (var name in Variables)
        {
            environment._saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }

        Set("AWS_ACCESS_KEY_ID", TestAwsCredentials.AccessKeyId);
        Set("AWS_SECRET_ACCESS_KEY", TestAwsCredentials.SecretAccessKey);
        Set("AWS_SESSION_TOKEN", TestAwsCredentials.SessionToken);
        Set("AWS_REGION", Region);
        Set("AWS_ENDPOINT_URL_IOT_DATA_PLANE", environment.Iot.Endpoint.ToString());
        Set("AWS_ENDPOINT_URL_SNS", environment.Sns.Endpoint.ToString());
        Set("AWS_ENDPOINT_URL_SQS", environment.Sqs.Endpoint.ToString());
        Set("SNS_TOPIC_ARN", environment.TopicArn);
        Set("SQS_QUEUE_URL", environment.QueueUrl);
        Set("GRACE_PERIOD", gracePeriod);
        return environment;
    }

    public static void Set(string name, string? value) => Environment.SetEnvironmentVariable(name, value);

    public IEnumerable<RecordedRequest> AllRequests => [.. Iot.Requests, .. Sns.Requests, .. Sqs.Requests];

    public IReadOnlyList<RecordedRequest> ShadowRequests(string thing)
        => [.. Iot.Requests.Where(request => request.RawPath == $"/things/{Uri.EscapeDataString(thing)}/shadow")];

    public async ValueTask DisposeAsync()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        await Iot.DisposeAsync();
        await Sns.DisposeAsync();
        await Sqs.DisposeAsync();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LambdaEnvironmentGroup
{
    public const string Name = "Lambda function (process environment)";
}
