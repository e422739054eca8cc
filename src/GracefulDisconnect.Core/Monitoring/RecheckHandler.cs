using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect;

/// <summary>
/// Runs one re-check: read the state, decide, and notify at most once per outage. Failures never
/// lose the re-check: they come back as <see cref="RecheckResult.Failed"/> with a time to retry.
/// </summary>
internal sealed class RecheckHandler : IRecheckHandler
{
    private readonly IShadowReader _reader;
    private readonly NotificationDispatcher _notifiers;
    private readonly IOutageLedger _ledger;
    private readonly NotificationFormatter _formatter;
    private readonly GracefulDisconnectOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GracefulDisconnectMetrics _metrics;
    private readonly LiveAlerts? _alerts;

    public RecheckHandler(
        IShadowReader reader,
        IEnumerable<INotifier> notifiers,
        IOutageLedger ledger,
        NotificationFormatter formatter,
        IOptions<GracefulDisconnectOptions> options,
        TimeProvider time,
        ILogger<RecheckHandler> logger,
        GracefulDisconnectMetrics metrics,
        LiveAlerts? alerts = null)
    {
        _reader = reader;
        _ledger = ledger;
        _formatter = formatter;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _alerts = alerts;
        _notifiers = new NotificationDispatcher(notifiers, _options, time, logger);
    }

    public async ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(trigger.ThingName, nameof(trigger));
        using var activity = GracefulDisconnectActivitySource.Source.StartActivity(GracefulDisconnectActivitySource.Recheck);
        activity?.SetTag(GracefulDisconnectActivitySource.ThingTag, trigger.ThingName);
        var started = _time.GetTimestamp();
        var outcome = await DecideAsync(trigger, cancellationToken).ConfigureAwait(false);
        activity?.SetTag(GracefulDisconnectActivitySource.ResultTag, outcome.Result.ToReportName());
        _metrics.RecheckDecided(outcome.Result, _time.GetElapsedTime(started));
        Log.RecheckDecided(_logger, trigger.ThingName, trigger.DisconnectedAt, outcome.Result);
        return outcome;
    }

    private async ValueTask<RecheckOutcome> DecideAsync(DisconnectTrigger trigger, CancellationToken cancellationToken)
    {
        var grace = _options.GracePeriodFor(trigger.ThingName);
        var now = _time.GetUtcNow();
        var dueAt = GracePeriodDecision.DueAt(trigger, grace);
        if (now < dueAt)
        {
            // Delivered early (a scheduler may): don't spend a read, come back when due.
            return new RecheckOutcome(RecheckResult.NotYetDue, dueAt);
        }

        // A notified outage whose reminder is due: the question is whether it still goes on now.
        var reminder = 0;
        var isReminder = _alerts is not null && _alerts.TryClaimReminder(trigger, now, out reminder);
        ConnectionSnapshot? snapshot;
        try
        {
            // The question is whether the thing was still offline when the grace period ended; a reader with
            // history answers exactly that, however late this re-check runs.
            snapshot = _reader is IPointInTimeShadowReader history
                ? await history.ReadAsOfAsync(trigger.ThingName, isReminder ? now : dueAt, cancellationToken).ConfigureAwait(false)
                : await _reader.ReadAsync(trigger.ThingName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (isReminder)
            {
                _alerts!.ReleaseReminder(trigger);
            }

            var retryAt = _time.GetUtcNow() + _options.RetryDelay;
            Log.ReadFailed(_logger, trigger.ThingName, retryAt, exception);
            return new RecheckOutcome(RecheckResult.Failed, retryAt);
        }
        catch
        {
            if (isReminder)
            {
                _alerts!.ReleaseReminder(trigger);
            }

            throw;
        }

        now = _time.GetUtcNow();
        var verdict = GracePeriodDecision.Decide(trigger, snapshot, now, grace);
        if (isReminder)
        {
            return await RemindAsync(trigger, reminder, verdict, now, grace, cancellationToken).ConfigureAwait(false);
        }

        if (verdict != Verdict.Notify)
        {
            return new RecheckOutcome(verdict.ToRecheckResult(), verdict == Verdict.NotYetDue ? dueAt : null);
        }

        var outage = new OutageId(trigger);
        var notification = _formatter.Create(trigger, now, grace);
        switch (await _ledger.TryClaimAsync(outage, notification, cancellationToken).ConfigureAwait(false))
        {
            case LedgerClaim.AlreadyNotified:
                return new RecheckOutcome(RecheckResult.SkippedDuplicate);
            case LedgerClaim.OlderThanNotified:
                return new RecheckOutcome(RecheckResult.SkippedSuperseded);
        }

        _alerts?.BeginSending(trigger);
        try
        {
            if (_alerts is null)
            {
                await _notifiers.SendAsync(notification, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _alerts.SendOfflineAsync(notification, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping mid-send: give the claim back, or the outage could never be notified again.
            _alerts?.AbortSending(trigger);
            await _ledger.ReleaseAsync(outage, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception exception)
        {
            _alerts?.AbortSending(trigger);
            await _ledger.ReleaseAsync(outage, CancellationToken.None).ConfigureAwait(false);
            var retryAt = _time.GetUtcNow() + _options.RetryDelay;
            _metrics.NotificationFailed();
            Log.NotifyFailed(_logger, notification.OutageId, retryAt, exception);
            return new RecheckOutcome(RecheckResult.Failed, retryAt);
        }

        await _ledger.MarkNotifiedAsync(outage, CancellationToken.None).ConfigureAwait(false);
        _metrics.NotificationDelayed(now - dueAt);
        Log.Notified(_logger, notification.OutageId, trigger.ThingName);

        // With reminders on, the scheduler delivers this trigger again when the first one is due, counted from the
        // send (with digests, the batch's), not the decision.
        var firstReminderAt = _alerts is null ? null : await _alerts.OnNotifiedAsync(trigger, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new RecheckOutcome(RecheckResult.Notified, firstReminderAt, notification);
    }

    private async ValueTask<RecheckOutcome> RemindAsync(DisconnectTrigger trigger, int reminder, Verdict verdict, DateTimeOffset now, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (verdict != Verdict.Notify)
        {
            // Back online, or a newer change: the series ends (the connect, when it arrives, brings the recovery).
            _alerts!.EndReminders(trigger, verdict);
            return new RecheckOutcome(verdict.ToRecheckResult());
        }

        var notification = _formatter.CreateReminder(trigger, reminder, now, grace);
        try
        {
            await _alerts!.SendReminderAsync(notification, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _alerts!.ReleaseReminder(trigger);
            var retryAt = _time.GetUtcNow() + _options.RetryDelay;
            _metrics.NotificationFailed();
            Log.NotifyFailed(_logger, notification.NotificationId, retryAt, exception);
            return new RecheckOutcome(RecheckResult.Failed, retryAt);
        }
        catch
        {
            _alerts!.ReleaseReminder(trigger);
            throw;
        }

        _metrics.AlertSent(NotificationKind.Reminder);
        Log.AlertSent(_logger, "reminder", notification.NotificationId);
        return new RecheckOutcome(RecheckResult.Reminded, _alerts.OnReminded(trigger, reminder), notification);
    }
}
