using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace GracefulDisconnect.Sqlite.Tests.State;

/// <summary>
/// Whatever order a thing's events arrive in, the stored state is the latest of them by (event time,
/// version with none first, disconnect after connect): the rule the replay tool uses for the state source.
/// </summary>
public sealed class ConnectionStateOrderProperties : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = TestProcess.Epoch;
    private readonly TempDatabase _database = new();
    private TestProcess _process = null!;
    private int _cases;

    public Task InitializeAsync()
    {
        _process = TestProcess.Create(_database.Path);
        return Task.CompletedTask;
    }

    // xunit calls this first, then Dispose.
    public async Task DisposeAsync() => await _process.DisposeAsync();

    public void Dispose() => _database.Dispose();

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 200)]
    public async Task<Property> RecordAsync_EventsInAnyOrder_StoresTheLatest(GeneratedEvent[] arrivalOrder)
    {
        var thing = $"t{Interlocked.Increment(ref _cases)}";
        foreach (var generated in arrivalOrder)
        {
            await _process.Recorder.RecordAsync(generated.ToEvent(thing));
        }

        var latest = arrivalOrder.MaxBy(e => (e.AtTicks, e.Version ?? long.MinValue, !e.Connected))!;
        var expected = new ConnectionSnapshot(latest.Connected, T0.AddTicks(latest.AtTicks), latest.Version);
        var stored = await _process.Reader.ReadAsync(thing);
        return (stored == expected).Label($"stored {stored}, expected {expected}");
    }

    public sealed record GeneratedEvent(bool Connected, long AtTicks, long? Version)
    {
        public ConnectionEvent ToEvent(string thing) => new(thing, Connected, T0.AddTicks(AtTicks), Version);
    }

    public static class Arbitraries
    {
        // Few distinct times and versions, so ties on time and on version are common.
        private static readonly Gen<GeneratedEvent> EventGen =
            from connected in Gen.Elements(true, false)
            from seconds in Gen.Choose(0, 3)
            from millis in Gen.Elements(0, 451)
            from version in Gen.Elements<long?>(null, 0, 1, 2)
            select new GeneratedEvent(connected, (seconds * TimeSpan.TicksPerSecond) + (millis * TimeSpan.TicksPerMillisecond), version);

        public static Arbitrary<GeneratedEvent[]> Events() => Gen.NonEmptyListOf(EventGen).Select(events => events.ToArray()).ToArbitrary();
    }
}
