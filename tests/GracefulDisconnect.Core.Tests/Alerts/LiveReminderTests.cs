using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Alerts;

public sealed class LiveReminderTests
{
    private static readonly DateTimeOffset NotifiedAt = Instants.Noon + AlertHarness.Grace;

    [Fact]
    public async Task Reminders_WithMax_ComeEveryIntervalAfterTheNotificationUpToTheMax()
    {
        await using var h = new AlertHarness(o =>
        {
            o.ReminderInterval = TimeSpan.FromHours(1);
            o.MaxReminders = 2;
        });
        await h.DisconnectAsync("t1");

        await h.AdvanceAsync(TimeSpan.FromHours(5));

        var reminders = h.Sent(NotificationKind.Reminder);
        Assert.Equal([1, 2], reminders.Select(r => r.Reminder));
        Assert.Equal([NotifiedAt.AddHours(1), NotifiedAt.AddHours(2)], reminders.Select(r => r.DecidedAt));
        Assert.Equal([TimeSpan.FromMinutes(65), TimeSpan.FromMinutes(125)], reminders.Select(r => r.OfflineFor!.Value));
        Assert.Equal(["t1@1767268800#reminder-1", "t1@1767268800#reminder-2"], reminders.Select(r => r.NotificationId));
        Assert.Equal([RecheckResult.Notified, RecheckResult.Reminded, RecheckResult.Reminded], h.Outcomes.Select(o => o.Result));
        Assert.Equal(0, h.Scheduler.Count);
        Assert.Equal(0, h.Services.GetAlerts().OpenOutages);
    }

    [Fact]
    public async Task Reminders_Unlimited_GoOnWhileOffline()
    {
        await using var h = new AlertHarness(o => o.ReminderInterval = TimeSpan.FromHours(1));
        await h.DisconnectAsync("t1");

        await h.AdvanceAsync(TimeSpan.FromHours(5));

        Assert.Equal([1, 2, 3, 4], h.Sent(NotificationKind.Reminder).Select(r => r.Reminder));
        Assert.Equal(NotifiedAt.AddHours(5), h.Scheduler.NextDue);
    }

    [Fact]
    public async Task Reminders_DeviceReconnects_SeriesStops()
    {
        await using var h = new AlertHarness(o =>
        {
            o.ReminderInterval = TimeSpan.FromHours(1);
            o.NotifyRecovery = true;
        });
        await h.DisconnectAsync("t1");
        await h.AdvanceAsync(TimeSpan.FromMinutes(90));

        await h.ConnectAsync("t1");
        await h.AdvanceAsync(TimeSpan.FromHours(5));

        Assert.Single(h.Sent(NotificationKind.Reminder));
        Assert.Single(h.Sent(NotificationKind.Recovered));
        Assert.Equal(RecheckResult.SkippedReconnected, h.Outcomes[^1].Result);
        Assert.Equal(0, h.Scheduler.Count);
    }

    [Fact]
    public async Task Reminders_StateSaysBackBeforeTheConnectArrives_SeriesStopsRecoveryStillComes()
    {
        await using var h = new AlertHarness(o =>
        {
            o.ReminderInterval = TimeSpan.FromHours(1);
            o.NotifyRecovery = true;
        });
        await h.DisconnectAsync("t1");
        await h.AdvanceAsync(TimeSpan.FromMinutes(30));
        h.Reader.Set("t1", new ConnectionSnapshot(true, Instants.Noon.AddMinutes(40)));

        await h.AdvanceAsync(TimeSpan.FromHours(3));
        await h.Monitor.OnEventAsync(new ConnectionEvent("t1", true, Instants.Noon.AddMinutes(40)));

        Assert.Empty(h.Sent(NotificationKind.Reminder));
        Assert.Equal(TimeSpan.FromMinutes(40), Assert.Single(h.Sent(NotificationKind.Recovered)).OfflineFor);
    }

    [Fact]
    public async Task Reminders_TriggerDeliveredTwice_RemindOnce()
    {
        await using var h = new AlertHarness(o => o.ReminderInterval = TimeSpan.FromHours(1));
        await h.DisconnectAsync("t1");
        await h.AdvanceAsync(TimeSpan.FromMinutes(30));

        // A scheduler may deliver twice: the same trigger again at the reminder's time.
        await h.Scheduler.ScheduleAsync(new DisconnectTrigger("t1", Instants.Noon), NotifiedAt.AddHours(1));
        await h.AdvanceAsync(TimeSpan.FromMinutes(40));

        Assert.Single(h.Sent(NotificationKind.Reminder));
        Assert.Contains(h.Outcomes, o => o.Result == RecheckResult.SkippedDuplicate && o.RetryAt is null);
        Assert.Equal(1, h.Scheduler.Count);
    }

    [Fact]
    public async Task Reminders_NotifierFails_RetriedLaterAndTheSeriesKeepsItsTimes()
    {
        await using var h = new AlertHarness(o => o.ReminderInterval = TimeSpan.FromHours(1));
        await h.DisconnectAsync("t1");
        await h.AdvanceAsync(TimeSpan.FromMinutes(30));
        h.Notifier.FailNext(2);

        await h.AdvanceAsync(TimeSpan.FromMinutes(40));
        await h.AdvanceAsync(TimeSpan.FromMinutes(60));

        var reminders = h.Sent(NotificationKind.Reminder);
        Assert.Equal([1, 2], reminders.Select(r => r.Reminder));
        Assert.Equal([NotifiedAt.AddHours(1) + AlertHarness.RetryDelay, NotifiedAt.AddHours(2)], reminders.Select(r => r.DecidedAt));
        Assert.Contains(h.Outcomes, o => o.Result == RecheckResult.Failed);
    }

    [Fact]
    public async Task Reminders_ThroughTheInMemorySchedulerAndFakeClock_Arrive()
    {
        var time = new FakeTimeProvider(Instants.Noon);
        var reader = new FakeShadowReader();
        var notifier = new RecordingNotifier();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(reader);
        services.AddGracefulDisconnect(o =>
        {
            o.GracePeriod = TimeSpan.FromMinutes(1);
            o.ReminderInterval = TimeSpan.FromMinutes(1);
            o.MaxReminders = 2;
        }).UseShadowReader<FakeShadowReader>().AddNotifier(notifier);
        await using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<DisconnectMonitor>();
        reader.Set("t1", new ConnectionSnapshot(false, Instants.Noon));
        await monitor.OnEventAsync(new ConnectionEvent("t1", false, Instants.Noon));

        for (var expected = 1; expected <= 3; expected++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Eventually.TrueAsync(() => notifier.Count == expected, $"notification {expected}");
        }

        Assert.Equal([NotificationKind.Offline, NotificationKind.Reminder, NotificationKind.Reminder], notifier.Sent.Select(n => n.Kind));
    }
}
