using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// Delivers what the outbox holds: notifications claimed but never confirmed (the process died while
/// sending, or the send failed and nobody retried it). On start it takes over every claim left by an
/// earlier process; afterwards, claims of this process only once their lease ran out, so a send in
/// flight is never doubled. Each is sent to every <see cref="INotifier"/> and confirmed; a failure waits
/// an exponential backoff with jitter and is tried again, for as long as it takes.
/// </summary>
internal sealed class OutboxDispatcher : IHostedService, IAsyncDisposable
{
    private const int BatchSize = 64;

    private readonly OutboxStore _store;
    private readonly INotifier[] _notifiers;
    private readonly TimeProvider _time;
    private readonly SqliteStoreOptions _options;
    private readonly ILogger _logger;
    private readonly SqliteStoreMetrics _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private readonly Lock _gate = new();
    private Task? _loop;
    private long _passes;
    private bool _disposed;

    public OutboxDispatcher(
        OutboxStore store,
        IEnumerable<INotifier> notifiers,
        TimeProvider time,
        IOptions<SqliteStoreOptions> options,
        ILogger<OutboxDispatcher> logger,
        SqliteStoreMetrics metrics)
    {
        _store = store;
        _notifiers = [.. notifiers];
        _time = time;
        _options = options.Value;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Passes completed so far (tests wait on it instead of sleeping).</summary>
    internal long Passes => Interlocked.Read(ref _passes);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _loop ??= Task.Run(RunAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops looking for work and lets a send in progress finish, unless <paramref name="cancellationToken"/> fires first.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (loop is null)
        {
            return;
        }

        using (cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _aborting))
        {
            await loop.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _aborting.Dispose();
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;

        // Until a pass comes back short, claims of earlier processes are taken over at once: nobody is sending them.
        var recovering = true;
        while (!stopping.IsCancellationRequested)
        {
            long wakeAtTicks;
            try
            {
                (wakeAtTicks, recovering) = await PassAsync(recovering, stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                var retryAt = _time.GetUtcNow() + _options.OutboxPollInterval;
                SqliteLog.OutboxPassFailed(_logger, retryAt, exception);
                wakeAtTicks = retryAt.UtcTicks;
            }

            Interlocked.Increment(ref _passes);
            var delay = wakeAtTicks - _time.GetUtcNow().UtcTicks;
            if (delay > 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromTicks(delay), _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task<(long WakeAtTicks, bool Recovering)> PassAsync(bool recovering, CancellationToken stopping)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var poll = _options.OutboxPollInterval.Ticks;
        if (_notifiers.Length == 0)
        {
            // Nobody to deliver to: keep everything until a notifier is configured.
            return (now + poll, recovering);
        }

        var entries = await _store.ReadResendableAsync(now, recovering, BatchSize, stopping).ConfigureAwait(false);
        if (entries.Count > 0)
        {
            SqliteLog.OutboxRecovering(_logger, entries.Count);
        }

        foreach (var entry in entries)
        {
            if (stopping.IsCancellationRequested)
            {
                break;
            }

            if (await _store.TryTakeAsync(entry.Outage, now, recovering, stopping).ConfigureAwait(false))
            {
                await ResendAsync(entry).ConfigureAwait(false);
            }
        }

        if (entries.Count == BatchSize)
        {
            return (now, recovering);
        }

        await _store.PruneSentAsync(now - _options.SentRetention.Ticks, stopping).ConfigureAwait(false);
        var (unsent, nextAttempt) = await _store.SummarizeUnsentAsync(stopping).ConfigureAwait(false);
        _metrics.OutboxPending(unsent);
        return (Math.Min(nextAttempt ?? long.MaxValue, now + poll), false);
    }

    private async Task ResendAsync(OutboxEntry entry)
    {
        var outage = entry.Outage;
        var attempt = entry.Attempts + 1;
        DeviceNotification notification;
        try
        {
            notification = JsonSerializer.Deserialize(entry.NotificationJson, OutboxJsonContext.Default.DeviceNotification)
                ?? throw new JsonException("The stored notification is null.");
        }
        catch (JsonException exception)
        {
            SqliteLog.OutboxUnreadable(_logger, outage, exception);
            await _store.ReleaseAsync(outage, _time.GetUtcNow().UtcTicks, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        try
        {
            foreach (var notifier in _notifiers)
            {
                await notifier.NotifyAsync(notification, _aborting.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !_aborting.IsCancellationRequested)
        {
            _metrics.OutboxRetried(sent: false);
            var next = await _store.ReleaseAsync(outage, _time.GetUtcNow().UtcTicks, CancellationToken.None).ConfigureAwait(false);
            SqliteLog.OutboxResendFailed(_logger, outage, attempt, next ?? _time.GetUtcNow(), exception);
            return;
        }

        await _store.MarkSentAsync(outage, _time.GetUtcNow().UtcTicks, CancellationToken.None).ConfigureAwait(false);
        _metrics.OutboxRetried(sent: true);
        SqliteLog.OutboxResent(_logger, outage, attempt);
    }
}
