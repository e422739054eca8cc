using GracefulDisconnect.Testing.Aws;
using GracefulDisconnect.Testing.DynamoDb;
using Xunit;

namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>
/// What a deployed function sees, pointed at loopback fakes that verify every SigV4 signature: the
/// template's variables, temporary credentials (with a session token) and endpoint overrides, and a table of
/// its own in dynalite created from template.yaml's declaration. Environment
/// variables are process-wide, so tests that use one run in <see cref="LambdaEnvironmentGroup"/>, one at a
/// time, and every variable is put back afterwards.
/// </summary>
internal sealed class LambdaEnvironment : IAsyncDisposable
{
    public const string Region = "ap-northeast-1";

    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IOT_DATA_PLANE", "AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "SNS_TOPIC_ARN", "GRACE_PERIOD", "STATE_TABLE", "NOTIFY_RECOVERY", "REMIND_EVERY", "MAX_REMINDERS", "SHADOW_NAME", "TIME_ZONE", "CULTURE", "MAX_CONCURRENCY", "AWS_LAMBDA_LOG_LEVEL",
    ];

    private readonly Dictionary<string, string?> _saved = [];

    private LambdaEnvironment(FakeIotDataPlane iot, FakeSns sns, DynaliteServer dynalite)
    {
        Iot = iot;
        Sns = sns;
        Dynalite = dynalite;
        TopicArn = sns.CreateTopic("device-offline", Region);
        StateTable = DynaliteServer.NewTable();
    }

    public FakeIotDataPlane Iot { get; }

    public FakeSns Sns { get; }

    public DynaliteServer Dynalite { get; }

    public string TopicArn { get; }

    public string StateTable { get; }

    /// <summary>Starts the fakes and sets the variables; the table is created unless <paramref name="createTable"/> is false.</summary>
    public static async Task<LambdaEnvironment> StartAsync(DynaliteServer dynalite, string gracePeriod = "5m", bool createTable = true)
    {
        var environment = new LambdaEnvironment(await FakeIotDataPlane.StartNewAsync(), await FakeSns.StartNewAsync(), dynalite);
        if (createTable)
        {
            using var client = dynalite.NewClient();
            await TemplateTable.CreateAsync(client, environment.StateTable);
        }

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
        Set("AWS_ENDPOINT_URL_DYNAMODB", dynalite.ServiceUrl.ToString());
        Set("SNS_TOPIC_ARN", environment.TopicArn);
        Set("STATE_TABLE", environment.StateTable);
        Set("GRACE_PERIOD", gracePeriod);
        return environment;
    }

    public static void Set(string name, string? value) => Environment.SetEnvironmentVariable(name, value);

    public IEnumerable<RecordedRequest> AllRequests => [.. Iot.Requests, .. Sns.Requests];

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
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LambdaEnvironmentGroup : ICollectionFixture<DynaliteServer>
{
    // One dynalite for the collection; each test works in a table of its own.
    public const string Name = "Lambda function (process environment)";
}
