using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Cli.Replay;

/// <summary>
/// What one grace period would have done to a fleet: outages seen, each outage's verdict, the extra
/// re-checks of outages already decided, and the detection delay of the notified ones.
/// </summary>
internal sealed class GraceSummary : IReplaySink
{
    // One verdict per outage, so the verdict columns add up to the outages: a disconnect delivered twice
    // is re-checked twice, and its second re-check (skip-duplicate after a notify, or the same skip again)
    // is counted apart instead of as a second outage's verdict.
    private readonly Dictionary<OutageId, RecheckResult> _verdicts = [];
    private readonly List<long> _notifyDelayTicks = [];
    private readonly int[] _results = new int[Enum.GetValues<RecheckResult>().Length];
    private readonly int[] _alerts = new int[Enum.GetValues<NotificationKind>().Length];

    public GraceSummary(TimeSpan gracePeriod) => GracePeriod = gracePeriod;

    public TimeSpan GracePeriod { get; }

    /// <summary>Distinct outages decided: a thing and the second it went offline.</summary>
    public int Outages => _verdicts.Count;

    /// <summary>
    /// Outages with this verdict; for <see cref="RecheckResult.SkippedDuplicate"/>, the re-checks of an
    /// outage that already had its verdict (on top of <see cref="Outages"/>).
    /// </summary>
    public int Count(RecheckResult result) => _results[(int)result];

    /// <summary>How many alerts of a kind were sent (the notify decisions sent on their own for <see cref="NotificationKind.Offline"/>).</summary>
    public int Count(NotificationKind kind) => _alerts[(int)kind];

    /// <summary>Notify decisions folded into a digest instead of being sent on their own.</summary>
    public int FoldedIntoDigest { get; private set; }

    /// <summary>Every message the settings would have sent: notifications on their own plus every alert.</summary>
    public int Messages => _alerts.Sum();

    public void OnNotification(in ReplayNotification notification) => _alerts[(int)notification.Kind]++;

    public void OnDecision(in ReplayDecision decision)
    {
        var outage = new OutageId(decision.ThingName, decision.OfflineSince);
        if (_verdicts.TryGetValue(outage, out var verdict))
        {
            _results[(int)RecheckResult.SkippedDuplicate]++;
            if (decision.Result != RecheckResult.Notified || verdict == RecheckResult.Notified)
            {
                return;
            }

            // A notify after a skip of the same outage (not seen in practice: the state that skipped
            // it does not go back) still makes it a notified outage, and the skip the duplicate.
            _results[(int)verdict]--;
        }
        else if (decision.Result == RecheckResult.SkippedDuplicate)
        {
            // An outage older than one already notified is over (a disconnect that arrived after a newer
            // one): nothing new to decide about it, so it is a duplicate and not an outage of its own.
            _results[(int)RecheckResult.SkippedDuplicate]++;
            return;
        }

        _verdicts[outage] = decision.Result;
        _results[(int)decision.Result]++;
        if (decision.Result == RecheckResult.Notified)
        {
            _notifyDelayTicks.Add((decision.DecidedAt - decision.OfflineSince).Ticks);
            if (decision.FoldedIntoDigest)
            {
                FoldedIntoDigest++;
            }
            else
            {
                _alerts[(int)NotificationKind.Offline]++;
            }
        }
    }

    /// <summary>The detection delay (notification time minus outage start) at a percentile, nearest rank.</summary>
    public TimeSpan? DelayPercentile(double percentile)
    {
        if (_notifyDelayTicks.Count == 0)
        {
            return null;
        }

        _notifyDelayTicks.Sort();
        var rank = (int)Math.Ceiling(percentile / 100 * _notifyDelayTicks.Count);
        return TimeSpan.FromTicks(_notifyDelayTicks[Math.Clamp(rank, 1, _notifyDelayTicks.Count) - 1]);
    }
}
