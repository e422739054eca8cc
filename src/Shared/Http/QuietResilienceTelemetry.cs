using Polly.Telemetry;

namespace GracefulDisconnect.Http;

/// <summary>
/// Telemetry for an HTTP client's resilience pipeline whose owner logs what matters itself (a message sent, a retry):
/// the application's telemetry options (logger factory, enrichers, listeners) with every Polly event at Debug. Polly
/// reports each attempt by default, at Information when it succeeded, so every healthy request was a log line.
/// Linked into each package with such a client (source, not a shared assembly).
/// </summary>
internal static class QuietResilienceTelemetry
{
    public static TelemetryOptions From(TelemetryOptions appWide)
    {
        var severity = appWide.SeverityProvider;
        return new TelemetryOptions(appWide)
        {
            // An event the application turned off stays off.
            SeverityProvider = args => (severity?.Invoke(args) ?? args.Event.Severity) is ResilienceEventSeverity.None ? ResilienceEventSeverity.None : ResilienceEventSeverity.Debug,
        };
    }
}
