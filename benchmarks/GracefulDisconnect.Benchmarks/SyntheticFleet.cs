using System.Globalization;
using System.Text;

namespace GracefulDisconnect.Benchmarks;

/// <summary>
/// A deterministic flapping fleet written as JSON Lines, the way <c>gracefuldisconnect replay</c> reads it:
/// the three line formats mixed (generic, AWS lifecycle with its extra fields, IoT rule output in seconds);
/// most events received within half a second, 3% received 30 s to 10 min late (so arrival order differs
/// from file order), 1% delivered twice; gaps between a device's changes spread around a 5 minute grace
/// so that reconnects, superseded outages, notifications and duplicates all occur.
/// </summary>
internal static class SyntheticFleet
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>About twenty events per device, so the fleet grows with the input.</summary>
    public static int DevicesFor(int events) => Math.Max(50, events / 20);

    public static string DeviceName(int index) => string.Create(CultureInfo.InvariantCulture, $"device-{index:D6}");

    /// <summary>Exactly <paramref name="events"/> lines, from <paramref name="devices"/> devices (default <see cref="DevicesFor"/>).</summary>
    public static byte[] Generate(int events, int seed = 42, int? devices = null)
    {
        var random = new Random(seed);
        var fleet = devices ?? DevicesFor(events);
        var connected = new bool[fleet];
        var version = new long[fleet];
        Array.Fill(connected, true);

        // Mean per-device gap of 4 minutes against a 5 minute grace: most outages end within the grace, some do not.
        var meanStepTicks = TimeSpan.FromMinutes(4).Ticks / fleet;
        var output = new MemoryStream(events * 180);
        using (var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        {
            var nowTicks = Start.UtcTicks;
            var lines = 0;
            while (lines < events)
            {
                nowTicks += (long)(-Math.Log(1 - random.NextDouble()) * meanStepTicks);
                var device = random.Next(fleet);
                var isConnect = !connected[device];
                connected[device] = isConnect;
                if (isConnect)
                {
                    version[device]++;
                }

                var line = new Line(DeviceName(device), device, isConnect, nowTicks - (nowTicks % TimeSpan.TicksPerMillisecond), version[device], random.Next(3));
                var receivedTicks = line.AtTicks + (random.Next(500) * TimeSpan.TicksPerMillisecond);
                if (random.Next(100) < 3)
                {
                    receivedTicks += TimeSpan.FromSeconds(random.Next(30, 600)).Ticks;
                }

                line.Write(writer, receivedTicks);
                lines++;
                if (lines < events && random.Next(100) == 0)
                {
                    // At-least-once sources deliver some events twice, here up to two minutes later.
                    line.Write(writer, receivedTicks + TimeSpan.FromSeconds(random.Next(1, 120)).Ticks);
                    lines++;
                }
            }
        }

        return output.ToArray();
    }

    private readonly record struct Line(string Name, int Device, bool IsConnect, long AtTicks, long Version, int Format)
    {
        public void Write(StreamWriter writer, long receivedTicks)
        {
            var received = Iso(receivedTicks);
            var connected = IsConnect ? "true" : "false";
            switch (Format)
            {
                case 0:
                    writer.Write(string.Create(CultureInfo.InvariantCulture, $"{{\"thing\":\"{Name}\",\"connected\":{connected},\"at\":\"{Iso(AtTicks)}\",\"version\":{Version},\"receivedAt\":\"{received}\"}}\n"));
                    break;
                case 1:
                    var epochMs = (AtTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
                    writer.Write(string.Create(CultureInfo.InvariantCulture, $"{{\"clientId\":\"{Name}\",\"timestamp\":{epochMs},\"eventType\":\"{(IsConnect ? "connected" : "disconnected")}\",\"sessionIdentifier\":\"00000000-0000-0000-0000-{Device:D12}\",\"principalIdentifier\":\"12345678901234567890123456789012\","));
                    if (!IsConnect)
                    {
                        writer.Write("\"clientInitiatedDisconnect\":false,\"disconnectReason\":\"CONNECTION_LOST\",");
                    }

                    writer.Write(string.Create(CultureInfo.InvariantCulture, $"\"versionNumber\":{Version},\"receivedAt\":\"{received}\"}}\n"));
                    break;
                default:
                    var epochSeconds = (AtTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
                    writer.Write(string.Create(CultureInfo.InvariantCulture, $"{{\"thingName\":\"{Name}\",\"connected\":{connected},\"timestamp\":{epochSeconds},\"receivedAt\":\"{received}\"}}\n"));
                    break;
            }
        }
    }

    private static string Iso(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
