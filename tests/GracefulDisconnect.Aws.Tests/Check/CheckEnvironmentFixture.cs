using GracefulDisconnect.Testing.Aws;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Check;

/// <summary>
/// The environment a user of <c>check</c> has: credentials (with a session token), region and endpoint
/// overrides in environment variables, here pointing at the loopback fakes. Environment variables are
/// process-wide, so these tests run in their own collection, never alongside others.
/// </summary>
public sealed class CheckEnvironmentFixture : IAsyncLifetime
{
    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IOT_DATA_PLANE", "AWS_ENDPOINT_URL_IOT", "AWS_ENDPOINT_URL_SNS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    ];

    private readonly Dictionary<string, string?> _saved = [];

    public FakeIotDataPlane IotData { get; private set; } = null!;

    public FakeSns Sns { get; private set; } = null!;

    public FakeIotControlPlane IotControl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        IotData = await FakeIotDataPlane.StartNewAsync();
        Sns = await FakeSns.StartNewAsync();
        IotControl = await FakeIotControlPlane.StartNewAsync();
        foreach (var name in Variables)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }

        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", TestAwsCredentials.AccessKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", TestAwsCredentials.SecretAccessKey);
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", TestAwsCredentials.SessionToken);
        Environment.SetEnvironmentVariable("AWS_REGION", AwsTestHost.Region);
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_IOT_DATA_PLANE", IotData.Endpoint.ToString());
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SNS", Sns.Endpoint.ToString());
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_IOT", IotControl.Endpoint.ToString());
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        await IotData.DisposeAsync();
        await Sns.DisposeAsync();
        await IotControl.DisposeAsync();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CheckEnvironmentGroup : ICollectionFixture<CheckEnvironmentFixture>
{
    public const string Name = "check command (process environment)";
}
