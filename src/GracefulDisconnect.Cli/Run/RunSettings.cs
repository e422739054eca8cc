
namespace GracefulDisconnect.Cli.Run;

/// <summary>What <c>gracefuldisconnect run</c> was asked to do.</summary>
internal sealed record RunSettings(
    string Input,
    TimeSpan? GracePeriod,
    string? StorePath,
    string? NotifyFile,
    string? SnsTopicArn,
    bool ExitWhenIdle,
    bool Verbose)
{
    /// <summary>The opt-in alerts (the flags are replay's, see <see cref="AlertFlags"/>).</summary>
    public AlertChoices Alerts { get; init; } = AlertChoices.None;

    /// <summary>Whether <see cref="Input"/> was given on the command line (rather than left to its default, standard input).</summary>
    public bool InputGiven { get; init; }

    /// <summary>The <c>--config</c> JSON file, if any.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>
    /// <c>--lease</c>: how long a claim on due work holds before another process on the same store may take it over
    /// (<see cref="GracefulDisconnectOptions.ClaimLease"/>); <see langword="null"/> for the configuration's or the default.
    /// </summary>
    public TimeSpan? ClaimLease { get; init; }

    /// <summary><c>--silent-after</c>: a device heard from that then sends nothing for this long is an outage.</summary>
    public TimeSpan? SilentAfter { get; init; }

    /// <summary><c>--http</c>: where to serve the status page (else the configuration's, else none).</summary>
    public string? HttpAddress { get; init; }

    /// <summary><c>--http-token</c>: the token every page requires.</summary>
    public string? HttpToken { get; init; }

    /// <summary><c>--http-allow-anonymous</c>: serve a non-loopback address without a token.</summary>
    public bool HttpAllowAnonymous { get; init; }

    /// <summary>The status page's endpoint, resolved from the flags and the configuration.</summary>
    public Http.StatusEndpoint? Status { get; init; }

    /// <summary>The MQTT source, when events come from a broker instead of <see cref="Input"/>.</summary>
    public MqttSettings? Mqtt { get; init; }
}
