using GracefulDisconnect.Aws.Tests.Check;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Http;

/// <summary>
/// Polly's report of each attempt of a shadow read is Debug (by default it wrote one line per request at Information,
/// and a warning next to the adapter's own before each retry). HttpClient's request logging is left as the
/// application configures it (its category is <c>System.Net.Http.HttpClient.*</c>; AWS URLs carry no secret).
/// </summary>
[Collection(CheckEnvironmentGroup.Name)]
public sealed class AwsAttemptLoggingTests(CheckEnvironmentFixture environment)
{
    [Fact]
    public async Task ShadowReader_FirstAttemptSucceeds_PollyOnlyAtDebug()
    {
        var (logs, provider, thing) = Reader();
        await using var disposing = provider;
        var reader = provider.GetRequiredService<IShadowReader>();

        Assert.NotNull(await reader.ReadAsync(thing));

        var polly = Polly(logs);
        Assert.NotEmpty(polly);
        Assert.All(polly, entry => Assert.StartsWith("Debug Polly", entry, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries(), entry => entry.Contains("GracefulDisconnect.Aws", StringComparison.Ordinal) && entry.StartsWith("Warning ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShadowReader_RetriedOnce_OneWarningFromTheAdapterAndPollyOnlyAtDebug()
    {
        var (logs, provider, thing) = Reader();
        await using var disposing = provider;
        var reader = provider.GetRequiredService<IShadowReader>();
        environment.IotData.FailNext(new ScriptedFailure(503, "ServiceUnavailableException", "try again"));

        Assert.NotNull(await reader.ReadAsync(thing));

        Assert.All(Polly(logs), entry => Assert.StartsWith("Debug Polly", entry, StringComparison.Ordinal));
        var warnings = logs.Entries().Where(entry => entry.StartsWith("Warning ", StringComparison.Ordinal)).ToList();
        Assert.True(warnings.Count == 1 && warnings[0].StartsWith("Warning GracefulDisconnect.Aws.IotData[2002] AWS iotdata request failed with 503; retry 1", StringComparison.Ordinal), string.Join("\n", warnings));
    }

    private static List<string> Polly(CapturingLoggerProvider logs) => [.. logs.Entries().Where(entry => entry.Split(' ', 2)[1].StartsWith("Polly", StringComparison.Ordinal))];

    private (CapturingLoggerProvider Logs, ServiceProvider Provider, string Thing) Reader()
    {
        var logs = new CapturingLoggerProvider();
        var provider = AwsTestHost.Build(
            builder => builder.AddAwsIotShadowReader(options =>
            {
                options.Endpoint = environment.IotData.Endpoint.ToString();
                AwsTestHost.FastRetries(options);
            }),
            services => services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        var thing = $"log-test-{Guid.NewGuid():N}";
        environment.IotData.PutShadow(thing, connected: false, DateTimeOffset.UtcNow.AddHours(-1));
        return (logs, provider, thing);
    }
}
