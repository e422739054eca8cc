namespace GracefulDisconnect.Simulation;

/// <summary>Receives the decisions of a replay, in decision order.</summary>
public interface IReplaySink
{
    /// <summary>Called once per re-check.</summary>
    /// <param name="decision">The decision.</param>
    void OnDecision(in ReplayDecision decision);
}
