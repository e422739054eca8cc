using System.Collections.Concurrent;
using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Monitoring;

public class DisconnectMonitorTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new(Instants.Noon);
    private readonly RecordingScheduler _scheduler = new();
    private readonly DisconnectMonitor _monitor;

    public DisconnectMonitorTests()
    {
        _monitor = new DisconnectMonitor(_scheduler, TestOptions.Create(o =>
        {
            o.GracePeriod = Grace;
            o.GracePeriodOverrides["cellular-7"] = TimeSpan.FromMinutes(30);
        }), _time);
    }

    private sealed class RecordingScheduler : IScheduler
    {
        public ConcurrentQueue<(DisconnectTrigger Trigger, DateTimeOffset DueAt)> Scheduled { get; } = new();

        public ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
        {
            Scheduled.Enqueue((trigger, dueAt));
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task OnEventAsync_Disconnect_SchedulesAtTheEndOfTheGracePeriod()
    {
        var due = await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon, Version: 4));

        Assert.Equal(Instants.Noon + Grace, due);
        var (trigger, dueAt) = Assert.Single(_scheduler.Scheduled);
        Assert.Equal(new DisconnectTrigger("t1", Instants.Noon, 4), trigger);
        Assert.Equal(Instants.Noon + Grace, dueAt);
    }

    [Fact]
    public async Task OnEventAsync_DisconnectFromTheRecentPast_IsDueAtItsOwnTimePlusGrace()
    {
        // Timestamps come from the source, never from the time of arrival.
        _time.Advance(TimeSpan.FromMinutes(2));

        var due = await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));

        Assert.Equal(Instants.Noon + Grace, due);
    }

    [Fact]
    public async Task OnEventAsync_LateDisconnect_IsDueNow()
    {
        _time.Advance(TimeSpan.FromMinutes(12));

        var due = await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));

        Assert.Equal(Instants.Noon.AddMinutes(12), due);
        Assert.Equal(Instants.Noon.AddMinutes(12), Assert.Single(_scheduler.Scheduled).DueAt);
        Assert.Equal(Instants.Noon, Assert.Single(_scheduler.Scheduled).Trigger.DisconnectedAt);
    }

    [Fact]
    public async Task OnEventAsync_ExactlyAtDue_IsDueNow()
    {
        _time.Advance(Grace);

        Assert.Equal(Instants.Noon + Grace, await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon)));
    }

    [Fact]
    public async Task OnEventAsync_SignOfLifeWhateverItsConnected_SchedulesNothing()
    {
        var due = await _monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon) { SignOfLife = true });

        Assert.Null(due);
        Assert.Empty(_scheduler.Scheduled);
    }

    [Fact]
    public async Task OnEventAsync_Connect_ReturnsNullAndSchedulesNothing()
    {
        var due = await _monitor.OnEventAsync(new ConnectionEvent("t1", true, Instants.Noon));

        Assert.Null(due);
        Assert.Empty(_scheduler.Scheduled);
    }

    [Fact]
    public async Task OnEventAsync_GraceOverride_UsesTheThingsGracePeriod()
    {
        var due = await _monitor.OnEventAsync(new ConnectionEvent("cellular-7", false, Instants.Noon));

        Assert.Equal(Instants.Noon.AddMinutes(30), due);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("", true)]
    [InlineData("t\n1", false)]
    [InlineData("t\u00001", true)]
    [InlineData(null, false)]
    [InlineData(null, true)]
    public async Task OnEventAsync_InvalidThingName_ThrowsArgumentExceptionAndSchedulesNothing(string? thing, bool connected)
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(
            async () => await _monitor.OnEventAsync(new ConnectionEvent(thing!, connected, Instants.Noon)));

        Assert.StartsWith("Thing name must", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_scheduler.Scheduled);
    }

    [Fact]
    public async Task OnDisconnectAsync_ThingNameTooLong_Throws()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(
            async () => await _monitor.OnDisconnectAsync(new DisconnectTrigger(new string('x', 129), Instants.Noon)));

        Assert.Contains("128", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_scheduler.Scheduled);
    }

    [Fact]
    public async Task OnDisconnectAsync_NearMaxValue_SchedulesAtMaxValue()
    {
        var due = await _monitor.OnDisconnectAsync(new DisconnectTrigger("t1", DateTimeOffset.MaxValue.AddMinutes(-1)));

        Assert.Equal(DateTimeOffset.MaxValue, due);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        var options = TestOptions.Create();

        Assert.Throws<ArgumentNullException>(() => new DisconnectMonitor(null!, options, _time));
        Assert.Throws<ArgumentNullException>(() => new DisconnectMonitor(_scheduler, null!, _time));
        Assert.Throws<ArgumentNullException>(() => new DisconnectMonitor(_scheduler, options, null!));
    }
}
