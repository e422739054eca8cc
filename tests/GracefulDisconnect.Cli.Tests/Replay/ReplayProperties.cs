using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Replay;

/// <summary>
/// Replay on generated small fleets. Each thing alternates between disconnected and connected at
/// distinct whole seconds; some disconnects are delivered twice (possibly in another format); every
/// event has its own arrival time, all distinct, so the arrival order is fully determined by
/// <c>receivedAt</c> and the file order must not matter.
/// </summary>
public sealed class ReplayProperties
{
    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 150)]
    public async Task<bool> Replay_ShuffledFileWithTheSameArrivalTimes_PrintsTheSameDecisions(GeneratedFleet fleet)
    {
        string[] graces = ["--grace", fleet.GraceSeconds + "s", "--grace", "3m"];

        var inArrivalOrder = await InProcessCli.ReplayAsync(fleet.ArrivalOrder.Select(e => e.Line), graces);
        var shuffled = await InProcessCli.ReplayAsync(fleet.FileOrder.Select(e => e.Line), graces);

        return inArrivalOrder.ExitCode == 0 && shuffled.ExitCode == 0 && inArrivalOrder.StdOut == shuffled.StdOut;
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 150)]
    public async Task<Property> Replay_NotifyCount_IsTheOutagesLongerThanTheGraceThatWereReportedWhileStillOffline(GeneratedFleet fleet)
    {
        var result = await InProcessCli.ReplayAsync(fleet.FileOrder.Select(e => e.Line), "--grace", fleet.GraceSeconds + "s");

        var notifies = result.OutLines.Count(line => line.Contains("\"verdict\":\"notify\"", StringComparison.Ordinal));
        var expected = fleet.ExpectedNotifications();
        var disconnectDeliveries = fleet.FileOrder.Count(e => !e.Connected);
        return (result.ExitCode == 0 && notifies == expected && result.OutLines.Length == disconnectDeliveries)
            .Label($"exit {result.ExitCode}, notify {notifies} (expected {expected}), lines {result.OutLines.Length} (expected {disconnectDeliveries})\n{result.StdOut}");
    }

    public sealed record GeneratedEvent(string Thing, bool Connected, long AtEpochSeconds, long ReceivedMs, string Line);

    public sealed record GeneratedFleet(IReadOnlyList<GeneratedEvent> FileOrder, int GraceSeconds)
    {
        public IReadOnlyList<GeneratedEvent> ArrivalOrder => [.. FileOrder.OrderBy(e => e.ReceivedMs)];

        /// <summary>
        /// Computed from the history alone: an outage (a disconnect at D, ended by the thing's next connect
        /// at C, if any) is notified when it lasted longer than the grace (C - D &gt; grace) and one of its
        /// disconnect deliveries arrived while the thing was still offline (arrival &lt; C).
        /// </summary>
        public int ExpectedNotifications()
        {
            var count = 0;
            foreach (var thing in FileOrder.GroupBy(e => e.Thing))
            {
                var changes = thing.GroupBy(e => e.AtEpochSeconds).OrderBy(g => g.Key).ToList();
                for (var i = 0; i < changes.Count; i++)
                {
                    if (changes[i].First().Connected)
                    {
                        continue;
                    }

                    var offlineSinceMs = changes[i].Key * 1000;
                    long? backMs = i + 1 < changes.Count ? changes[i + 1].Key * 1000 : null;
                    var firstArrivalMs = changes[i].Min(e => e.ReceivedMs);
                    if (backMs is not { } back || (back - offlineSinceMs > GraceSeconds * 1000L && firstArrivalMs < back))
                    {
                        count++;
                    }
                }
            }

            return count;
        }

        public override string ToString()
            => $"grace {GraceSeconds}s\n" + string.Join('\n', FileOrder.Select(e => e.Line));
    }

    public static class Arbitraries
    {
        private const long Origin = 1767225600; // 2026-01-01T00:00:00Z

        public static Arbitrary<GeneratedFleet> Fleet() => FleetGen.ToArbitrary();

        private static Gen<GeneratedFleet> FleetGen =>
            from thingCount in Gen.Choose(1, 4)
            from things in Gen.CollectToArray(Enumerable.Range(0, thingCount), i => ThingGen($"t{i}"))
            from grace in Gen.Elements(1, 30, 60, 90, 300, 600)
            let numbered = things.SelectMany(events => events).Select((e, index) => WithArrival(e, index)).ToArray()
            from fileOrder in Gen.Shuffle(numbered)
            select new GeneratedFleet(fileOrder, grace);

        // One thing's alternating history: (connected, at, delivery delay, format) per delivery.
        private static Gen<List<Delivery>> ThingGen(string thing) =>
            from startsConnected in Gen.Elements(true, false)
            from count in Gen.Choose(1, 6)
            from gaps in Gen.ArrayOf(Gen.Choose(1, 900), count)
            from delays in Gen.ArrayOf(Gen.Choose(0, 1200), count)
            from formats in Gen.ArrayOf(Gen.Choose(0, 2), count)
            from duplicates in Gen.ArrayOf(Gen.Frequency((4, Gen.Constant(-1)), (1, Gen.Choose(0, 1200))), count)
            from duplicateFormats in Gen.ArrayOf(Gen.Choose(0, 2), count)
            select Build(thing, startsConnected, gaps, delays, formats, duplicates, duplicateFormats);

        private static List<Delivery> Build(string thing, bool startsConnected, int[] gaps, int[] delays, int[] formats, int[] duplicates, int[] duplicateFormats)
        {
            var deliveries = new List<Delivery>();
            var at = 0L;
            var version = 0L;
            for (var i = 0; i < gaps.Length; i++)
            {
                at += gaps[i];
                var connected = (i % 2 == 0) == startsConnected;
                if (connected)
                {
                    version++;
                }

                deliveries.Add(new Delivery(thing, connected, at, delays[i], formats[i], version));
                if (!connected && duplicates[i] >= 0)
                {
                    deliveries.Add(new Delivery(thing, connected, at, duplicates[i], duplicateFormats[i], version));
                }
            }

            return deliveries;
        }

        // Distinct arrival times: whole seconds of delay, plus the delivery's index in milliseconds (< 1000 deliveries).
        private static GeneratedEvent WithArrival(Delivery d, int index)
        {
            var receivedMs = ((Origin + d.AtSeconds + d.DelaySeconds) * 1000) + index;
            var receivedAt = DateTimeOffset.FromUnixTimeMilliseconds(receivedMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            var epochSeconds = Origin + d.AtSeconds;
            var line = d.Format switch
            {
                0 => $"{{\"thing\":\"{d.Thing}\",\"connected\":{Bool(d.Connected)},\"at\":\"{DateTimeOffset.FromUnixTimeSeconds(epochSeconds):yyyy-MM-dd'T'HH:mm:ss'Z'}\",\"receivedAt\":\"{receivedAt}\"}}",
                1 => $"{{\"clientId\":\"{d.Thing}\",\"timestamp\":{epochSeconds * 1000},\"eventType\":\"{(d.Connected ? "connected" : "disconnected")}\",\"versionNumber\":{d.Version},\"receivedAt\":\"{receivedAt}\"}}",
                _ => $"{{\"thingName\":\"{d.Thing}\",\"connected\":{Bool(d.Connected)},\"timestamp\":{epochSeconds},\"receivedAt\":\"{receivedAt}\"}}",
            };
            return new GeneratedEvent(d.Thing, d.Connected, epochSeconds, receivedMs, line);
        }

        private static string Bool(bool value) => value ? "true" : "false";

        private sealed record Delivery(string Thing, bool Connected, long AtSeconds, int DelaySeconds, int Format, long Version);
    }
}
