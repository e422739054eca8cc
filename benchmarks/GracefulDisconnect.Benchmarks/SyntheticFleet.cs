using System.Globalization;
using System.Text;

namespace GracefulDisconnect.Benchmarks;

/// <summary>
/// A deterministic flapping fleet written as JSON Lines, the way <c>gracefuldisconnect replay</c> reads it:
/// the three line formats mixed, most events received within half a second, a few received minutes late
/// (so arrival order differs from file order), and gaps between a device's changes spread around a
/// 5 minute grace so that every verdict occurs.
/// </summary>
internal static class SyntheticFleet
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>About twenty events per device, so the fleet grows with the input.</summary>
    public static int DevicesFor(int events) => Math.Max(50, events / 20);

    public static string DeviceName(int index) => string.Create(CultureInfo.InvariantCulture, $"device-{index:D6}");

    public static byte[] Generate(int events, int seed = 42)
    {
        var random = new Random(seed);
        var devices = DevicesFor(events);
        var connected = new bool[devices];
        var version = new long[devices];
        Array.Fill(connected, true);

        // Mean per-device gap of 4 minutes against a 5 minute grace: most outages end within the grace, some do not.
        var meanStepTicks = TimeSpan.FromMinutes(4).Ticks / devices;
        var builder = new StringBuilder(events * 140);
        var nowTicks = Start.UtcTicks;
        for (var i = 0; i < events; i++)
        {
            nowTicks += (long)(-Math.Log(1 - random.NextDouble()) * meanStepTicks);
            var device = random.Next(devices);
            var isConnect = !connected[device];
            connected[device] = isConnect;
            if (isConnect)
            {
                version[device]++;
            }

            var atTicks = nowTicks - (nowTicks % TimeSpan.TicksPerMillisecond);
            var receivedTicks = atTicks + (random.Next(500) * TimeSpan.TicksPerMillisecond);
            if (random.Next(100) < 3)
            {
                receivedTicks += TimeSpan.FromSeconds(random.Next(30, 600)).Ticks;
            }

            var name = DeviceName(device);
            var received = Iso(receivedTicks);
            switch (random.Next(3))
            {
                case 0:
                    builder.Append(CultureInfo.InvariantCulture, $"{{\"thing\":\"{name}\",\"connected\":{(isConnect ? "true" : "false")},\"at\":\"{Iso(atTicks)}\",\"version\":{version[device]},\"receivedAt\":\"{received}\"}}\n");
                    break;
                case 1:
                    var epochMs = (atTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
                    builder.Append(CultureInfo.InvariantCulture, $"{{\"clientId\":\"{name}\",\"timestamp\":{epochMs},\"eventType\":\"{(isConnect ? "connected" : "disconnected")}\",\"sessionIdentifier\":\"00000000-0000-0000-0000-{device:D12}\",\"principalIdentifier\":\"12345678901234567890123456789012\",");
                    if (!isConnect)
                    {
                        builder.Append("\"clientInitiatedDisconnect\":false,\"disconnectReason\":\"CONNECTION_LOST\",");
                    }

                    builder.Append(CultureInfo.InvariantCulture, $"\"versionNumber\":{version[device]},\"receivedAt\":\"{received}\"}}\n");
                    break;
                default:
                    var epochSeconds = (atTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
                    builder.Append(CultureInfo.InvariantCulture, $"{{\"thingName\":\"{name}\",\"connected\":{(isConnect ? "true" : "false")},\"timestamp\":{epochSeconds},\"receivedAt\":\"{received}\"}}\n");
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static string Iso(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
