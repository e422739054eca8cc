using System.Runtime.InteropServices;

namespace GracefulDisconnect;

/// <summary>
/// Tells when a device starts flapping: at least <see cref="FlapThreshold.Disconnects"/> distinct disconnects inside
/// a sliding <see cref="FlapThreshold.Window"/>, once per episode; a device flaps again only after a quiet window
/// without disconnects. The reference flow never speaks about such a device: it never stays down for a grace period.
/// Thread-safe; memory is kept only for devices that disconnected within their window.
/// </summary>
public sealed class FlapDetector
{
    private const int SweepEvery = 4096;

    private readonly Func<string, FlapThreshold?> _thresholdFor;
    private readonly TimeProvider? _time;
    private readonly Dictionary<string, FlapState> _things = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _sinceSweep;

    /// <summary>Creates a detector with one threshold for every device.</summary>
    /// <param name="threshold">The threshold.</param>
    /// <exception cref="ArgumentException">The threshold is out of range.</exception>
    public FlapDetector(FlapThreshold threshold)
        : this(_ => threshold)
    {
        if (!threshold.IsValid(out var problem))
        {
            throw new ArgumentException(problem, nameof(threshold));
        }
    }

    /// <summary>Creates a detector with a threshold per device.</summary>
    /// <param name="thresholdFor">The threshold of a device, or <see langword="null"/> when it is not watched for flapping. Must return valid thresholds.</param>
    /// <param name="time">
    /// The clock that decides when a device has been quiet long enough to be forgotten. Without one, the latest
    /// disconnect's own time is taken, so a single disconnect dated far in the future (a wrong device clock) can make
    /// it forget devices in the middle of an episode.
    /// </param>
    public FlapDetector(Func<string, FlapThreshold?> thresholdFor, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(thresholdFor);
        _thresholdFor = thresholdFor;
        _time = time;
    }

    /// <summary>How many devices the detector currently remembers.</summary>
    public int TrackedThings
    {
        get
        {
            lock (_lock)
            {
                return _things.Count;
            }
        }
    }

    /// <summary>Records a disconnect (duplicates and late deliveries welcome).</summary>
    /// <param name="thingName">The device.</param>
    /// <param name="disconnectedAt">When it disconnected, by the source.</param>
    /// <returns>How many disconnects are inside the window when this one starts a flapping episode; 0 otherwise.</returns>
    public int OnDisconnect(string thingName, DateTimeOffset disconnectedAt)
    {
        ArgumentNullException.ThrowIfNull(thingName);
        if (_thresholdFor(thingName) is not { } threshold)
        {
            return 0;
        }

        var atTicks = disconnectedAt.UtcTicks;
        lock (_lock)
        {
            ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_things, thingName, out _);
            var disconnects = state.OnDisconnect(atTicks, threshold);
            if (++_sinceSweep >= SweepEvery)
            {
                _sinceSweep = 0;
                Sweep(_time?.GetUtcNow().UtcTicks ?? atTicks);
            }

            return disconnects;
        }
    }

    // A device quiet for a whole window is in the same state as one never seen: forgetting it loses nothing.
    private void Sweep(long nowTicks)
    {
        List<string>? quiet = null;
        foreach (var (thing, state) in _things)
        {
            if (_thresholdFor(thing) is not { } threshold || nowTicks - state.LatestTicks >= threshold.Window.Ticks)
            {
                (quiet ??= []).Add(thing);
            }
        }

        foreach (var thing in quiet ?? [])
        {
            _things.Remove(thing);
        }
    }
}
