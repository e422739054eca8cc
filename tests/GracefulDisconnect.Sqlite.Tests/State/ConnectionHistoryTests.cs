using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Sqlite.Tests.State;

/// <summary>The store as a point-in-time reader: a re-check reads the state as of the end of its grace period.</summary>
public sealed class ConnectionHistoryTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TestProcess.Epoch;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ReadAsOfAsync_GivesTheLatestChangeAtOrBeforeTheInstant()
    {
        await using var process = TestProcess.Create(_database.Path);
        var history = Assert.IsAssignableFrom<IPointInTimeShadowReader>(process.Reader);
        await process.Recorder.RecordAsync(new ConnectionEvent("t1", false, T0, 1));
        await process.Recorder.RecordAsync(new ConnectionEvent("t1", false, T0.AddSeconds(60), 3));

        // Arrives late, between the two.
        await process.Recorder.RecordAsync(new ConnectionEvent("t1", true, T0.AddSeconds(30), 2));

        Assert.Equal(new ConnectionSnapshot(false, T0, 1), await history.ReadAsOfAsync("t1", T0.AddSeconds(10)));
        Assert.Equal(new ConnectionSnapshot(true, T0.AddSeconds(30), 2), await history.ReadAsOfAsync("t1", T0.AddSeconds(30)));
        Assert.Equal(new ConnectionSnapshot(false, T0.AddSeconds(60), 3), await history.ReadAsOfAsync("t1", T0.AddHours(1)));
        Assert.Equal(new ConnectionSnapshot(false, T0.AddSeconds(60), 3), await process.Reader.ReadAsync("t1"));

        // Before anything known: the latest state is the best answer.
        Assert.Equal(new ConnectionSnapshot(false, T0.AddSeconds(60), 3), await history.ReadAsOfAsync("t1", T0.AddSeconds(-1)));
        Assert.Null(await history.ReadAsOfAsync("never-seen", T0));
    }

    [Fact]
    public async Task ReadAsOfAsync_ConnectAndDisconnectOfTheSameInstant_DisconnectIsTheLater()
    {
        await using var process = TestProcess.Create(_database.Path);
        var history = (IPointInTimeShadowReader)process.Reader;
        await process.Recorder.RecordAsync(new ConnectionEvent("t1", false, T0, 5));
        await process.Recorder.RecordAsync(new ConnectionEvent("t1", true, T0, 5));

        Assert.Equal(new ConnectionSnapshot(false, T0, 5), await history.ReadAsOfAsync("t1", T0));
    }

    [Fact]
    public async Task RecordAsync_ChangesOlderThanTheLongestGracePlusADay_AreDroppedButTheLastOfThemStays()
    {
        await using var process = TestProcess.Create(_database.Path);
        var history = (IPointInTimeShadowReader)process.Reader;
        for (var minute = 0; minute < 10; minute++)
        {
            await process.Recorder.RecordAsync(new ConnectionEvent("t1", minute % 2 == 1, T0.AddMinutes(minute)));
        }

        await process.Recorder.RecordAsync(new ConnectionEvent("t1", false, T0.AddDays(2)));

        Assert.Equal(2, CountEvents("t1"));
        Assert.Equal(new ConnectionSnapshot(true, T0.AddMinutes(9)), await history.ReadAsOfAsync("t1", T0.AddDays(1)));
    }

    [Fact]
    public async Task Restart_KilledBeforeTheRecheck_TheReconnectArrivesAfterTheGrace_StillNotifiesOnce()
    {
        await using (var killed = await TestProcess.Create(_database.Path, new FakeTimeProvider(T0)).StartAsync())
        {
            await Deliver(killed, new ConnectionEvent("back-late", false, T0));
            await Deliver(killed, new ConnectionEvent("back-soon", false, T0));
        }

        // Back up half an hour later; the source delivers what happened meanwhile before the overdue re-checks run.
        var notifier = new RecordingNotifier();
        await using var restarted = TestProcess.Create(_database.Path, new FakeTimeProvider(T0.AddMinutes(30)), notifier);
        await restarted.Recorder.RecordAsync(new ConnectionEvent("back-late", true, T0.AddSeconds(20)));
        await restarted.Recorder.RecordAsync(new ConnectionEvent("back-soon", true, T0.AddSeconds(5)));
        await restarted.StartAsync();

        await Eventually.TrueAsync(async () => (await restarted.Scheduler.Queries.CountAsync(0, default)).Pending == 0, "both overdue re-checks to finish");
        var sent = Assert.Single(notifier.Sent);
        Assert.Equal(new OutageId("back-late", T0).ToString(), sent.OutageId);
    }

    [Fact]
    public async Task Migration_FromSchema1_KeepsTheLastKnownStateAsHistory()
    {
        using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = SqliteSchema.Migrations[0]
                + "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);"
                + $"INSERT INTO connection_state VALUES ('t1', 0, {T0.UtcTicks}, {SqliteSchema.NoVersion});";
            command.ExecuteNonQuery();
        }

        await using var process = TestProcess.Create(_database.Path);

        Assert.Equal(new ConnectionSnapshot(false, T0), await ((IPointInTimeShadowReader)process.Reader).ReadAsOfAsync("t1", T0.AddMinutes(5)));
        Assert.Equal(1, CountEvents("t1"));
    }

    private static async Task Deliver(TestProcess process, ConnectionEvent connectionEvent)
    {
        await process.Recorder.RecordAsync(connectionEvent);
        await process.Monitor.OnEventAsync(connectionEvent);
    }

    private long CountEvents(string thing)
    {
        using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM connection_event WHERE thing = $thing";
        command.Parameters.AddWithValue("$thing", thing);
        return (long)command.ExecuteScalar()!;
    }
}
