namespace GracefulDisconnect.Aws;

/// <summary>What one <see cref="SqsRecheckPoller.PollOnceAsync"/> did.</summary>
/// <param name="Received">Messages received.</param>
/// <param name="Handled">Messages handled and deleted.</param>
/// <param name="Failed">Messages left on the queue for redelivery (or, once the redrive policy says so, the dead-letter queue).</param>
public readonly record struct SqsPollResult(int Received, int Handled, int Failed);
