namespace GracefulDisconnect.Tests.Diagnostics;

/// <summary>
/// OpenTelemetry listens to the <c>GracefulDisconnect</c> meter and activity source by name, process-wide: these tests
/// run alone, so no other test's engine adds to what they count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryGroup
{
    public const string Name = "OpenTelemetry (process-wide listeners)";
}
