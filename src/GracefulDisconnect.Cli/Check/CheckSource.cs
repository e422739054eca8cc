namespace GracefulDisconnect.Cli.Check;

/// <summary>Where <c>check</c> (and <c>sweep</c>'s confirmation) reads a thing's connection state.</summary>
internal enum CheckSource
{
    /// <summary>The Device Shadow (<c>GetThingShadow</c>, IoT Data Plane), kept up to date by a rule or the device.</summary>
    Shadow,

    /// <summary>The broker's own view (<c>GetThingConnectivityData</c>, IoT control plane; fleet indexing connectivity on).</summary>
    Connectivity,
}
