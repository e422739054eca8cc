using GracefulDisconnect.Engine;

namespace GracefulDisconnect.Core.Tests.Engine;

public sealed class DeviceAlertStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryRead_PendingRecheck_GivesItsDueTimeAndNothingNotified()
    {
        var record = new DeviceRecord("t1") { Pending = new GracefulDisconnect.Engine.PendingRecheck(T0, 4, T0.AddMinutes(5), T0) };

        Assert.True(DeviceAlertState.TryRead(new StoredDevice("t1", 3, DeviceRecordCodec.Write(record)), out var state));

        Assert.Equal(new DeviceAlertState("t1") { RecheckDueAt = T0.AddMinutes(5) }, state);
    }

    [Fact]
    public void TryRead_NotifiedOutageWithReminders_GivesWhenAndHowOften()
    {
        var record = new DeviceRecord("t1") { Open = new NotifiedOutage(T0, null, T0.AddMinutes(5), 2, T0.AddHours(3)) };

        Assert.True(DeviceAlertState.TryRead(new StoredDevice("t1", 7, DeviceRecordCodec.Write(record)), out var state));

        Assert.Equal(T0.AddMinutes(5), state!.NotifiedAt);
        Assert.Equal(2, state.Reminders);
        Assert.Null(state.RecheckDueAt);
        Assert.Null(state.SilentSince);
    }

    [Fact]
    public void TryRead_Silent_GivesSinceAndNotifiedAt()
    {
        var record = new DeviceRecord("t1") { Silent = new SilentOutage(T0, T0.AddHours(1)) };

        Assert.True(DeviceAlertState.TryRead(new StoredDevice("t1", 1, DeviceRecordCodec.Write(record)), out var state));

        Assert.Equal(T0, state!.SilentSince);
        Assert.Equal(T0.AddHours(1), state.SilentNotifiedAt);
    }

    [Fact]
    public void TryRead_FlappingWithAnOutageToldBefore_GivesBothAndThatOutagesStart()
    {
        var record = new DeviceRecord("t1") { Flapping = true, FlapLatest = T0.UtcTicks, RecentDisconnects = [T0.UtcTicks], LastNotifiedOutage = T0.ToUnixTimeSeconds() };

        Assert.True(DeviceAlertState.TryRead(new StoredDevice("t1", 1, DeviceRecordCodec.Write(record)), out var state));

        Assert.True(state!.Flapping);
        Assert.Equal(T0, state.LastNotifiedOutageStartedAt);
        Assert.Null(new DeviceAlertState("t2").LastNotifiedOutageStartedAt);
    }

    [Theory]
    [InlineData("{\"s\":99}")]
    [InlineData("not json")]
    public void TryRead_RecordOfANewerVersionOrGarbage_IsRefusedWithoutThrowing(string state)
    {
        Assert.False(DeviceAlertState.TryRead(new StoredDevice("t1", 1, state), out var read));
        Assert.Null(read);
    }
}
