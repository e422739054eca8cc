using GracefulDisconnect.Aws.Tests.Check;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Hostile;

/// <summary>
/// Credentials come from the environment (the default chain, as in production); every log line of every
/// category, down to Trace (HttpClient's own included), and every exception our adapters throw must be free of
/// the secret key and the session token, even when AWS echoes the signed request back in an error.
/// </summary>
[Collection(CheckEnvironmentGroup.Name)]
public sealed class SecretsTests(CheckEnvironmentFixture environment)
{
    // What SigV4 services answer to a request whose signature they could not verify: the canonical request
    // they computed, which carries every signed header, the session token included.
    private static readonly string SignatureMismatch =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. "
        + "Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'POST\n/\n\n"
        + "host:sns.ap-northeast-1.amazonaws.com\nx-amz-date:20260101T000000Z\nx-amz-security-token:" + TestAwsCredentials.SessionToken
        + "\n\nhost;x-amz-date;x-amz-security-token\n'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260101T000000Z\n'";

    [Fact]
    public async Task ShadowReader_SignatureErrorEchoingTheSignedRequest_TheExceptionAndTheLogsCarryNoSecret()
    {
        var logs = new CapturingLoggerProvider();
        await using var provider = Build(logs, builder => builder.AddAwsIotShadowReader(options =>
        {
            options.Endpoint = environment.IotData.Endpoint.ToString();
            AwsTestHost.FastRetries(options);
        }));
        var thing = $"secret-test-{Guid.NewGuid():N}";
        environment.IotData.PutShadow(thing, connected: false, DateTimeOffset.UtcNow.AddHours(-1));
        var reader = provider.GetRequiredService<IShadowReader>();

        await reader.ReadAsync(thing);
        environment.IotData.FailNext(new ScriptedFailure(403, "InvalidSignatureException", SignatureMismatch));
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => reader.ReadAsync(thing).AsTask());

        AssertNoSecret(error.Message, "exception message");
        AssertNoSecret(error.ToString(), "exception");
        AssertNoSecret(error.ServiceMessage ?? string.Empty, "service message");
        Assert.StartsWith("The request signature we calculated does not match", error.ServiceMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, char.IsControl);
        AssertNoSecret(logs.AllText(), "logs");
    }

    [Fact]
    public async Task SnsNotifierInTheEngine_SignatureError_TheNotifyFailedLogAndItsExceptionCarryNoSecret()
    {
        var logs = new CapturingLoggerProvider();
        var topic = environment.Sns.CreateTopic($"secret-test-{Guid.NewGuid():N}");
        await using var provider = Build(logs, builder => builder
            .UseShadowReader<OfflineReader>()
            .AddSnsNotifier(options =>
            {
                options.TopicArn = topic;
                options.Endpoint = environment.Sns.Endpoint.ToString();
                AwsTestHost.FastRetries(options);
            }));
        var handler = provider.GetRequiredService<IRecheckHandler>();
        environment.Sns.FailNext(new ScriptedFailure(403, "SignatureDoesNotMatch", SignatureMismatch));
        environment.Sns.FailNext(new ScriptedFailure(403, "SignatureDoesNotMatch", SignatureMismatch));

        var outcome = await handler.RecheckAsync(new DisconnectTrigger("pump-7", OfflineReader.Since));
        await provider.GetRequiredService<DeviceEngine>().DeliverAsync();

        // Decided and kept in the outbox; the refused delivery is logged without the credentials.
        Assert.Equal(RecheckResult.Notified, outcome.Result);
        var text = logs.AllText();
        Assert.Contains("SignatureDoesNotMatch", text, StringComparison.Ordinal);
        AssertNoSecret(text, "logs");
    }

    private static void AssertNoSecret(string text, string where)
    {
        Assert.False(text.Contains(TestAwsCredentials.SessionToken, StringComparison.Ordinal), $"the session token is in the {where}:\n{text}");
        Assert.False(text.Contains(TestAwsCredentials.SecretAccessKey, StringComparison.Ordinal), $"the secret key is in the {where}:\n{text}");
    }

    private static ServiceProvider Build(CapturingLoggerProvider logs, Action<GracefulDisconnectBuilder> configure)
        => AwsTestHost.Build(
            builder =>
            {
                builder.Services.Configure<GracefulDisconnectOptions>(options =>
                {
                    options.GracePeriod = TimeSpan.FromMinutes(5);
                    options.NotifyRetryDelay = TimeSpan.Zero;
                });
                configure(builder);
            },
            services => services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));

    private sealed class OfflineReader : IShadowReader
    {
        public static readonly DateTimeOffset Since = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
            => ValueTask.FromResult<ConnectionSnapshot?>(new ConnectionSnapshot(false, Since));
    }
}
