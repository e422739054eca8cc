using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Sqlite.Tests.Scheduling;

public sealed class SqliteSchedulerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TestProcess.Epoch;
    private readonly TempDatabase _database = new();
    private readonly RecordingHandler _handler = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ScheduleAsync_ManyConcurrentCalls_AllStoredOnceInFewerTransactions()
    {
        await using var process = TestProcess.Create(_database.Path, handler: _handler);
        var triggers = Enumerable.Range(0, 2_000).Select(i => new DisconnectTrigger($"thing-{i}", T0.AddMilliseconds(i), i)).ToArray();

        // Every trigger twice, all at once from many threads.
        await Parallel.ForEachAsync(
            triggers.Concat(triggers),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (trigger, token) => await process.Scheduler.ScheduleAsync(trigger, T0.AddMinutes(5), token));

        var (pending, _) = await process.Scheduler.Queries.CountAsync(T0.UtcTicks, default);
        Assert.Equal(triggers.Length, pending);
        Assert.InRange(process.Scheduler.Writer.Batches, 1, (2 * triggers.Length) - 1);
        foreach (var trigger in triggers.Take(10))
        {
            Assert.NotNull(await process.Scheduler.Queries.FindAsync(PendingRecheck.From(trigger, 0).Key, default));
        }
    }

    [Fact]
    public async Task ScheduleAsync_SameTriggerTwice_StoredOnceWithTheEarlierDueTime()
    {
        await using var process = TestProcess.Create(_database.Path, handler: _handler);
        var trigger = new DisconnectTrigger("t1", T0, 3);

        await process.Scheduler.ScheduleAsync(trigger, T0.AddMinutes(5));
        await process.Scheduler.ScheduleAsync(trigger, T0.AddMinutes(7));

        var (pending, _) = await process.Scheduler.Queries.CountAsync(T0.UtcTicks, default);
        Assert.Equal(1, pending);
        var stored = await process.Scheduler.Queries.FindAsync(PendingRecheck.From(trigger, 0).Key, default);
        Assert.Equal(T0.AddMinutes(5).UtcTicks, stored!.Value.DueTicks);
    }

    [Fact]
    public async Task ScheduleAsync_TriggersDifferingOnlyInVersion_AreDifferentRows()
    {
        await using var process = TestProcess.Create(_database.Path, handler: _handler);

        await process.Scheduler.ScheduleAsync(new DisconnectTrigger("t1", T0), T0);
        await process.Scheduler.ScheduleAsync(new DisconnectTrigger("t1", T0, 0), T0);
        await process.Scheduler.ScheduleAsync(new DisconnectTrigger("t1", T0, 1), T0);

        var (pending, _) = await process.Scheduler.Queries.CountAsync(T0.UtcTicks, default);
        Assert.Equal(3, pending);
    }

    [Fact]
    public async Task Dispatcher_DueRow_RunsOnceAndIsDeleted_FutureRowWaits()
    {
        await using var process = await TestProcess.Create(_database.Path, handler: _handler).StartAsync();
        var now = new DisconnectTrigger("now", T0);
        var later = new DisconnectTrigger("later", T0);

        await process.Scheduler.ScheduleAsync(later, T0.AddMinutes(10));
        await process.Scheduler.ScheduleAsync(now, T0);

        await Eventually.TrueAsync(async () => await process.Scheduler.Queries.FindAsync(PendingRecheck.From(now, 0).Key, default) is null, "the due row to run and be deleted");
        Assert.Equal(1, _handler.CallsOf(now));
        Assert.Equal(0, _handler.CallsOf(later));

        await Eventually.AdvanceUntilAsync(process.Time, TimeSpan.FromMinutes(1), () => _handler.CallsOf(later) == 1, "the later row once due");
        await Eventually.TrueAsync(async () => (await process.Scheduler.Queries.CountAsync(0, default)).Pending == 0, "the later row to be deleted");
        Assert.Equal(now, _handler.Calls.First());
    }

    [Fact]
    public async Task Restart_PendingRowsSurviveAndRunWhenDue()
    {
        var time = new FakeTimeProvider(T0);
        var triggers = Enumerable.Range(0, 3).Select(i => new DisconnectTrigger($"t{i}", T0, i)).ToArray();
        await using (var first = await TestProcess.Create(_database.Path, time, handler: _handler).StartAsync())
        {
            foreach (var trigger in triggers)
            {
                await first.Scheduler.ScheduleAsync(trigger, T0.AddMinutes(5));
            }
        }

        await using var second = TestProcess.Create(_database.Path, time, handler: _handler);
        var (pending, due) = await second.Scheduler.Queries.CountAsync(time.GetUtcNow().UtcTicks, default);
        Assert.Equal((3, 0), (pending, due));
        Assert.Empty(_handler.Calls);

        await second.StartAsync();
        time.Advance(TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(() => triggers.All(t => _handler.CallsOf(t) == 1), "every stored re-check to run");
    }

    [Fact]
    public async Task Start_RowsThatCameDueWhileDown_RunAtOnce()
    {
        var trigger = new DisconnectTrigger("t1", T0, 7);
        await using (var first = TestProcess.Create(_database.Path, new FakeTimeProvider(T0), handler: _handler))
        {
            await first.Scheduler.ScheduleAsync(trigger, T0.AddMinutes(5));
        }

        // Back up an hour later; the clock is not advanced after the start.
        await using var second = await TestProcess.Create(_database.Path, new FakeTimeProvider(T0.AddHours(1)), handler: _handler).StartAsync();

        await Eventually.TrueAsync(() => _handler.CallsOf(trigger) == 1, "the overdue re-check to run on start");
        Assert.Equal(trigger.Version, _handler.Calls.Single().Version);
        Assert.Contains(second.Logs.GetSnapshot(), r => r.Id.Id == 3020 && r.Message.Contains("1 of them due now", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatcher_OutcomeWithRetryAt_KeepsRowWithTheNewDueTime()
    {
        var trigger = new DisconnectTrigger("t1", T0);
        var retryAt = T0.AddMinutes(3);
        _handler.Behaviour = (_, previousCalls, _) => ValueTask.FromResult(previousCalls == 0
            ? new RecheckOutcome(RecheckResult.NotYetDue, retryAt)
            : new RecheckOutcome(RecheckResult.SkippedReconnected));
        await using var process = await TestProcess.Create(_database.Path, handler: _handler).StartAsync();

        await process.Scheduler.ScheduleAsync(trigger, T0);

        var key = PendingRecheck.From(trigger, 0).Key;
        await Eventually.TrueAsync(async () => (await process.Scheduler.Queries.FindAsync(key, default))?.DueTicks == retryAt.UtcTicks, "the row to move to RetryAt");
        Assert.Equal(1, _handler.CallsOf(trigger));

        await Eventually.AdvanceUntilAsync(process.Time, TimeSpan.FromSeconds(30), () => _handler.CallsOf(trigger) == 2, "the retry");
        await Eventually.TrueAsync(async () => await process.Scheduler.Queries.FindAsync(key, default) is null, "the row to be deleted after the final outcome");
    }

    [Fact]
    public async Task Dispatcher_HandlerThrows_KeepsRowAndRetriesAfterRetryDelay()
    {
        var trigger = new DisconnectTrigger("t1", T0);
        _handler.Behaviour = (_, previousCalls, _) => previousCalls == 0
            ? throw new InvalidOperationException("boom")
            : ValueTask.FromResult(new RecheckOutcome(RecheckResult.Notified));
        await using var process = await TestProcess.Create(_database.Path, handler: _handler).StartAsync();

        await process.Scheduler.ScheduleAsync(trigger, T0);

        var key = PendingRecheck.From(trigger, 0).Key;
        var retryTicks = T0.AddSeconds(2).UtcTicks;
        await Eventually.TrueAsync(async () => (await process.Scheduler.Queries.FindAsync(key, default))?.DueTicks == retryTicks, "the row to stay with due time now + RetryDelay");
        Assert.Contains(process.Logs.GetSnapshot(), r => r.Id.Id == 3023 && r.Exception is InvalidOperationException);

        await Eventually.AdvanceUntilAsync(process.Time, TimeSpan.FromSeconds(1), () => _handler.CallsOf(trigger) == 2, "the retry");
        await Eventually.TrueAsync(async () => await process.Scheduler.Queries.FindAsync(key, default) is null, "the row to be deleted after success");
    }

    [Fact]
    public async Task Dispatcher_ManyDue_RunsAtMostMaxConcurrentRechecksAtOnce()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _handler.Behaviour = async (_, _, _) =>
        {
            await gate.Task;
            return new RecheckOutcome(RecheckResult.SkippedReconnected);
        };
        await using var process = await TestProcess.Create(_database.Path, handler: _handler, engine: o => o.MaxConcurrentRechecks = 3).StartAsync();

        for (var i = 0; i < 12; i++)
        {
            await process.Scheduler.ScheduleAsync(new DisconnectTrigger($"t{i}", T0), T0);
        }

        await Eventually.TrueAsync(() => _handler.Calls.Count == 3, "three re-checks to start");
        Assert.Equal(3, process.Scheduler.InFlightCount);
        gate.SetResult();

        await Eventually.TrueAsync(() => _handler.Calls.Count == 12, () => $"all re-checks to run once each (ran {_handler.Calls.Count})");
        await Eventually.TrueAsync(async () => (await process.Scheduler.Queries.CountAsync(0, default)).Pending == 0, "all rows to be deleted");
        Assert.Equal(3, _handler.MaxRunning);
        Assert.Equal(12, _handler.Calls.Distinct().Count());
    }

    [Fact]
    public async Task StopAsync_ReCheckInFlight_WaitsForItThenDeletesTheRow()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _handler.Behaviour = async (_, _, _) =>
        {
            await gate.Task;
            return new RecheckOutcome(RecheckResult.Notified);
        };
        var trigger = new DisconnectTrigger("t1", T0);
        await using var process = await TestProcess.Create(_database.Path, handler: _handler).StartAsync();
        await process.Scheduler.ScheduleAsync(trigger, T0);
        await Eventually.TrueAsync(() => _handler.CallsOf(trigger) == 1, "the re-check to start");

        var stopping = process.StopAsync();
        Assert.False(stopping.IsCompleted);
        gate.SetResult();
        await stopping;

        Assert.Null(await process.Scheduler.Queries.FindAsync(PendingRecheck.From(trigger, 0).Key, default));
    }

    [Fact]
    public async Task StopAsync_ShutdownTimeoutFires_CancelsInFlightAndKeepsTheRowForTheNextStart()
    {
        _handler.Behaviour = async (_, previousCalls, token) =>
        {
            if (previousCalls == 0)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return new RecheckOutcome(RecheckResult.Notified);
        };
        var trigger = new DisconnectTrigger("t1", T0);
        await using (var first = await TestProcess.Create(_database.Path, handler: _handler).StartAsync())
        {
            await first.Scheduler.ScheduleAsync(trigger, T0);
            await Eventually.TrueAsync(() => _handler.CallsOf(trigger) == 1, "the re-check to start");

            await first.StopAsync(new CancellationToken(canceled: true));

            Assert.NotNull(await first.Scheduler.Queries.FindAsync(PendingRecheck.From(trigger, 0).Key, default));
        }

        await using var second = await TestProcess.Create(_database.Path, handler: _handler).StartAsync();
        await Eventually.TrueAsync(() => _handler.CallsOf(trigger) == 2, "the re-check to run again after the restart");
    }

    [Fact]
    public async Task ScheduleAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var process = TestProcess.Create(_database.Path, handler: _handler);
        var scheduler = process.Scheduler;
        await process.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await scheduler.ScheduleAsync(new DisconnectTrigger("t1", T0), T0));
    }
}
