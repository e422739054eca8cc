using System.ComponentModel.DataAnnotations;

namespace GracefulDisconnect.Mqtt;

/// <summary>
/// Options of the MQTT event source; bind them from the <c>GracefulDisconnect:Mqtt</c> configuration section.
/// Give the broker and at least one preset or mapping.
/// </summary>
public sealed class MqttSourceOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:Mqtt";

    /// <summary>
    /// The broker: <c>mqtt://host[:port]</c> (plain TCP, default port 1883) or <c>mqtts://host[:port]</c> (TLS,
    /// default port 8883). A <c>user:password@</c> part is taken as <see cref="Username"/> and <see cref="Password"/>
    /// unless those are set. Required.
    /// </summary>
    [Required(ErrorMessage = "The broker is required; set Broker, for example to mqtt://localhost:1883 or mqtts://broker.example.com.")]
    public string Broker { get; set; } = string.Empty;

    /// <summary>The user name, when the broker requires one.</summary>
    public string? Username { get; set; }

    /// <summary>The password; never logged. Consider an environment variable (<c>GracefulDisconnect__Mqtt__Password</c>).</summary>
    public string? Password { get; set; }

    /// <summary>
    /// A PKCS#12 (<c>.pfx</c>/<c>.p12</c>) file with the client certificate and its private key, for brokers that
    /// authenticate clients by certificate. Only with <c>mqtts://</c>.
    /// </summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The password of <see cref="ClientCertificatePath"/>; never logged.</summary>
    public string? ClientCertificatePassword { get; set; }

    /// <summary>
    /// A PEM or DER file with the certificate authority that signed the broker's certificate, when it is not one the
    /// system trusts (a private CA, a self-signed broker). Only with <c>mqtts://</c>.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// The client id. It must stay the same across restarts and be unique on the broker: the broker keeps the session
    /// (subscriptions and unacknowledged messages) under it. Default <c>gracefuldisconnect-&lt;machine name&gt;</c>.
    /// </summary>
    public string ClientId { get; set; } = DefaultClientId();

    /// <summary>The protocol version. Default <see cref="MqttProtocol.V5"/>.</summary>
    public MqttProtocol Protocol { get; set; } = MqttProtocol.V5;

    /// <summary>
    /// How long the broker keeps our session (subscriptions and QoS 1 messages not yet acknowledged) while we are
    /// disconnected (MQTT 5). Zero starts a clean session on every connect, which loses what arrived while we were away.
    /// Default 1 day; 0 to 136 years.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "49710.00:00:00")]
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The keep-alive period: how soon a dead connection to the broker is noticed. Default 30 seconds; 1 second to 18 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "18:12:15")]
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one connect attempt may take. Default 10 seconds; 1 second to 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The conventions to subscribe to; several at once. Default none.</summary>
    public IList<MqttPreset> Presets { get; set; } = [];

    /// <summary>Topic and payloads of the <see cref="MqttPreset.HomeAssistant"/> preset.</summary>
    public HomeAssistantAvailabilityOptions HomeAssistant { get; set; } = new();

    /// <summary>Your own topic mappings, tried before the presets. Default none.</summary>
    public IList<MqttTopicMapping> Mappings { get; set; } = [];

    /// <summary>
    /// Whether to subscribe to the presets' telemetry topics (Tasmota's <c>tele/{thing}/STATE</c>, say) as signs of
    /// life: any message there tells the engine the device was heard from, never that it connected or disconnected, so
    /// a device that goes quiet without its will being published is found by the engine's silence detection
    /// (<see cref="GracefulDisconnectOptions.SilentAfter"/>). <see langword="null"/> (the default): only when the
    /// engine watches some device for silence (<c>SilentAfter</c> or <c>SilentAfterOverrides</c> set), since otherwise
    /// the messages would be read for nothing.
    /// </summary>
    public bool? PresetHeartbeats { get; set; }

    /// <summary>
    /// Your own sign-of-life topics, such as <c>site/{thing}/#</c>: any message on them counts as the device being heard
    /// from (never as a connect or a disconnect), whatever its payload. The topic syntax of
    /// <see cref="MqttTopicMapping.Topic"/>. Subscribed whenever given. Default none.
    /// </summary>
    public IList<string> HeartbeatTopics { get; set; } = [];

    /// <summary>Wait before the first reconnect (and the first retry of a batch the engine could not record); doubles per attempt. Default 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two reconnect attempts (or two retries of a batch). Default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Most events handed to the engine in one call. Messages that arrive while a batch is being recorded wait, up to
    /// this many, before the source stops reading from the broker (back-pressure). Default 1000; 1 to 65,535.
    /// </summary>
    [Range(1, 65_535)]
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>
    /// How many devices the source remembers the last forwarded state of, to drop the repeats of retained messages the
    /// broker sends on every new subscription. Past it, some device is forgotten and its next retained repeat is
    /// forwarded once more. Default 100,000; 0 turns the memory off.
    /// </summary>
    [Range(0, 10_000_000)]
    public int RetainedMemoryCapacity { get; set; } = 100_000;

    private static string DefaultClientId()
    {
        // Stable per machine, so a restart resumes the same broker session.
        var machine = new string([.. Environment.MachineName.Where(char.IsAsciiLetterOrDigit)]);
        return "gracefuldisconnect-" + (machine.Length == 0 ? "host" : machine.ToLowerInvariant());
    }
}
