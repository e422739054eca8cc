namespace GracefulDisconnect.Sqlite.Tests.State;

public sealed class SqliteConnectionStateStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TestProcess.Epoch;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ReadAsync_UnknownThing_IsNull()
    {
        await using var process = TestProcess.Create(_database.Path);

        Assert.Null(await process.Reader.ReadAsync("never-seen"));
    }

    [Fact]
    public async Task RecordAsync_NewerEvent_BecomesTheState()
    {
        await using var process = TestProcess.Create(_database.Path);

        Assert.True(await process.Recorder.RecordAsync(new ConnectionEvent("t1", true, T0, 1)));
        Assert.True(await process.Recorder.RecordAsync(new ConnectionEvent("t1", false, T0.AddSeconds(30), 1)));

        Assert.Equal(new ConnectionSnapshot(false, T0.AddSeconds(30), 1), await process.Reader.ReadAsync("t1"));
    }

    [Fact]
    public async Task RecordAsync_OlderEventArrivingLate_NeverOverwritesANewerOne()
    {
        await using var process = TestProcess.Create(_database.Path);
        await process.Recorder.RecordAsync(new ConnectionEvent("t1", false, T0.AddMinutes(2), 4));

        // The connect of an earlier connection, delivered late, and with a higher version (versions reset).
        Assert.False(await process.Recorder.RecordAsync(new ConnectionEvent("t1", true, T0.AddMinutes(1), 9)));

        Assert.Equal(new ConnectionSnapshot(false, T0.AddMinutes(2), 4), await process.Reader.ReadAsync("t1"));
    }

    [Fact]
    public async Task RecordAsync_EqualTimes_HigherVersionWins()
    {
        await using var process = TestProcess.Create(_database.Path);
        await process.Recorder.RecordAsync(new ConnectionEvent("t1", true, T0, 3));

        Assert.False(await process.Recorder.RecordAsync(new ConnectionEvent("t1", false, T0, 2)));
        Assert.Equal(new ConnectionSnapshot(true, T0, 3), await process.Reader.ReadAsync("t1"));

        Assert.True(await process.Recorder.RecordAsync(new ConnectionEvent("t1", true, T0, 4)));
        Assert.Equal(new ConnectionSnapshot(true, T0, 4), await process.Reader.ReadAsync("t1"));
    }

    [Fact]
    public async Task RecordAsync_EqualTimes_AnEventWithAVersionBeatsOneWithout()
    {
        await using var process = TestProcess.Create(_database.Path);
        await process.Recorder.RecordAsync(new ConnectionEvent("t1", false, T0, 0));

        Assert.False(await process.Recorder.RecordAsync(new ConnectionEvent("t1", true, T0)));

        Assert.Equal(new ConnectionSnapshot(false, T0, 0), await process.Reader.ReadAsync("t1"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecordAsync_ConnectAndDisconnectOfTheSameInstantAndVersion_DisconnectWinsInEitherOrder(bool connectFirst)
    {
        await using var process = TestProcess.Create(_database.Path);
        var connect = new ConnectionEvent("t1", true, T0, 5);
        var disconnect = new ConnectionEvent("t1", false, T0, 5);

        await process.Recorder.RecordAsync(connectFirst ? connect : disconnect);
        await process.Recorder.RecordAsync(connectFirst ? disconnect : connect);

        Assert.Equal(new ConnectionSnapshot(false, T0, 5), await process.Reader.ReadAsync("t1"));
    }

    [Fact]
    public async Task RecordAsync_SameEventTwice_SecondChangesNothing()
    {
        await using var process = TestProcess.Create(_database.Path);
        var connectionEvent = new ConnectionEvent("t1", false, T0.AddMilliseconds(451));

        Assert.True(await process.Recorder.RecordAsync(connectionEvent));
        Assert.False(await process.Recorder.RecordAsync(connectionEvent));

        Assert.Equal(new ConnectionSnapshot(false, T0.AddMilliseconds(451)), await process.Reader.ReadAsync("t1"));
    }

    [Fact]
    public async Task RecordAsync_InvalidThingName_Throws()
    {
        await using var process = TestProcess.Create(_database.Path);

        await Assert.ThrowsAsync<ArgumentException>(async () => await process.Recorder.RecordAsync(new ConnectionEvent("bad\nname", true, T0)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await process.Recorder.RecordAsync(new ConnectionEvent(string.Empty, true, T0)));
    }

    [Fact]
    public async Task Restart_StateSurvives()
    {
        await using (var first = TestProcess.Create(_database.Path))
        {
            await first.Recorder.RecordAsync(new ConnectionEvent("t1", false, T0, 2));
            await first.Recorder.RecordAsync(new ConnectionEvent("t2", true, T0.AddSeconds(1)));
        }

        await using var second = TestProcess.Create(_database.Path);
        Assert.Equal(new ConnectionSnapshot(false, T0, 2), await second.Reader.ReadAsync("t1"));
        Assert.Equal(new ConnectionSnapshot(true, T0.AddSeconds(1)), await second.Reader.ReadAsync("t2"));
        Assert.False(await second.Recorder.RecordAsync(new ConnectionEvent("t1", true, T0.AddSeconds(-1))));
    }
}
