using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Engine;
using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Engine;

using PendingRecheck = GracefulDisconnect.Engine.PendingRecheck;

public class DeviceRecordCodecTests
{
    /// <summary>A generated record (the record type is internal, so the property takes this public wrapper).</summary>
    public sealed class RecordCase
    {
        internal RecordCase(DeviceRecord record) => Record = record;

        internal DeviceRecord Record { get; }

        public override string ToString() => DeviceRecordCodec.Write(Record) + " of " + Record.ThingName;
    }

    public static class Arbitraries
    {
        private static Gen<DateTimeOffset> Instant { get; } = Gen.Frequency(
            (1, Gen.Elements(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch)),
            (6, Gens.Instant));

        private static Gen<ObservedChange?> Last { get; } =
            from present in Gen.Frequency((1, Gen.Constant(false)), (4, Gen.Constant(true)))
            from connected in Gen.Elements(true, false)
            from at in Instant
            from version in Gens.Version
            select present ? new ObservedChange(connected, at, version) : (ObservedChange?)null;

        private static Gen<PendingRecheck?> Pending { get; } =
            from present in Gen.Elements(false, true)
            from at in Instant
            from version in Gens.Version
            from due in Instant
            from recorded in Instant
            select present ? new PendingRecheck(at, version, due, recorded) : (PendingRecheck?)null;

        private static Gen<NotifiedOutage?> Open { get; } =
            from present in Gen.Elements(false, true)
            from at in Instant
            from version in Gens.Version
            from notified in Instant
            from reminders in Gen.Choose(0, 1000)
            from hasNext in Gen.Elements(false, true)
            from next in Instant
            select present ? new NotifiedOutage(at, version, notified, reminders, hasNext ? next : null) : (NotifiedOutage?)null;

        public static Arbitrary<RecordCase> Records() => Arb.From(
            from thing in Gen.Elements("t1", "sensor-42", "ünïcödé/thing", "a\"quoted\"name")
            from last in Last
            from pending in Pending
            from open in Open
            from hasNotified in Gen.Elements(false, true)
            from notified in Gens.Int64(-62_135_596_800, 253_402_300_799)
            from flaps in Gen.Elements(false, true)
            from count in Gen.Choose(0, 6)
            from recent in Gen.ListOf(Gens.Int64(0, DateTimeOffset.MaxValue.UtcTicks), count)
            from latest in Gens.Int64(0, DateTimeOffset.MaxValue.UtcTicks)
            from flapping in Gen.Elements(false, true)
            select new RecordCase(new DeviceRecord(thing)
            {
                Last = last,
                Pending = pending,
                Open = open,
                LastNotifiedOutage = hasNotified ? notified : long.MinValue,
                RecentDisconnects = flaps ? [.. recent.Order()] : [],
                FlapLatest = flaps ? latest : long.MinValue,
                Flapping = flaps && flapping,
            }));
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public void Read_WhatWriteWrote_IsTheSameRecordInEveryField(RecordCase c)
    {
        var record = c.Record;
        var text = DeviceRecordCodec.Write(record);

        var read = DeviceRecordCodec.Read(record.ThingName, text);

        Assert.Equal(record.ThingName, read.ThingName);
        Assert.Equal(record.Last, read.Last);
        Assert.Equal(record.Pending, read.Pending);
        Assert.Equal(record.Open, read.Open);
        Assert.Equal(record.LastNotifiedOutage, read.LastNotifiedOutage);
        Assert.Equal(record.RecentDisconnects, read.RecentDisconnects);
        Assert.Equal(record.FlapLatest, read.FlapLatest);
        Assert.Equal(record.Flapping, read.Flapping);
        Assert.Equal(record.WakeAt, read.WakeAt);

        // Exactly, not just equal as instants: every time is kept in UTC ticks.
        Assert.Equal(record.Pending?.DueAt.UtcTicks, read.Pending?.DueAt.UtcTicks);
        Assert.Equal(text, DeviceRecordCodec.Write(read));
    }

    [Fact]
    public void Read_EmptyRecord_IsEmpty()
    {
        var read = DeviceRecordCodec.Read("t1", DeviceRecordCodec.Write(new DeviceRecord("t1")));

        Assert.True(read.IsEmpty);
        Assert.Equal(long.MinValue, read.LastNotifiedOutage);
    }

    [Fact]
    public void Read_RecordOfSchemaOneAsStoresHoldThem_StillLoads()
    {
        // Written by the schema before silence detection (what SQLite and PostgreSQL stores hold today).
        const string Stored = "{\"s\":1,\"l\":{\"c\":false,\"t\":639029088000000000,\"v\":3},\"o\":{\"t\":639029088000000000,\"v\":3,\"n\":639029091000000000,\"k\":0},\"x\":1767268800}";

        var read = DeviceRecordCodec.Read("t1", Stored);

        Assert.Equal(new ObservedChange(false, new DateTimeOffset(639029088000000000, TimeSpan.Zero), 3), read.Last);
        Assert.Equal(0, read.Open!.Reminders);
        Assert.Null(read.HeardAt);
        Assert.Null(read.Silent);
        Assert.Null(read.SilenceCheckAt);
    }

    [Fact]
    public void Write_WithoutSilence_StaysSchemaOne_WithSilence_RoundTripsAsSchemaTwo()
    {
        var plain = new DeviceRecord("t1") { Last = new ObservedChange(true, Instants.Noon, null) };
        var silent = plain with { HeardAt = Instants.Noon.AddSeconds(1), Silent = new SilentOutage(Instants.Noon.AddSeconds(1), Instants.Noon.AddMinutes(10)) };
        var watched = plain with { HeardAt = Instants.Noon, SilenceCheckAt = Instants.Noon.AddMinutes(10) };

        Assert.StartsWith("{\"s\":1,", DeviceRecordCodec.Write(plain), StringComparison.Ordinal);
        Assert.StartsWith("{\"s\":2,", DeviceRecordCodec.Write(silent), StringComparison.Ordinal);
        Assert.Equal(silent, DeviceRecordCodec.Read("t1", DeviceRecordCodec.Write(silent)));
        Assert.Equal(watched, DeviceRecordCodec.Read("t1", DeviceRecordCodec.Write(watched)));
        Assert.Equal(watched.WakeAt, Instants.Noon.AddMinutes(10));
    }

    [Fact]
    public void Read_NewerSchema_ThrowsFormatExceptionNamingTheThing()
    {
        var newer = DeviceRecordCodec.Write(new DeviceRecord("sensor-7") { Last = new ObservedChange(true, Instants.Noon, 3) }).Replace("\"s\":1", "\"s\":4", StringComparison.Ordinal);

        var exception = Assert.Throws<FormatException>(() => DeviceRecordCodec.Read("sensor-7", newer));

        Assert.Contains("'sensor-7'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("schema 4", exception.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"s\":1,\"l\":{\"t\":5}}")]
    [InlineData("{\"s\":1,\"fl\":5}")]
    [InlineData("{\"s\":\"one\"}")]
    public void Read_Unreadable_ThrowsFormatExceptionNamingTheThing(string state)
    {
        var exception = Assert.Throws<FormatException>(() => DeviceRecordCodec.Read("sensor-7", state));

        Assert.Contains("'sensor-7'", exception.Message, StringComparison.Ordinal);
    }
}
