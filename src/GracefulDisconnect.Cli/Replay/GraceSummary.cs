using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Cli.Replay;

/// <summary>What one grace period would have done to a fleet: outages seen, notifications, skips by reason, detection delay.</summary>
internal sealed class GraceSummary : IReplaySink
{
    private readonly HashSet<OutageId> _outages = [];
    private readonly List<long> _notifyDelayTicks = [];
    private readonly int[] _results = new int[Enum.GetValues<RecheckResult>().Length];
    private readonly int[] _alerts = new int[Enum.GetValues<NotificationKind>().Length];

    public GraceSummary(TimeSpan gracePeriod) => GracePeriod = gracePeriod;

    public TimeSpan GracePeriod { get; }

    public int Outages => _outages.Count;

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
        _results[(int)decision.Result]++;
        _outages.Add(new OutageId(decision.ThingName, decision.OfflineSince));
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
