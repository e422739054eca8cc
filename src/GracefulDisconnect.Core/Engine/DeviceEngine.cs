using System.Collections.Concurrent;
using System.Diagnostics;
using GracefulDisconnect.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tracing = GracefulDisconnect.GracefulDisconnectActivitySource;

namespace GracefulDisconnect;

/// <summary>
/// The live engine: every event and every due re-check is one step of <see cref="DeviceStateMachine"/> on the
/// device's record, committed to the <see cref="IDeviceStore"/> together with the notifications it produced; the
/// outbox is then delivered per channel. Steps of one device never interleave in this process (one step at a time)
/// and never overwrite another process's (commits are conditional on the version loaded); many devices go in one
/// commit, which is what makes ingest run at the speed of the disk.
/// </summary>
/// <remarks>
/// The host runs the loops (a hosted service registered with the engine): <see cref="RunDueAsync"/> for due re-checks and
/// reminders, <see cref="DeliverAsync(CancellationToken)"/> for the outbox. Event sources call <see cref="RecordAsync"/>.
/// A host without loops (a Lambda function woken by an SQS delay queue) registers an <see cref="IScheduler"/>: the
/// engine asks it to wake each device whose wake time a commit moved, and the wake comes back through
/// <see cref="RecheckAsync"/>.
/// </remarks>
public sealed class DeviceEngine : IConnectionEventSink, IRecheckHandler, IDisposable
{
    // A re-check waits until what arrived with (or just after) its disconnect is recorded too, so a reconnect on the
    // next line of a backlog is seen (truth rule 3).
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    private const int MaxCommitAttempts = 8;

    // Records this process committed last, by device, with the version they were committed as: a hot device's next
    // step needs neither a read nor a decode. Safe with any store and any number of processes: a stale entry makes
    // the commit conflict, and the device is loaded again. Bounded; forgotten wholesale when full.
    private const int MaxCachedRecords = 200_000;
    private const int DueBatch = 1024;
    private const int DeliveryBatch = 64;
    private const int DigestClaimBatch = 100_000;

    private readonly IDeviceStore _store;
    private readonly IShadowReader? _reader;
    private readonly IScheduler? _scheduler;
    private readonly NotificationChannels _channels;
    private readonly DeviceRules _rules;
    private readonly GracefulDisconnectOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GracefulDisconnectMetrics _metrics;
    private readonly SemaphoreSlim _step = new(1, 1);
    private readonly SemaphoreSlim _work = new(0, int.MaxValue);
    private readonly Dictionary<string, Loaded> _committed = new(StringComparer.Ordinal);

    // Per channel, until when it backs off after a failed attempt: nothing is sent to it before, not even messages
    // committed since, which would otherwise overtake the failed one ("back online" before "offline").
    private readonly ConcurrentDictionary<string, DateTimeOffset> _backingOff = new(StringComparer.Ordinal);

    // Per channel, its latest failure until it delivers again: what a status page shows as failing.
    private readonly ConcurrentDictionary<string, ChannelFailure> _failing = new(StringComparer.Ordinal);

    private volatile DuePass? _lastDuePass;
    private long _lastRecordedTicks;

    /// <summary>Creates the engine; usually resolved from DI after <c>AddGracefulDisconnect(...).UseDeviceStore...</c>.</summary>
    /// <param name="store">Where records and the outbox live.</param>
    /// <param name="reader">The state source read at re-check time; <see langword="null"/> for the engine's own record of events (last known state).</param>
    /// <param name="notifiers">The channels.</param>
    /// <param name="options">The options.</param>
    /// <param name="formatter">Renders notifications.</param>
    /// <param name="time">The clock.</param>
    /// <param name="metrics">The meter.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="scheduler">
    /// Wakes devices from outside (an SQS delay queue) through <see cref="RecheckAsync"/>; <see langword="null"/> when the
    /// store's due wakes, polled by <see cref="RunDueAsync"/>, are the only schedule.
    /// </param>
    public DeviceEngine(
        IDeviceStore store,
        IShadowReader? reader,
        IEnumerable<INotifier> notifiers,
        IOptions<GracefulDisconnectOptions> options,
        NotificationFormatter formatter,
        TimeProvider time,
        GracefulDisconnectMetrics metrics,
        ILogger<DeviceEngine>? logger = null,
        IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(notifiers);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(formatter);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        _store = store;
        _reader = reader;
        _scheduler = scheduler;
        _channels = new NotificationChannels(notifiers);
        if (_channels.All.Count == 0)
        {
            throw new InvalidOperationException("No INotifier is registered. Add one, for example builder.AddNotifier<MyNotifier>() or .AddSnsNotifier(...).");
        }

        _options = options.Value;
        _rules = new DeviceRules(_options, formatter);
        _time = time;
        _metrics = metrics;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        StartedAt = time.GetUtcNow();
    }

