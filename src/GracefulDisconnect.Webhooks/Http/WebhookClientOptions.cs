using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// What every webhook notifier of this package shares: where to post, how long an attempt may take, and how
/// throttling and server errors are retried before the engine's own per-channel retries take over.
/// </summary>
/// <remarks>
/// The <see cref="Url"/> of a Slack or Teams webhook is itself the secret (in its path or query): it never appears in
/// logs, exception messages or <see cref="ToString"/>, which shows the scheme and host only.
/// </remarks>
public abstract class WebhookClientOptions
{
    /// <summary>
    /// The absolute URL to post to. It must be <c>https</c>; <c>http</c> is accepted only for a loopback host
    /// (<c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c>) or with <see cref="AllowInsecureHttp"/>. Required.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// Accepts an <c>http</c> URL to any host. Off by default: over plain HTTP the URL, and with it the webhook's
    /// secret, travels readable by anyone on the way.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>How long one attempt may take before it is abandoned (and retried). Default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many times a request is retried after a timeout, a connection failure, <c>408</c>, <c>429</c> or
    /// <c>500</c>/<c>502</c>/<c>503</c>/<c>504</c>. Default 2; 0 leaves all retrying to the engine (the outbox
    /// retries a failed delivery with backoff, <c>GracefulDisconnectOptions.NotifyRetryDelay</c>). Other statuses (400, 403, 404, ...) are never retried here.
    /// </summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Median delay before the first retry; later ones grow exponentially, with jitter. Default 500 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest wait between two attempts. A service that asks for a longer wait with <c>Retry-After</c> is not
    /// retried here (never sooner than it asked): the failure goes to the engine, which tries again later. Default 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The options without secrets: the URL shows only its scheme and host.</summary>
    /// <returns>A description safe to log.</returns>
    public sealed override string ToString()
        => string.Create(
            CultureInfo.InvariantCulture,
            $"{GetType().Name} {{ Url = {WebhookUrl.Describe(Url)}, AllowInsecureHttp = {AllowInsecureHttp}, AttemptTimeout = {AttemptTimeout}, MaxRetryAttempts = {MaxRetryAttempts}, RetryBaseDelay = {RetryBaseDelay}, MaxRetryDelay = {MaxRetryDelay} }}");
}
