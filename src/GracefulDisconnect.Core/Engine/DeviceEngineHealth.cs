namespace GracefulDisconnect;

/// <summary>
/// How the engine's loops are doing, for a host to report: a fault that retrying cannot mend (a corrupt or deleted
/// store) stops the host instead of failing the same way forever, and is kept here for the host's exit message.
/// </summary>
public sealed class DeviceEngineHealth
{
    private Exception? _fault;

    /// <summary>The failure that stopped the engine, if one did.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    internal void Failed(Exception fault) => Interlocked.CompareExchange(ref _fault, fault, null);
}
