namespace GracefulDisconnect.Tests.Scheduling;

/// <summary>
/// The slot a scheduler lends a running re-check. Every test sets it inside an async method of its own (or a task),
/// so the <see cref="AsyncLocal{T}"/> it lives in is restored when that method returns and never leaks between tests.
/// </summary>
public sealed class RecheckSlotTests
{
    [Fact]
    public async Task Release_CalledTwice_RunsTheCallbackOnce()
    {
        var released = 0;
        var slot = await Task.Run(() => RecheckSlot.Enter(() => released++));

        slot.Release();
        slot.Release();

        Assert.Equal(1, released);
    }

    [Fact]
    public async Task Close_AfterRelease_ReturnsTrueAndDoesNotRunTheCallbackAgain()
    {
        var released = 0;
        var slot = await Task.Run(() => RecheckSlot.Enter(() => released++));
        slot.Release();

        Assert.True(slot.Close());
        Assert.Equal(1, released);
    }

    [Fact]
    public async Task Close_BeforeRelease_ReturnsFalseAndALaterReleaseDoesNothing()
    {
        var released = 0;
        var slot = await Task.Run(() => RecheckSlot.Enter(() => released++));

        Assert.False(slot.Close());
        slot.Release();

        Assert.Equal(0, released);
    }

    [Fact]
    public async Task ReleaseCurrent_OutsideAnySlot_DoesNothing()
    {
        var released = 0;
        var slot = await Task.Run(() => RecheckSlot.Enter(() => released++));

        // This flow never entered a slot: the one set inside the task above is not ours.
        await Task.Run(RecheckSlot.ReleaseCurrent);
        RecheckSlot.ReleaseCurrent();

        Assert.Equal(0, released);
        slot.Release();
        Assert.Equal(1, released);
    }

    [Fact]
    public async Task ReleaseCurrent_InAnAwaitedCall_ReleasesTheSlotOfItsFlowOnce()
    {
        var released = 0;

        var slot = await RunInSlotAsync(() => released++, async () =>
        {
            await Task.Yield();
            await DeepAsync();
        });

        Assert.Equal(1, released);
        Assert.True(slot.Close());

        static async Task DeepAsync()
        {
            await Task.Yield();
            RecheckSlot.ReleaseCurrent();
            RecheckSlot.ReleaseCurrent();
        }
    }

    [Fact]
    public async Task ReleaseCurrent_AfterAnAwaitThatHopsThreads_StillFindsTheSlot()
    {
        var released = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var running = RunInSlotAsync(() => Interlocked.Increment(ref released), async () =>
        {
            // Completed from another thread: the continuation runs on the thread pool, the slot flows with it.
            await gate.Task;
            RecheckSlot.ReleaseCurrent();
        });
        _ = Task.Run(gate.SetResult);
        var slot = await running;

        Assert.Equal(1, released);
        Assert.True(slot.Close());
    }

    [Fact]
    public async Task ReleaseCurrent_InAFlowStartedBeforeTheSlot_DoesNotReleaseIt()
    {
        var released = 0;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Started before the slot is entered: it carries the context of then, without a slot.
        var unrelated = Task.Run(async () =>
        {
            await go.Task;
            RecheckSlot.ReleaseCurrent();
        });

        var slot = await RunInSlotAsync(() => released++, async () =>
        {
            go.SetResult();
            await unrelated;
        });

        Assert.Equal(0, released);
        Assert.False(slot.Close());
    }

    [Fact]
    public async Task ReleaseCurrent_InAFlowThatSuppressedContextFlow_DoesNotReleaseIt()
    {
        var released = 0;

        var slot = await RunInSlotAsync(() => released++, async () =>
        {
            Task unrelated;
            using (ExecutionContext.SuppressFlow())
            {
                unrelated = Task.Run(RecheckSlot.ReleaseCurrent);
            }

            await unrelated;
        });

        Assert.Equal(0, released);
        Assert.False(slot.Close());
    }

    [Fact]
    public async Task Enter_InACalledAsyncMethod_DoesNotLeakToTheCaller()
    {
        var released = 0;

        var slot = await EnterAsync(() => released++);
        RecheckSlot.ReleaseCurrent();

        Assert.Equal(0, released);
        Assert.False(slot.Close());

        static async Task<RecheckSlot> EnterAsync(Action release)
        {
            await Task.Yield();
            return RecheckSlot.Enter(release);
        }
    }

    [Fact]
    public async Task Enter_TwoConcurrentFlows_EachReleasesOnlyItsOwn()
    {
        var first = 0;
        var second = 0;
        var aIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Both slots are entered before either flow goes on: two re-checks running side by side.
        var a = RunInSlotAsync(() => Interlocked.Increment(ref first), async () =>
        {
            aIn.SetResult();
            await bIn.Task;
            RecheckSlot.ReleaseCurrent();
        });
        var b = RunInSlotAsync(() => Interlocked.Increment(ref second), async () =>
        {
            bIn.SetResult();
            await aIn.Task;
        });
        var slots = await Task.WhenAll(a, b).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal((1, 0), (first, second));
        Assert.True(slots[0].Close());
        Assert.False(slots[1].Close());
    }

    // As a scheduler does: enter the slot, then run the re-check in the same flow.
    private static Task<RecheckSlot> RunInSlotAsync(Action release, Func<Task> recheck)
        => Task.Run(async () =>
        {
            var slot = RecheckSlot.Enter(release);
            await recheck();
            return slot;
        });
}