    /// <summary>When the engine was created: a health check's "no pass over due work yet" counts from here.</summary>
    internal DateTimeOffset StartedAt { get; }

    /// <summary>
    /// From the event source: every event that arrived before this time has been handed to <see cref="RecordAsync"/>
    /// (the source may be behind by what arrived since). A re-check waits until the watermark has passed its due time
    /// and the arrival of its disconnect; <see langword="null"/> (the default): the source is never behind. A source
    /// that may never catch up bounds how far behind it reports itself.
    /// </summary>
    public Func<DateTimeOffset>? IngestWatermark { get; set; }

    /// <summary>The channels whose latest attempt in this process failed and that have delivered nothing since, by name.</summary>
    public IReadOnlyList<ChannelFailure> FailingChannels => [.. _failing.Values.OrderBy(failure => failure.Channel, StringComparer.Ordinal)];

    /// <summary>The channels' names, as the outbox knows them.</summary>
    public IReadOnlyList<string> ChannelNames => [.. _channels.All.Select(channel => channel.Name)];

    /// <summary>Completes when a commit may have made work due (a wake at or before now, or outbox messages), or after <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when there may be work.</returns>
    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_store is IDeviceStoreSignal remote)
        {
            // Work committed here or in another process, whichever is told first; the other wait is given up.
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var local = _work.WaitAsync(timeout, either.Token);
            var shared = remote.WaitForSignalAsync(timeout, either.Token);
            var first = await Task.WhenAny(local, shared).ConfigureAwait(false);
            await either.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var other = first == local ? (Task)shared : local;
            try
            {
                await other.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The wait given up.
            }

            if (other == local && local is { IsCompletedSuccessfully: true, Result: true })
            {
                // A local signal that came in while giving up: keep it for the next wait.
                _work.Release();
            }

            if (first == shared && shared.Result)
            {
                // Another process's commit: the other loop of this engine may have work too.
                _work.Release();
            }
            else if (first == shared)
            {
                // The store's listener is reconnecting and answered at once: poll at the usual pace meanwhile.
                await _work.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (await _work.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            // Several signals for one wake-up: take them all.
            while (_work.Wait(0, CancellationToken.None))
            {
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask RecordAsync(IReadOnlyList<ConnectionEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Count; i++)
        {
            if (!ThingName.IsValid(events[i].ThingName, out var problem))
            {
                throw new ArgumentException($"Event {i}: thing name {problem}.", nameof(events));
            }
        }

        if (events.Count == 0)
        {
            return;
        }

        using var activity = Tracing.Source.StartActivity(Tracing.Record);
        var byThing = new Dictionary<string, List<ConnectionEvent>>(StringComparer.Ordinal);
        foreach (var connectionEvent in events)
        {
            if (!byThing.TryGetValue(connectionEvent.ThingName, out var list))
            {
                byThing[connectionEvent.ThingName] = list = new List<ConnectionEvent>(1);
            }

            list.Add(connectionEvent);
        }

        activity?.SetTag(Tracing.CountTag, events.Count);
        activity?.SetTag(Tracing.DevicesTag, byThing.Count);
        await StepAsync(
            byThing.Keys,
            claimed: false,
            (record, now) =>
            {
                var notifications = new List<DeviceNotification>();
                foreach (var connectionEvent in byThing[record.ThingName])
                {
                    var step = DeviceSilence.Observe(record, connectionEvent, now, _rules);
                    record = step.Record;
                    notifications.AddRange(step.Notifications);
                }

                return new DeviceTransition(record, notifications);
            },
            cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastRecordedTicks, _time.GetUtcNow().UtcTicks);
        Log.BatchRecorded(_logger, events.Count, byThing.Count);
    }

    /// <summary>When the latest batch of events was recorded in this process; <see langword="null"/> before the first.</summary>
    internal DateTimeOffset? LastRecordedAt => Interlocked.Read(ref _lastRecordedTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Runs one pass over the devices whose re-check or reminder is due: read, decide, commit.</summary>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <returns>How many devices were stepped.</returns>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var source = IngestWatermark;
        var watermark = source?.Invoke() ?? now;
        var horizon = watermark < now ? watermark : now;
        var due = await _store.ClaimDueAsync(horizon, _options.ClaimLease, DueBatch, cancellationToken).ConfigureAwait(false);
        if (due.Count == 0)
        {
            DuePassed(now, TimeSpan.Zero);
            return 0;
        }

        var latest = await StepDueAsync(due, claimed: true, horizon, (pending, stepNow) => source is null ? pending.RecordedAt + Settle > stepNow : !HasSettled(pending, watermark), null, cancellationToken).ConfigureAwait(false);
        DuePassed(now, latest);
        return due.Count;
    }

    /// <summary>
    /// A scheduler's wake for one device (<see cref="IScheduler"/>): steps the device if its re-check, reminder or silence
    /// check is due, deciding from its record, so a wake that comes early or twice does nothing. A disconnect the engine
    /// never recorded (a raw event through a delay queue) is recorded first, as any event.
    /// </summary>
    /// <param name="trigger">The device, and the disconnect the wake was scheduled for.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>
    /// What the step decided (<see cref="RecheckResult.NotYetDue"/> when nothing was due), and when the device needs the
    /// engine next: the engine has asked the scheduler for that wake already.
    /// </returns>
    /// <exception cref="ArgumentException">The thing name is not valid.</exception>
    public async ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
    {
        if (!ThingName.IsValid(trigger.ThingName, out var problem))
        {
            throw new ArgumentException($"Thing name {problem}.", nameof(trigger));
        }

        string[] thing = [trigger.ThingName];
        var disconnect = new ConnectionEvent(trigger.ThingName, Connected: false, trigger.DisconnectedAt, trigger.Version);
        DeviceRecord? known = null;
        await StepAsync(
            thing,
            claimed: false,
            (record, now) =>
            {
                known = record.Last is { } last && last.At >= trigger.DisconnectedAt ? record : null;
                return known is not null ? new DeviceTransition(record, []) : DeviceSilence.Observe(record, disconnect, now, _rules);
            },
            cancellationToken).ConfigureAwait(false);

        // A disconnect recorded by the event source just now waits a moment for what was recorded just after it, as in the
        // due loop (at most Settle). One recorded by this call came alone: nothing to wait for.
        if (known?.Pending is { } pending && pending.RecordedAt + Settle > _time.GetUtcNow())
        {
            await Task.Delay(pending.RecordedAt + Settle - _time.GetUtcNow(), _time, cancellationToken).ConfigureAwait(false);
        }

        DeviceTransition? stepped = null;
        await StepDueAsync(thing, claimed: false, _time.GetUtcNow(), static (_, _) => false, step => stepped = step, cancellationToken).ConfigureAwait(false);
        if (stepped is not { } step)
        {
            var current = await LoadAsync(thing, useCache: true, cancellationToken).ConfigureAwait(false);
            return new RecheckOutcome(RecheckResult.NotYetDue, current.TryGetValue(trigger.ThingName, out var device) ? device.Record.WakeAt : null);
        }

        var next = step.Decision == RecheckResult.Failed ? _time.GetUtcNow() + _options.RetryDelay : step.Record.WakeAt;
        return new RecheckOutcome(step.Decision ?? RecheckResult.NotYetDue, next, step.Notifications.Count > 0 ? step.Notifications[0] : null);
    }

    // Reads (when a reader is registered), decides and commits the due ones of the devices; a device held (its
    // disconnect has not settled) is left as it is. Returns how late past its wake the latest device was stepped.
    private async Task<TimeSpan> StepDueAsync(IReadOnlyList<string> due, bool claimed, DateTimeOffset horizon, Func<Engine.PendingRecheck, DateTimeOffset, bool> held, Action<DeviceTransition>? stepped, CancellationToken cancellationToken)
    {
        using var activity = Tracing.Source.StartActivity(Tracing.Due);
        activity?.SetTag(Tracing.CountTag, due.Count);
        var latest = TimeSpan.Zero;
        var snapshots = _reader is null ? null : await ReadAsync(due, horizon, cancellationToken).ConfigureAwait(false);
        await StepAsync(
            due,
            claimed,
            (record, stepNow) =>
            {
                if (!DeviceStateMachine.IsDue(record, horizon) || (record.Pending is { } pending && held(pending, stepNow)))
                {
                    return new DeviceTransition(record, []);
                }

                if (record.WakeAt is { } wakeAt && stepNow - wakeAt > latest)
                {
                    latest = stepNow - wakeAt;
                }

                var step = Recheck(record, snapshots, stepNow, horizon);
                stepped?.Invoke(step);
                return step;
            },
            cancellationToken).ConfigureAwait(false);
        return latest;
    }

    // One due device: its snapshot (or its last known state), the decision, its logs and metrics.
    private DeviceTransition Recheck(DeviceRecord record, Dictionary<string, ConnectionSnapshot?>? snapshots, DateTimeOffset now, DateTimeOffset horizon)
    {
        using var recheck = Tracing.Source.StartActivity(Tracing.Recheck);
        recheck?.SetTag(Tracing.ThingTag, record.ThingName);

        ConnectionSnapshot? snapshot;
        if (snapshots is null)
        {
            snapshot = DeviceStateMachine.LastKnown(record);
        }
        else if (!snapshots.TryGetValue(record.ThingName, out snapshot))
        {
            // The read failed: the record stays as it is, due again after the retry delay.
            recheck?.SetTag(Tracing.ResultTag, RecheckResult.Failed.ToReportName());
            recheck?.SetStatus(ActivityStatusCode.Error, "reading the state failed");
            return new DeviceTransition(record, [], RecheckResult.Failed);
        }

        var started = _time.GetTimestamp();
        var step = DeviceSilence.Recheck(record, snapshot, now, horizon, _rules);
        if (step.Decision is { } decision)
        {
            recheck?.SetTag(Tracing.ResultTag, decision.ToReportName());
            _metrics.RecheckDecided(decision, _time.GetElapsedTime(started));
            Log.RecheckDecided(_logger, record.ThingName, record.Pending?.DisconnectedAt ?? default, decision);
            if (decision == RecheckResult.Notified && record.Pending is { } notified)
            {
                _metrics.NotificationDelayed(now - notified.DueAt);
                Log.Notified(_logger, step.Notifications[0].OutageId, record.ThingName);
            }
        }

        if (recheck is not null && step.Notifications.Count > 0)
        {
            // The outbox is delivered by another loop, in other traces: the id ties each delivery span to this one.
            recheck.SetTag(Tracing.NotificationTag, string.Join(",", step.Notifications.Select(notification => notification.NotificationId)));
        }

        return step;
    }

    /// <summary>When the latest pass over due work ended, and how late past its wake time its latest device was stepped.</summary>
    internal (DateTimeOffset At, TimeSpan Lateness)? LastDuePass => _lastDuePass is { } pass ? (pass.At, pass.Lateness) : null;

    private void DuePassed(DateTimeOffset at, TimeSpan lateness) => _lastDuePass = new DuePass(at, lateness);

    // A reference swapped whole: a health check on another thread reads a time and its lateness together.
    private sealed record DuePass(DateTimeOffset At, TimeSpan Lateness);

    // Whether everything that arrived with the disconnect, and up to its due time, is recorded. Without a source's
    // watermark only a disconnect recorded late (overdue at once) waits, for what is recorded just after it.
    private static bool HasSettled(in Engine.PendingRecheck pending, DateTimeOffset watermark)
    {
        var since = pending.DueAt > pending.RecordedAt ? pending.DueAt : pending.RecordedAt;
        return since + Settle <= watermark;
    }

    /// <summary>Delivers what the outbox holds for every channel, each channel on its own.</summary>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <returns>How many messages were delivered.</returns>
    public async Task<int> DeliverAsync(CancellationToken cancellationToken = default)
    {
        var delivered = await Task.WhenAll(_channels.All.Select(channel => DeliverChannelAsync(channel, cancellationToken))).ConfigureAwait(false);
        return delivered.Sum();
    }

    private async Task<int> DeliverChannelAsync(NotificationChannels.Channel channel, CancellationToken cancellationToken)
    {
        var delivered = 0;
        if (_backingOff.TryGetValue(channel.Name, out var until) && _time.GetUtcNow() < until)
        {
            return delivered;
        }

        while (true)
        {
            var now = _time.GetUtcNow();

            // With digests on, a storm's messages must be seen together: claim them all (one row each is small).
            var claimed = await _store.ClaimDeliveriesAsync(channel.Name, now, _options.ClaimLease, _options.Alerts.Digest is null ? DeliveryBatch : DigestClaimBatch, cancellationToken).ConfigureAwait(false);
            if (claimed.Count == 0)
            {
                return delivered;
            }

            var messages = new List<(PendingDelivery Delivery, DeviceNotification? Notification)>(claimed.Count);
            foreach (var delivery in claimed)
            {
                try
                {
                    messages.Add((delivery, NotificationPayload.Read(delivery.Payload)));
                }
                catch (FormatException exception)
                {
                    Log.UnreadableDelivery(_logger, channel.Name, exception.Message);
                    await _store.RetryDeliveryAsync(delivery.Sequence, now + TimeSpan.FromDays(1), cancellationToken).ConfigureAwait(false);
                }
            }

            var done = new HashSet<long>();
            var alone = new HashSet<long>();
            foreach (var (delivery, notification) in messages)
            {
                if (done.Contains(delivery.Sequence) || notification is null)
                {
                    continue;
                }

                var batch = alone.Contains(delivery.Sequence) ? null : DigestBatch(messages, delivery, notification, done);
                if (batch is { ClosesAt: var closes } && closes > now)
                {
                    // The storm's window is still open: this channel waits for it, in order, and so does what came after.
                    await DeferAsync(messages, done, closes).ConfigureAwait(false);
                    _backingOff[channel.Name] = closes;
                    return delivered;
                }

                if (batch is { Digest: null })
                {
                    // Too few for a digest: every one of the window goes alone, in its turn.
                    alone.UnionWith(batch.Sequences);
                    batch = null;
                }

                var send = batch is { Digest: { } digest } ? digest : notification;
                using var activity = Tracing.Source.StartActivity(Tracing.Deliver);
                if (activity is not null)
                {
                    activity.SetTag(Tracing.ChannelTag, channel.Name);
                    activity.SetTag(Tracing.KindTag, send.Kind.ToReportName());
                    activity.SetTag(Tracing.ThingTag, send.ThingName);
                    activity.SetTag(Tracing.NotificationTag, send.NotificationId);
                    activity.SetTag(Tracing.AttemptTag, delivery.Attempts + 1);
                }

                try
                {
                    await channel.Notifier.NotifyAsync(send, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    activity?.SetTag(Tracing.ResultTag, "failed");
                    activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
                    // This channel waits and retries alone; the others go on. Later messages of this channel wait too,
                    // so it never hears "back online" before "offline".
                    var retryAt = _time.GetUtcNow() + Backoff(delivery.Attempts + 1);
                    _metrics.NotificationFailed();
                    Log.DeliveryFailed(_logger, send.NotificationId, channel.Name, delivery.Attempts + 1, retryAt, exception);
                    _failing[channel.Name] = new ChannelFailure(channel.Name, _time.GetUtcNow(), delivery.Attempts + 1, retryAt, $"{exception.GetType().Name}: {exception.Message}");
                    await DeferAsync(messages, done, retryAt).ConfigureAwait(false);
                    _backingOff[channel.Name] = retryAt;
                    return delivered;
                }

                foreach (var sequence in batch?.Sequences ?? [delivery.Sequence])
                {
                    await _store.CompleteDeliveryAsync(sequence, CancellationToken.None).ConfigureAwait(false);
                    done.Add(sequence);
                }

                activity?.SetTag(Tracing.ResultTag, "delivered");
                delivered++;
                if (send.Kind != NotificationKind.Offline)
                {
                    _metrics.AlertSent(send.Kind);
                }

                Log.Delivered(_logger, send.Kind, send.NotificationId, channel.Name);
                _failing.TryRemove(channel.Name, out _);
            }
        }
    }

    // What is not done of a claimed batch goes back, to be offered at `retryAt`.
    private async Task DeferAsync(List<(PendingDelivery Delivery, DeviceNotification? Notification)> messages, HashSet<long> done, DateTimeOffset retryAt)
    {
        foreach (var (delivery, _) in messages)
        {
            if (done.Add(delivery.Sequence))
            {
                await _store.RetryDeliveryAsync(delivery.Sequence, retryAt, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    // With digests on, an offline notification opens (or belongs to) its group's window: the offline notifications
    // of the group decided within the window of the first. Enough devices make one digest; too few go one by one.
    private StormBatch? DigestBatch(List<(PendingDelivery Delivery, DeviceNotification? Notification)> messages, PendingDelivery first, DeviceNotification notification, HashSet<long> done)
    {
        if (_options.Alerts.Digest is not { } threshold || notification.Kind != NotificationKind.Offline)
        {
            return null;
        }

        var group = _options.Alerts.DigestGroup(notification.ThingName);
        var closes = notification.DecidedAt + threshold.Window;
        var members = new List<(long Sequence, DeviceNotification Notification)>();
        foreach (var (delivery, other) in messages)
        {
            if (other is { Kind: NotificationKind.Offline } && !done.Contains(delivery.Sequence) && delivery.Sequence >= first.Sequence
                && other.DecidedAt >= notification.DecidedAt && other.DecidedAt <= closes && _options.Alerts.DigestGroup(other.ThingName) == group)
            {
                members.Add((delivery.Sequence, other));
            }
        }

        var things = members.Select(member => member.Notification.ThingName).Distinct(StringComparer.Ordinal).ToList();
        if (things.Count < threshold.MinThings)
        {
            return new StormBatch(closes, [.. members.Select(member => member.Sequence)], null);
        }

        var earliest = members.Min(member => member.Notification.OfflineSince);
        var latest = members.Max(member => member.Notification.OfflineSince);
        var digest = _rules.Formatter.CreateDigest(group, things, earliest, latest, threshold.Window, closes, notification.GracePeriod);
        return new StormBatch(closes, [.. members.Select(member => member.Sequence)], digest);
    }

    private sealed record StormBatch(DateTimeOffset ClosesAt, IReadOnlyList<long> Sequences, DeviceNotification? Digest);

    // Exponential from NotifyRetryDelay, at most RetryDelay, with "equal jitter" so many failed messages spread out.
    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.NotifyRetryDelay * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = exponential < _options.RetryDelay ? exponential : _options.RetryDelay;
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        return (capped / 2) + (capped / 2 * Random.Shared.NextDouble());
#pragma warning restore CA5394
    }

    // Reads the state source for the due devices, a few at a time (reads are I/O). A failed read leaves the device out.
    private async Task<Dictionary<string, ConnectionSnapshot?>> ReadAsync(IReadOnlyList<string> things, DateTimeOffset horizon, CancellationToken cancellationToken)
    {
        var records = await LoadAsync(things, cancellationToken).ConfigureAwait(false);
        var snapshots = new Dictionary<string, ConnectionSnapshot?>(StringComparer.Ordinal);
        var due = records.Values.Where(loaded => DeviceStateMachine.IsDue(loaded.Record, horizon)).ToList();
        if (_reader is IBatchShadowReader batch && due.Count >= Math.Max(2, batch.MinimumBatch))
        {
            await ReadManyAsync(batch, due, snapshots, cancellationToken).ConfigureAwait(false);
            return snapshots;
        }

        var gate = new Lock();
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentRechecks, CancellationToken = cancellationToken },
            async (loaded, token) =>
            {
                using var activity = Tracing.Source.StartActivity(Tracing.Read);
                activity?.SetTag(Tracing.ThingTag, loaded.Record.ThingName);
                try
                {
                    var snapshot = await _reader!.ReadAsync(loaded.Record.ThingName, token).ConfigureAwait(false);
                    lock (gate)
                    {
                        snapshots[loaded.Record.ThingName] = snapshot;
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
                    var retryAt = _time.GetUtcNow() + _options.RetryDelay;
                    Log.ReadFailed(_logger, loaded.Record.ThingName, retryAt, exception);
                }
            }).ConfigureAwait(false);
        return snapshots;
    }

    // Many due devices in one read of a batch reader; a device it leaves out, or all when it throws, failed.
    private async Task ReadManyAsync(IBatchShadowReader batch, List<Loaded> due, Dictionary<string, ConnectionSnapshot?> snapshots, CancellationToken cancellationToken)
    {
        using var activity = Tracing.Source.StartActivity(Tracing.Read);
        activity?.SetTag(Tracing.CountTag, due.Count);
        string[] names = [.. due.Select(loaded => loaded.Record.ThingName)];
        try
        {
            var read = await batch.ReadManyAsync(names, cancellationToken).ConfigureAwait(false);
            foreach (var name in names)
            {
                if (read.TryGetValue(name, out var snapshot))
                {
                    snapshots[name] = snapshot;
                }
                else
                {
                    Log.ReadFailed(_logger, name, _time.GetUtcNow() + _options.RetryDelay, new InvalidOperationException("the batch read left it out"));
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            Log.BatchReadFailed(_logger, names.Length, _time.GetUtcNow() + _options.RetryDelay, exception);
        }
    }

    // One step for each of the devices: load, apply, commit with the outbox; devices another process changed
    // meanwhile are loaded again and their step redone. Claimed devices are always written back, which ends the claim.
    private async Task StepAsync(IReadOnlyCollection<string> things, bool claimed, Func<DeviceRecord, DateTimeOffset, DeviceTransition> apply, CancellationToken cancellationToken)
    {
        await _step.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var remaining = things;
            for (var attempt = 1; ; attempt++)
            {
                var now = _time.GetUtcNow();
                var loaded = await LoadAsync(remaining, useCache: attempt == 1, cancellationToken).ConfigureAwait(false);
                var changes = new List<DeviceChange>(remaining.Count);
                var records = new List<DeviceRecord>(remaining.Count);
                var wakeNow = false;
                var wakes = new List<(DeviceRecord Record, DateTimeOffset At)>();
                foreach (var thing in remaining)
                {
                    var (version, before) = loaded.TryGetValue(thing, out var found) ? (found.Version, found.Record) : (0L, new DeviceRecord(thing));
                    var step = apply(before, now);
                    var failed = step.Decision == RecheckResult.Failed;
                    var wakeAt = failed ? now + _options.RetryDelay : step.Record.WakeAt;
                    // A device never seen is stored by its first event, unless that left nothing to keep (a sign of
                    // life of a device whose state is unknown): no record for every topic that only looks like a device.
                    if (!claimed && !failed && step.IsNoChange(before) && (version != 0 || step.Record.IsEmpty))
                    {
                        continue;
                    }

                    if (_scheduler is not null && wakeAt is { } wake && wake != before.WakeAt)
                    {
                        wakes.Add((step.Record, wake));
                    }

                    wakeNow |= step.Notifications.Count > 0 || wakeAt <= now;
                    changes.Add(new DeviceChange(thing, version, DeviceRecordCodec.Write(step.Record), wakeAt, _channels.Messages(step.Notifications)) { Status = DeviceRecordStatus.Of(step.Record) });
                    records.Add(step.Record);
                }

                IReadOnlyCollection<string> conflicts;
                using var activity = changes.Count == 0 ? null : Tracing.Source.StartActivity(Tracing.Commit);
                activity?.SetTag(Tracing.DevicesTag, changes.Count);
                try
                {
                    conflicts = changes.Count == 0 ? [] : await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
                    activity?.SetTag(Tracing.ConflictsTag, conflicts.Count);
                }
                catch (Exception exception)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                    // Written or not, the cache cannot tell: forget these devices.
                    foreach (var change in changes)
                    {
                        _committed.Remove(change.ThingName);
                    }

                    throw;
                }

                Remember(changes, records, conflicts);
                if (wakeNow)
                {
                    _work.Release();
                }

                await ScheduleAsync(wakes, conflicts, cancellationToken).ConfigureAwait(false);

                if (conflicts.Count == 0)
                {
                    return;
                }

                if (attempt == MaxCommitAttempts)
                {
                    throw new DeviceStoreException($"{conflicts.Count} devices kept changing in another process for {MaxCommitAttempts} attempts (for example '{conflicts.First()}'); their step is left to the next event or wake.") { IsTransient = true };
                }

                Log.CommitConflicted(_logger, conflicts.Count, attempt);
                remaining = conflicts;
            }
        }
        finally
        {
            _step.Release();
        }
    }

    // Asks the scheduler for the committed wakes that moved. A failure loses nothing the store holds (the due loop, or a
    // sweep, still finds the wake), so it is logged, not thrown: the events are recorded, and redelivering them would not
    // schedule again.
    private async Task ScheduleAsync(List<(DeviceRecord Record, DateTimeOffset At)> wakes, IReadOnlyCollection<string> conflicts, CancellationToken cancellationToken)
    {
        foreach (var (record, at) in wakes)
        {
            if (conflicts.Count != 0 && conflicts.Contains(record.ThingName))
            {
                continue;
            }

            // The trigger names the disconnect (or the outage) the wake is for; RecheckAsync decides from the record anyway.
            var since = record.Pending?.DisconnectedAt ?? record.Open?.StartedAt ?? record.Last?.At ?? at;
            var trigger = new DisconnectTrigger(record.ThingName, since, record.Pending?.Version ?? record.Open?.Version);
            try
            {
                await _scheduler!.ScheduleAsync(trigger, at, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ScheduleFailed(_logger, record.ThingName, at, exception);
            }
        }
    }

    private void Remember(List<DeviceChange> changes, List<DeviceRecord> records, IReadOnlyCollection<string> conflicts)
    {
        if (_committed.Count + changes.Count > MaxCachedRecords)
        {
            _committed.Clear();
        }

        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            if (conflicts.Count != 0 && conflicts.Contains(change.ThingName))
            {
                _committed.Remove(change.ThingName);
            }
            else
            {
                _committed[change.ThingName] = new Loaded(change.ExpectedVersion + 1, records[i]);
            }
        }
    }

    private Task<Dictionary<string, Loaded>> LoadAsync(IReadOnlyCollection<string> things, CancellationToken cancellationToken)
        => LoadAsync(things, useCache: false, cancellationToken);

    private async Task<Dictionary<string, Loaded>> LoadAsync(IReadOnlyCollection<string> things, bool useCache, CancellationToken cancellationToken)
    {
        var loaded = new Dictionary<string, Loaded>(things.Count, StringComparer.Ordinal);
        var missing = things;
        if (useCache && _committed.Count != 0)
        {
            var notCached = new List<string>();
            foreach (var thing in things)
            {
                if (_committed.TryGetValue(thing, out var cached))
                {
                    loaded[thing] = cached;
                }
                else
                {
                    notCached.Add(thing);
                }
            }

            missing = notCached;
        }

        if (missing.Count == 0)
        {
            return loaded;
        }

        var stored = await _store.LoadAsync(missing, cancellationToken).ConfigureAwait(false);
        foreach (var device in stored)
        {
            DeviceRecord record;
            try
            {
                record = DeviceRecordCodec.Read(device.ThingName, device.State);
            }
            catch (FormatException exception)
            {
                Log.UnreadableRecord(_logger, device.ThingName, exception.Message);
                record = new DeviceRecord(device.ThingName);
            }

            loaded[device.ThingName] = new Loaded(device.Version, record);
        }

        return loaded;
    }

    private sealed record Loaded(long Version, DeviceRecord Record);

    /// <inheritdoc/>
    public void Dispose()
    {
        _step.Dispose();
        _work.Dispose();
    }
}
