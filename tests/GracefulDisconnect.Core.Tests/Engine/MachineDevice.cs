using GracefulDisconnect.Engine;
using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Engine;

/// <summary>One device "t1" driven through <see cref="DeviceStateMachine"/> step by step, keeping what it sent.</summary>
internal class MachineDevice
{
    public MachineDevice(TimeSpan grace, Action<GracefulDisconnectOptions>? configure = null)
    {
        var options = TestOptions.Create(o =>
        {
            o.GracePeriod = grace;
            configure?.Invoke(o);
        });
        Rules = new DeviceRules(options.Value, new NotificationFormatter(options));
    }

    public DeviceRules Rules { get; }

    public DeviceRecord Record { get; private set; } = new("t1");

    public List<DeviceNotification> Sent { get; } = [];

    public void Observe(bool connected, DateTimeOffset at, DateTimeOffset now, long? version = null, bool retained = false)
    {
        var step = DeviceStateMachine.Observe(Record, new ConnectionEvent("t1", connected, at, version) { Retained = retained }, now, Rules);
        Record = step.Record;
        Sent.AddRange(step.Notifications);
    }

    public RecheckResult? RecheckLastKnown(DateTimeOffset now) => Recheck(DeviceStateMachine.LastKnown(Record), now);

    public RecheckResult? Recheck(ConnectionSnapshot? snapshot, DateTimeOffset now)
    {
        var step = DeviceStateMachine.Recheck(Record, snapshot, now, Rules);
        Record = step.Record;
        Sent.AddRange(step.Notifications);
        return step.Decision;
    }
}
