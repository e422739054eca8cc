using System.Collections.Specialized;
using BenchmarkDotNet.Attributes;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Impl;

namespace GracefulDisconnect.Benchmarks;

/// <summary>
/// Scheduling 10⁵ re-checks due in 5 minutes (none fires during the benchmark), then tearing them down,
/// with our <see cref="InMemoryScheduler"/> and with the usual alternatives (DESIGN §9). Thing names are
/// made once in the setup, so no method pays for them.
/// </summary>
[MemoryDiagnoser]
public class SchedulerComparisonBenchmarks
{
    public const int Rechecks = 100_000;
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    private readonly NoopRecheckHandler _handler = new NoopRecheckHandler();
    private string[] _names = [];

    [GlobalSetup]
    public void Setup() => _names = [.. Enumerable.Range(1, Rechecks).Select(SyntheticFleet.DeviceName)];

    [Benchmark(Baseline = true, Description = "InMemoryScheduler (ours)")]
    public async Task InMemorySchedulerOurs()
    {
        var scheduler = new InMemoryScheduler(
            () => _handler,
            TimeProvider.System,
            Options.Create(new GracefulDisconnectOptions()),
            NullLogger<InMemoryScheduler>.Instance,
            new GracefulDisconnectMetrics());
        var now = TimeProvider.System.GetUtcNow();
        var dueAt = now + Grace;
        foreach (var name in _names)
        {
            await scheduler.ScheduleAsync(new DisconnectTrigger(name, now), dueAt);
        }

        await scheduler.DisposeAsync();
    }

    [Benchmark(Description = "Timer per re-check")]
    public void TimerPerRecheck()
    {
        var timers = new Timer[_names.Length];
        var now = TimeProvider.System.GetUtcNow();
        for (var i = 0; i < timers.Length; i++)
        {
            var trigger = new DisconnectTrigger(_names[i], now);
            timers[i] = new Timer(_ => _handler.RecheckAsync(trigger).AsTask(), null, Grace, Timeout.InfiniteTimeSpan);
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    [Benchmark(Description = "Task.Delay per re-check")]
    public async Task TaskDelayPerRecheck()
    {
        using var cancellation = new CancellationTokenSource();
        var pending = new Task[_names.Length];
        var now = TimeProvider.System.GetUtcNow();
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = RecheckLaterAsync(new DisconnectTrigger(_names[i], now), cancellation.Token);
        }

        await cancellation.CancelAsync();
        await Task.WhenAll(pending);
    }

    [Benchmark(Description = "Quartz.NET RAMJobStore")]
    public async Task QuartzRamJobStore()
    {
        var properties = new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = "bench-" + Guid.NewGuid().ToString("N"),
            ["quartz.jobStore.type"] = "Quartz.Simpl.RAMJobStore, Quartz",
            ["quartz.threadPool.maxConcurrency"] = "1",
        };
        var scheduler = await new StdSchedulerFactory(properties).GetScheduler();
        var now = DateTimeOffset.UtcNow;
        var dueAt = now + Grace;
        for (var i = 0; i < _names.Length; i++)
        {
            var job = JobBuilder.Create<RecheckJob>()
                .WithIdentity(_names[i])
                .UsingJobData("thing", _names[i])
                .UsingJobData("disconnectedAtTicks", now.UtcTicks)
                .Build();
            var trigger = TriggerBuilder.Create().WithIdentity(_names[i]).StartAt(dueAt).Build();
            await scheduler.ScheduleJob(job, trigger);
        }

        // Never started (standby): the triggers sit in the RAMJobStore until shutdown.
        await scheduler.Shutdown(waitForJobsToComplete: false);
    }

    [Benchmark(Description = "Hangfire.InMemory")]
    public void HangfireInMemory()
    {
        using var storage = new InMemoryStorage();
        var client = new BackgroundJobClient(storage);
        var now = DateTimeOffset.UtcNow;
        foreach (var name in _names)
        {
            client.Schedule(() => HangfireRecheck.Run(name, now), Grace);
        }
    }

    private async Task RecheckLaterAsync(DisconnectTrigger trigger, CancellationToken cancellationToken)
    {
        // SuppressThrowing: cancelling 10⁵ delays should not cost 10⁵ exceptions.
        await Task.Delay(Grace, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!cancellationToken.IsCancellationRequested)
        {
            await _handler.RecheckAsync(trigger, cancellationToken);
        }
    }

    internal sealed class NoopRecheckHandler : IRecheckHandler
    {
        public ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(new RecheckOutcome(RecheckResult.SkippedReconnected));
    }

    internal sealed class RecheckJob : IJob
    {
        public Task Execute(IJobExecutionContext context) => Task.CompletedTask;
    }
}

/// <summary>The method Hangfire would call; it has to be public and static for Hangfire to serialize the call.</summary>
public static class HangfireRecheck
{
    public static void Run(string thingName, DateTimeOffset disconnectedAt)
    {
        _ = thingName;
        _ = disconnectedAt;
    }
}
