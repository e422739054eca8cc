namespace GracefulDisconnect.Engine;

/// <summary>What one step of <see cref="DeviceStateMachine"/> produced: the device's next record and its effects.</summary>
/// <param name="Record">The record to commit (conditional on the version loaded).</param>
/// <param name="Notifications">Notifications to send, in order; committed to the outbox with the record.</param>
/// <param name="Decision">The re-check decided in this step, if one was (for logs and metrics).</param>
internal readonly record struct DeviceTransition(DeviceRecord Record, IReadOnlyList<DeviceNotification> Notifications, RecheckResult? Decision = null)
{
    /// <summary>Whether the step changed nothing and sends nothing.</summary>
    public bool IsNoChange(DeviceRecord before) => ReferenceEquals(Record, before) && Notifications.Count == 0;
}
