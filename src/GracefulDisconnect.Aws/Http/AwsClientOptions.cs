using System.ComponentModel.DataAnnotations;
using Amazon.Runtime;

namespace GracefulDisconnect.Aws;

/// <summary>
/// What every AWS adapter of this package shares: where to send requests, how to sign them and how to
/// retry throttling and server errors.
/// </summary>
public abstract class AwsClientOptions
{
    /// <summary>
    /// The AWS region to sign for (and, without <see cref="Endpoint"/>, to send to), for example <c>ap-northeast-1</c>.
    /// Default: <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>, else the shared config profile.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// The service endpoint, for example <c>https://abc123example-ats.iot.ap-northeast-1.amazonaws.com</c>.
    /// Default: the service's <c>AWS_ENDPOINT_URL_*</c> variable, else <c>AWS_ENDPOINT_URL</c>, else the regional endpoint.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// Credentials to sign with. Default: the SDK's default chain (environment, profile, SSO, container,
    /// instance metadata), asked again for every request so temporary credentials are refreshed.
    /// Not bound from configuration: secrets do not belong there.
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>How many times a throttled or failed request is retried. Default 3; 0 turns retries off.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Median delay before the first retry; later ones grow exponentially, with jitter. Default 250 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest delay between two attempts, also when the service asks for more with <c>Retry-After</c>. Default 20 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The most requests a second this adapter sends to its API, counted over any one-second window, retries
    /// included; callers beyond it wait their turn. Size it to the account's quota for the API minus what other
    /// clients of the account use. 0 turns the client-side limit off. The default is the API's default quota
    /// where one is documented (see each adapter's options), else 0.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxRequestsPerSecond { get; set; }

    /// <summary>How long one attempt may take before it is abandoned (and retried). Default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
