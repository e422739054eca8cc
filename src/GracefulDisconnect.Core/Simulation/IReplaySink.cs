namespace GracefulDisconnect.Simulation;

/// <summary>Receives what a replay decides and sends, in virtual-time order.</summary>
public interface IReplaySink
{
    /// <summary>Called once per re-check.</summary>
    /// <param name="decision">The decision.</param>
    void OnDecision(in ReplayDecision decision);

    /// <summary>Called once per alert the replay's options switch on (recovery, reminder, flapping, digest). Sinks that show only decisions need not implement it.</summary>
    /// <param name="notification">The alert.</param>
    void OnNotification(in ReplayNotification notification)
    {
    }
}
