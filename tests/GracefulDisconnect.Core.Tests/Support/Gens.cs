using FsCheck;
using FsCheck.Fluent;

namespace GracefulDisconnect.Tests.Support;

/// <summary>Generators the property tests share.</summary>
internal static class Gens
{
    /// <summary>A uniformly drawn long in [min, max].</summary>
    public static Gen<long> Int64(long min, long max)
    {
        var span = (ulong)(max - min) + 1;
        return Gen.Choose(0, int.MaxValue).SelectMany(
            high => Gen.Choose(0, int.MaxValue),
            (high, low) => span == 0 ? min + (long)(((ulong)high << 31) | (uint)low) : min + (long)((((ulong)high << 31) | (uint)low) % span));
    }

    /// <summary>Instants over the whole range, biased towards the extremes and towards whole seconds and milliseconds.</summary>
    public static Gen<DateTimeOffset> Instant { get; } =
        Gen.Frequency(
            (1, Gen.Elements(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks - 1, DateTimeOffset.UnixEpoch.UtcTicks)),
            (3, Int64(0, DateTimeOffset.MaxValue.UtcTicks)),
            (3, Int64(0, DateTimeOffset.MaxValue.UtcTicks / TimeSpan.TicksPerSecond).Select(s => s * TimeSpan.TicksPerSecond)),
            (3, Int64(0, DateTimeOffset.MaxValue.UtcTicks / TimeSpan.TicksPerMillisecond).Select(ms => ms * TimeSpan.TicksPerMillisecond)))
        .Select(ticks => new DateTimeOffset(ticks, TimeSpan.Zero));

    /// <summary>Non-negative grace periods, including zero and <see cref="TimeSpan.MaxValue"/>.</summary>
    public static Gen<TimeSpan> Grace { get; } =
        Gen.Frequency(
            (1, Gen.Elements(0L, 1L, TimeSpan.MaxValue.Ticks, TimeSpan.FromDays(30).Ticks)),
            (4, Int64(0, TimeSpan.TicksPerDay * 31)),
            (1, Int64(0, TimeSpan.MaxValue.Ticks)))
        .Select(TimeSpan.FromTicks);

    public static Gen<long?> Version { get; } = Gen.Frequency(
        (1, Gen.Constant<long?>(null)),
        (3, Gen.Choose(0, 5).Select(v => (long?)v)));
}
