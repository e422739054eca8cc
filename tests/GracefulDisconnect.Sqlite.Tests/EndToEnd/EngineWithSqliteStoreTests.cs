using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Sqlite.Tests.EndToEnd;

/// <summary>The whole engine (monitor, real re-check handler) on the SQLite store, with the store as the state source.</summary>
public sealed class EngineWithSqliteStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TestProcess.Epoch;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Events_OfflinePastGrace_NotifiesOnce_ReconnectedWithinGrace_DoesNot()
    {
        await using var process = await TestProcess.Create(_database.Path).StartAsync();
        await DeliverAsync(process, new ConnectionEvent("down", false, T0, 1));
        await DeliverAsync(process, new ConnectionEvent("flaps", false, T0, 1));
        await DeliverAsync(process, new ConnectionEvent("flaps", true, T0.AddSeconds(4), 2));

        await Eventually.AdvanceUntilAsync(process.Time, TimeSpan.FromSeconds(1), () => process.Notifier.Sent.Count == 1, "the notification of the device that stayed down");
        await Eventually.TrueAsync(async () => (await process.Scheduler.Queries.CountAsync(0, default)).Pending == 0, "both re-checks to finish");

        var sent = Assert.Single(process.Notifier.Sent);
        Assert.Equal(("down", T0), (sent.ThingName, sent.OfflineSince));
        Assert.Equal(OutboxStatus.Sent, (await process.Outbox.FindAsync(new OutageId("down", T0)))!.Status);

        // The same disconnect delivered again (at-least-once sources) is a duplicate, not a second alert.
        await DeliverAsync(process, new ConnectionEvent("down", false, T0, 1));
        var passes = process.Dispatcher.Passes;
        await Eventually.AdvanceUntilAsync(process.Time, TimeSpan.FromSeconds(1), () => process.Dispatcher.Passes >= passes + 2, "the duplicate re-check and two outbox passes");
        await Eventually.TrueAsync(async () => (await process.Scheduler.Queries.CountAsync(0, default)).Pending == 0, "the duplicate re-check to finish");
        Assert.Single(process.Notifier.Sent);
    }

    [Fact]
    public async Task Restart_KilledDuringTheGracePeriod_NotifiesOnceAfterRestart()
    {
        await using (var killed = await TestProcess.Create(_database.Path, new FakeTimeProvider(T0)).StartAsync())
        {
            await DeliverAsync(killed, new ConnectionEvent("t1", false, T0, 3));
        }

        var notifier = new RecordingNotifier();
        await using var restarted = await TestProcess.Create(_database.Path, new FakeTimeProvider(T0.AddMinutes(30)), notifier).StartAsync();

        await Eventually.TrueAsync(() => notifier.Sent.Count == 1, "the overdue re-check to notify");
        Assert.Equal(new OutageId("t1", T0).ToString(), notifier.Sent.Single().OutageId);
    }

    [Fact]
    public async Task NotifierFailingHalfOfTheTime_EveryOutageIsConfirmedSentExactlyOnce()
    {
        var notifier = new RecordingNotifier { Fails = attempt => attempt % 2 == 1 };
        await using var process = await TestProcess.Create(_database.Path, notifier: notifier).StartAsync();
        var outages = Enumerable.Range(0, 20).Select(i => new OutageId($"t{i}", T0.AddSeconds(i))).ToArray();
        foreach (var outage in outages)
        {
            await DeliverAsync(process, new ConnectionEvent(outage.ThingName, false, DateTimeOffset.FromUnixTimeSeconds(outage.StartedAtEpochSeconds)));
        }

        await Eventually.AdvanceUntilAsync(
            process.Time,
            TimeSpan.FromSeconds(1),
            () => outages.All(o => notifier.SentCount(o.ToString()) >= 1),
            "every outage to get through");
        await Eventually.TrueAsync(
            async () =>
            {
                foreach (var outage in outages)
                {
                    if ((await process.Outbox.FindAsync(outage))?.Status != OutboxStatus.Sent)
                    {
                        return false;
                    }
                }

                return true;
            },
            "every outage to be confirmed");

        // Let re-check retries and outbox passes run on: nothing is sent a second time.
        var settled = process.Time.GetUtcNow() + TimeSpan.FromMinutes(1);
        await Eventually.AdvanceUntilAsync(process.Time, TimeSpan.FromSeconds(2), () => process.Time.GetUtcNow() >= settled, "a minute more");
        await Eventually.TrueAsync(async () => (await process.Scheduler.Queries.CountAsync(0, default)).Pending == 0, "every re-check to finish");
        Assert.All(outages, o => Assert.Equal(1, notifier.SentCount(o.ToString())));
        Assert.True(notifier.Attempts > outages.Length);
    }

    private static async Task DeliverAsync(TestProcess process, ConnectionEvent connectionEvent)
    {
        await process.Recorder.RecordAsync(connectionEvent);
        await process.Monitor.OnEventAsync(connectionEvent);
    }
}
