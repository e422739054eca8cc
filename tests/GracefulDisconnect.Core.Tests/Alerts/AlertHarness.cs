using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Alerts;

/// <summary>
/// The engine as a host wires it (AddGracefulDisconnect), on a fake clock, with a scheduler the test runs by hand:
/// <see cref="RunDueAsync"/> delivers every re-check due by now, and re-schedules those that ask to be delivered
/// again, exactly as the in-memory scheduler would, but on the test's thread.
/// </summary>
internal sealed class AlertHarness : IAsyncDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    private readonly ServiceProvider _provider;

    public AlertHarness(Action<GracefulDisconnectOptions> configure, params INotifier[] extraNotifiers)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(Reader);
        services.AddSingleton(Scheduler);
        var builder = services
            .AddGracefulDisconnect(o =>
            {
                o.GracePeriod = Grace;
                o.RetryDelay = RetryDelay;
                o.NotifyAttempts = 2;
                o.NotifyRetryDelay = TimeSpan.Zero;
                configure(o);
            })
            .UseShadowReader<FakeShadowReader>()
            .UseScheduler<ManualScheduler>()
            .AddNotifier(Notifier);
        foreach (var notifier in extraNotifiers)
        {
            builder.AddNotifier(notifier);
        }

        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Monitor = _provider.GetRequiredService<DisconnectMonitor>();
        Handler = _provider.GetRequiredService<IRecheckHandler>();
    }

    public FakeTimeProvider Time { get; } = new(Instants.Noon);

    public FakeShadowReader Reader { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    public ManualScheduler Scheduler { get; } = new();

    public DisconnectMonitor Monitor { get; }

    public IRecheckHandler Handler { get; }

    public List<RecheckOutcome> Outcomes { get; } = [];

    public IServiceProvider Services => _provider;

    public DeviceNotification[] Sent(NotificationKind kind) => [.. Notifier.Sent.Where(n => n.Kind == kind)];

    /// <summary>The device goes offline at <paramref name="at"/> (default now): the state source says so, then the event arrives.</summary>
    public async Task DisconnectAsync(string thing, DateTimeOffset? at = null)
    {
        var when = at ?? Time.GetUtcNow();
        Reader.Set(thing, new ConnectionSnapshot(false, when));
        await Monitor.OnEventAsync(new ConnectionEvent(thing, false, when));
    }

    public async Task ConnectAsync(string thing, DateTimeOffset? at = null)
    {
        var when = at ?? Time.GetUtcNow();
        Reader.Set(thing, new ConnectionSnapshot(true, when));
        await Monitor.OnEventAsync(new ConnectionEvent(thing, true, when));
    }

    /// <summary>Moves the clock on and runs what came due, step by step so that re-checks rescheduled on the way run too.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var end = Time.GetUtcNow() + by;
        while (true)
        {
            await RunDueAsync();
            var next = Scheduler.NextDue;
            if (next is null || next > end)
            {
                break;
            }

            if (next > Time.GetUtcNow())
            {
                Time.SetUtcNow(next.Value);
            }
        }

        if (end > Time.GetUtcNow())
        {
            Time.SetUtcNow(end);
        }

        await RunDueAsync();
    }

    public async Task RunDueAsync()
    {
        while (StartDue() is { Count: > 0 } started)
        {
            await Task.WhenAll(started);
        }
    }

    /// <summary>Starts every re-check due by now without waiting for them (a digest holds them until it closes).</summary>
    public List<Task<RecheckOutcome>> StartDue()
    {
        var started = new List<Task<RecheckOutcome>>();
        while (Scheduler.TryTakeDue(Time.GetUtcNow(), out var trigger))
        {
            started.Add(RunAsync(trigger));
        }

        return started;
    }

    private async Task<RecheckOutcome> RunAsync(DisconnectTrigger trigger)
    {
        var outcome = await Handler.RecheckAsync(trigger);
        lock (Outcomes)
        {
            Outcomes.Add(outcome);
        }

        if (outcome.RetryAt is { } retryAt)
        {
            await Scheduler.ScheduleAsync(trigger, retryAt);
        }

        return outcome;
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}

/// <summary>Keeps scheduled re-checks until the test takes them.</summary>
internal sealed class ManualScheduler : IScheduler
{
    private readonly List<(DisconnectTrigger Trigger, DateTimeOffset DueAt)> _pending = [];

    public int Count
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count == 0 ? null : _pending.Min(p => p.DueAt);
            }
        }
    }

    public ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        lock (_pending)
        {
            _pending.Add((trigger, dueAt));
        }

        return ValueTask.CompletedTask;
    }

    public bool TryTakeDue(DateTimeOffset now, out DisconnectTrigger trigger)
    {
        lock (_pending)
        {
            var index = _pending.FindIndex(p => p.DueAt <= now);
            if (index < 0)
            {
                trigger = default;
                return false;
            }

            trigger = _pending[index].Trigger;
            _pending.RemoveAt(index);
            return true;
        }
    }
}
