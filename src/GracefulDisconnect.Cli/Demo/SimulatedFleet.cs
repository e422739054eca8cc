namespace GracefulDisconnect.Cli.Demo;

/// <summary>
/// A fleet of pretend devices, and the state source the engine reads at re-check time. Most drops are
/// short flaps (a Wi-Fi blip, a broker restart); some are real outages that outlast the grace period;
/// now and then a disconnect event is delivered twice, as at-least-once brokers do.
/// </summary>
internal sealed class SimulatedFleet : IShadowReader
{
    private readonly Lock _gate = new();
    private readonly Device[] _devices;
    private readonly Random _random;
    private readonly TimeSpan _grace;

    public SimulatedFleet(int things, TimeSpan grace, int seed)
    {
        _random = new Random(seed);
        _grace = grace;
        _devices = [.. Enumerable.Range(1, things).Select(i => new Device($"device-{i:D2}"))];
    }

    public ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var device = Array.Find(_devices, d => d.Name == thingName);
            return ValueTask.FromResult<ConnectionSnapshot?>(device is null ? null : new ConnectionSnapshot(device.Connected, device.ChangedAt));
        }
    }

    /// <summary>Advances the fleet to <paramref name="now"/> and returns what happened, in order.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="elapsed">Time since the previous step.</param>
    /// <param name="allowDrops">Whether connected devices may still drop (false while the demo winds down).</param>
    public IReadOnlyList<ConnectionEvent> Step(DateTimeOffset now, TimeSpan elapsed, bool allowDrops)
    {
        var events = new List<ConnectionEvent>();
        lock (_gate)
        {
            foreach (var device in _devices)
            {
                if (!device.Connected && now >= device.BackAt)
                {
                    device.Connected = true;
                    device.ChangedAt = now;
                    events.Add(new ConnectionEvent(device.Name, true, now));
                }
                else if (device.Connected && allowDrops && _random.NextDouble() < elapsed.TotalSeconds / 8)
                {
                    // One drop in five is a real outage; the rest come back well within the grace period.
                    var offlineFor = _random.NextDouble() < 0.2
                        ? _grace * (1.5 + _random.NextDouble())
                        : _grace * (0.1 + (0.6 * _random.NextDouble()));
                    device.Connected = false;
                    device.ChangedAt = now;
                    device.BackAt = now + offlineFor;
                    events.Add(new ConnectionEvent(device.Name, false, now));
                    if (_random.NextDouble() < 0.1)
                    {
                        events.Add(new ConnectionEvent(device.Name, false, now));
                    }
                }
            }
        }

        return events;
    }

    private sealed class Device(string name)
    {
        public string Name { get; } = name;

        public bool Connected { get; set; } = true;

        public DateTimeOffset ChangedAt { get; set; }

        public DateTimeOffset BackAt { get; set; }
    }
}
