using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using static GracefulDisconnect.Sqlite.Tests.Outbox.SqliteOutageLedgerTests;

namespace GracefulDisconnect.Sqlite.Tests.Outbox;

public sealed class OutboxDispatcherTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TestProcess.Epoch;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Start_ClaimLeftByACrashedProcess_IsSentOnceAndConfirmed()
    {
        var time = new FakeTimeProvider(T0);
        var outage = Outage("t1", T0);
        var notification = Notification("t1", T0);
        await using (var crashed = TestProcess.Create(_database.Path, time))
        {
            // Claimed, then the process died while sending: never confirmed, never released.
            Assert.Equal(LedgerClaim.Claimed, await crashed.Ledger.TryClaimAsync(outage, notification));
        }

        await using var restarted = TestProcess.Create(_database.Path, time);
        var meters = restarted.Services.GetRequiredService<IMeterFactory>();
        using var retries = new MetricCollector<long>(meters, GracefulDisconnectMetrics.MeterName, "gracefuldisconnect.outbox.retries");
        using var pending = new MetricCollector<long>(meters, GracefulDisconnectMetrics.MeterName, "gracefuldisconnect.outbox.pending");
        await restarted.StartAsync();

        await Eventually.TrueAsync(() => restarted.Notifier.Sent.Count == 1, "the outbox to re-send the claim");
        await Eventually.TrueAsync(async () => (await restarted.Outbox.FindAsync(outage))!.Status == OutboxStatus.Sent, "the re-send to be confirmed");
        Assert.Equal(notification, restarted.Notifier.Sent.Single());

        // Later passes find nothing more to send.
        var passes = restarted.Dispatcher.Passes;
        await Eventually.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => restarted.Dispatcher.Passes >= passes + 3, "three more outbox passes");
        Assert.Equal(1, restarted.Notifier.Attempts);

        var logs = restarted.Logs.GetSnapshot();
        Assert.Contains(logs, r => r.Id.Id == 3000);
        Assert.Contains(logs, r => r.Id.Id == 3001 && r.Message.Contains(outage.ToString(), StringComparison.Ordinal));
        var retry = Assert.Single(retries.GetMeasurementSnapshot());
        Assert.Equal("sent", retry.Tags["result"]);
        pending.RecordObservableInstruments();
        Assert.Equal(0, pending.LastMeasurement!.Value);
    }

    [Fact]
    public async Task Pass_ClaimInFlightInThisProcess_IsLeftAloneUntilItsLeaseRunsOut()
    {
        await using var process = await TestProcess.Create(_database.Path).StartAsync();
        var outage = Outage("t1", T0);
        var claimedAt = process.Time.GetUtcNow();
        await process.Ledger.TryClaimAsync(outage, Notification("t1", T0));

        var passes = process.Dispatcher.Passes;
        await Eventually.AdvanceUntilAsync(process.Time, TimeSpan.FromSeconds(1), () => process.Dispatcher.Passes >= passes + 3, "three outbox passes after the claim");
        Assert.Equal(0, process.Notifier.Attempts);

        await Eventually.AdvanceUntilAsync(process.Time, TimeSpan.FromSeconds(1), () => process.Notifier.Sent.Count == 1, "the re-send once the lease ran out");
        Assert.True(process.Time.GetUtcNow() >= claimedAt + TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => (await process.Outbox.FindAsync(outage))!.Status == OutboxStatus.Sent, "the re-send to be confirmed");
    }

    [Fact]
    public async Task Pass_NotifierFails_BacksOffAndKeepsTryingUntilSent()
    {
        var time = new FakeTimeProvider(T0);
        var outage = Outage("t1", T0);
        await using (var crashed = TestProcess.Create(_database.Path, time))
        {
            await crashed.Ledger.TryClaimAsync(outage, Notification("t1", T0));
        }

        var notifier = new RecordingNotifier { Fails = attempt => attempt <= 3 };
        await using var restarted = TestProcess.Create(_database.Path, time, notifier);
        var meters = restarted.Services.GetRequiredService<IMeterFactory>();
        using var retries = new MetricCollector<long>(meters, GracefulDisconnectMetrics.MeterName, "gracefuldisconnect.outbox.retries");
        using var pending = new MetricCollector<long>(meters, GracefulDisconnectMetrics.MeterName, "gracefuldisconnect.outbox.pending");
        await restarted.StartAsync();

        // The first pass (the one at start) tries once, gives the claim back with a backoff and counts what is pending.
        await Eventually.TrueAsync(() => restarted.Dispatcher.Passes >= 1, "the first pass");
        Assert.Equal(1, notifier.Attempts);
        var afterFirst = await restarted.Outbox.FindAsync(outage);
        Assert.Equal((OutboxStatus.Released, 1), (afterFirst!.Status, afterFirst.Attempts));
        pending.RecordObservableInstruments();
        Assert.Equal(1, pending.LastMeasurement!.Value);

        await Eventually.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(500), () => notifier.Sent.Count == 1, "the notification to get through");
        await Eventually.TrueAsync(async () => (await restarted.Outbox.FindAsync(outage))!.Status == OutboxStatus.Sent, "the send to be confirmed");

        Assert.Equal(4, notifier.Attempts);
        var results = retries.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!).ToArray();
        Assert.Equal(["failed", "failed", "failed", "sent"], results);
        Assert.Equal(3, restarted.Logs.GetSnapshot().Count(r => r.Id.Id == 3002));

        // Backoff: 1 s, 2 s, 4 s before jitter takes up to half; the clock had to move at least half of that.
        Assert.True(time.GetUtcNow() >= T0 + TimeSpan.FromSeconds(3.5));
    }

    [Fact]
    public async Task Pass_ReleasedClaimThatNoReCheckRetries_IsDeliveredAfterTheBackoff()
    {
        await using var process = await TestProcess.Create(_database.Path).StartAsync();
        var outage = Outage("t1", T0);
        await process.Ledger.TryClaimAsync(outage, Notification("t1", T0));

        // The send failed and was given back; in this test no re-check will ever come for it.
        await process.Ledger.ReleaseAsync(outage);

        await Eventually.AdvanceUntilAsync(process.Time, TimeSpan.FromMilliseconds(250), () => process.Notifier.Sent.Count == 1, "the outbox to deliver the released notification");
        await Eventually.TrueAsync(async () => (await process.Outbox.FindAsync(outage))!.Status == OutboxStatus.Sent, "the send to be confirmed");
        Assert.Equal(LedgerClaim.AlreadyNotified, await process.Ledger.TryClaimAsync(outage, Notification("t1", T0)));
    }

    [Fact]
    public async Task Pass_OldSentNotifications_ArePrunedButTheNewestOfEachThingStays()
    {
        var time = new FakeTimeProvider(T0);
        await using var process = TestProcess.Create(_database.Path, time, store: o => o.SentRetention = TimeSpan.FromHours(1));
        foreach (var startedAt in new[] { T0, T0.AddMinutes(1) })
        {
            await process.Ledger.TryClaimAsync(Outage("t1", startedAt), Notification("t1", startedAt));
            await process.Ledger.MarkNotifiedAsync(Outage("t1", startedAt));
        }

        time.Advance(TimeSpan.FromHours(2));
        await process.StartAsync();
        await Eventually.TrueAsync(() => process.Dispatcher.Passes >= 1, "an outbox pass");

        Assert.Null(await process.Outbox.FindAsync(Outage("t1", T0)));
        Assert.NotNull(await process.Outbox.FindAsync(Outage("t1", T0.AddMinutes(1))));
        Assert.Equal(LedgerClaim.OlderThanNotified, await process.Ledger.TryClaimAsync(Outage("t1", T0), Notification("t1", T0)));
    }
}
