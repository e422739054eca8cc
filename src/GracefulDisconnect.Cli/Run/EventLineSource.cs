using System.Globalization;
using GracefulDisconnect.Aws;
using GracefulDisconnect.Cli.Replay;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// Reads JSON Lines events as they arrive and records them in batches, each batch one commit before the next read
/// (back-pressure: the reader is never more than one batch ahead of the store, whatever the input's rate, so memory
/// stays bounded and a kill -9 loses at most the batch being recorded). A stream's batch is what one read brought; a
/// file's (all backlog, never waiting) grows to <see cref="MaxFileBatch"/> events first. Tells the engine up to when everything that arrived is recorded
/// (<see cref="Watermark"/>), so a re-check waits for a reconnect that arrived with its disconnect.
/// </summary>
internal sealed class EventLineSource(TextWriter error, DeviceEngine engine, TimeProvider time)
{
    // How far ahead of this machine's clock an event may be dated (device clocks drift). Later than that is a
    // wrong clock or a hostile line: recorded, it would hide every real change of the thing until that date;
    // scheduled, it would stay pending that long (and --exit-when-idle would never exit).
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many events of a file go in one commit, at most. A commit writes every store page its batch touched, once
    /// per device however many of the device's events the batch holds: the more events a batch has per device, the
    /// less each costs (SQLite, 10⁶ events of 50,000 flapping devices: 36,000 events/s with 3,500 events a commit,
    /// 86,000 with 32,768, 128,000 with 262,144).
    /// </summary>
    internal const int MaxFileBatch = 262_144;

    /// <summary>
    /// How many distinct devices one commit of a file may hold, at most: what a batch keeps in memory while it is
    /// recorded grows with its devices (their records, changes and messages), not with its events, and a batch of a
    /// new device per event gains nothing from growing (10⁶ events of 500,000 devices: 1.3 GB at 262,144 devices a
    /// commit, no faster).
    /// </summary>
    internal const int MaxFileBatchDevices = 65_536;

    private readonly TimeProvider _time = time;
    private Stream? _file;
    private readonly ThingNamePool _names = new();
    private List<ConnectionEvent> _batch = [];

    // The batch's distinct devices, for MaxFileBatchDevices.
    private readonly HashSet<string> _batchThings = new(StringComparer.Ordinal);

    // After a restart, a source that kept events while we were down (an MQTT session, a queue, a replaying feeder)
    // takes a moment to deliver them: until the input has been quiet this long (or ended), re-checks that came due
    // meanwhile wait for them, or a device that came back within its grace while we were down would be reported.
    private static readonly TimeSpan StartQuiet = TimeSpan.FromSeconds(1);

    // A stream that never pauses long enough to catch up (a firehose) holds re-checks back at most this long.
    private static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(10);

    // Everything that arrived before this is recorded; 0 while the reader waits on an empty input with nothing
    // unrecorded (then it is "now"). Nothing is known at the start: a file, or a pipe's backlog, may hold anything.
    private long _watermarkTicks = NothingYet;
    private const long NothingYet = 1;
    private bool _finite;
    private long _waitingSinceTicks;
    private volatile bool _caughtUp;

    /// <summary>Every event that arrived before this time is recorded (the reader is behind by what came since).</summary>
    public DateTimeOffset Watermark
    {
        get
        {
            var now = _time.GetUtcNow();
            var ticks = Interlocked.Read(ref _watermarkTicks);
            if (!_caughtUp)
            {
                // Until the input has been quiet for StartQuiet after a start (or ended), nothing is known: what came
                // due while we were down waits for what the source still has for us.
                if (ticks != 0 || now.UtcTicks - Interlocked.Read(ref _waitingSinceTicks) < StartQuiet.Ticks)
                {
                    return Bounded(new DateTimeOffset(NothingYet, TimeSpan.Zero), now);
                }

                _caughtUp = true;
            }

            return ticks != 0 ? Bounded(new DateTimeOffset(ticks, TimeSpan.Zero), now) : now;
        }
    }

    // A file is read to its end before anything it holds is judged; a stream may be behind MaxHold at most.
    private DateTimeOffset Bounded(DateTimeOffset behind, DateTimeOffset now)
        => _finite || behind > now - MaxHold ? behind : now - MaxHold;

    /// <summary>Reads the input to its end, recording as it goes.</summary>
    /// <exception cref="DeviceStoreException">The store failed in a way retrying cannot mend.</exception>
    public async Task ReadAsync(Stream input, CancellationToken cancellationToken)
    {
        _finite = input.CanSeek;
        _file = input.CanSeek ? input : null;
        await JsonLineReader.ReadAsync(new WatchedInput(input, this), OnLine, OnOversized, RecordBatchAsync, cancellationToken).ConfigureAwait(false);
        await RecordBatchAsync(cancellationToken).ConfigureAwait(false);

        // The end: nothing more can arrive.
        _caughtUp = true;
        Interlocked.Exchange(ref _watermarkTicks, 0);
    }

    // The reader found the input empty with everything before recorded: until bytes arrive, the watermark is now.
    private void Waiting(long sinceTicks)
    {
        Interlocked.Exchange(ref _waitingSinceTicks, sinceTicks);
        Interlocked.Exchange(ref _watermarkTicks, 0);
    }

    // Bytes arrived after a wait that began at `since` (at the earliest, the moment it began): what came before is recorded.
    private void Woken(long sinceTicks) => Interlocked.Exchange(ref _watermarkTicks, sinceTicks);

    private bool OnLine(long lineNumber, ReadOnlySpan<byte> line)
    {
        try
        {
            var connectionEvent = ConnectionEventParser.Parse(line, _names);
            if (connectionEvent.At > _time.GetUtcNow() + MaxClockSkew)
            {
                error.WriteLine($"line {lineNumber}: the event time {connectionEvent.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} is more than {MaxClockSkew.TotalHours:0} h ahead of this machine's clock; skipped");
                return true;
            }

            if (!ThingName.IsValid(connectionEvent.ThingName, out var problem))
            {
                error.WriteLine($"line {lineNumber}: thing name {problem}; skipped");
                return true;
            }

            // The time of arrival is ours, whatever the line says: a receivedAt field models delivery in replay only.
            _batch.Add(connectionEvent with { ReceivedAt = null });
            if (_file is not null)
            {
                _batchThings.Add(connectionEvent.ThingName);
            }
        }
        catch (ConnectionEventFormatException exception)
        {
            error.WriteLine($"line {lineNumber}: {exception.Message}");
        }

        return true;
    }

    private bool OnOversized(long lineNumber)
    {
        error.WriteLine($"line {lineNumber}: line is longer than {JsonLineReader.MaxLineBytes} bytes; skipped");
        return true;
    }

    // Records the batch (a stream's last read, or a file's reads up to MaxFileBatch), retrying a full disk or a busy file with backoff: nothing read is dropped,
    // and the reader waits meanwhile.
    private async ValueTask RecordBatchAsync(CancellationToken cancellationToken)
    {
        if (_file is { } file && _batch.Count < MaxFileBatch && _batchThings.Count < MaxFileBatchDevices && file.Position < file.Length)
        {
            // The next read of a file never waits: let the batch grow.
            return;
        }

        if (_batch.Count > 0)
        {
            var batch = _batch;
            _batch = new List<ConnectionEvent>(batch.Count);
            _batchThings.Clear();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await engine.RecordAsync(batch, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (DeviceStoreException exception) when (exception.IsTransient)
                {
                    var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(attempt, 10))));
                    await error.WriteLineAsync($"run: {exception.Message} (attempt {attempt}; {batch.Count} events wait, none is lost)").ConfigureAwait(false);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// The input, watched for the reader waiting on it: a read that does not complete at once found the input empty.
    /// A regular file never waits until its end (it is all backlog); a pipe does whenever the writer is behind.
    /// </summary>
    private sealed class WatchedInput(Stream inner, EventLineSource source) : Stream
    {
        private static readonly TimeSpan WaitingAfter = TimeSpan.FromMilliseconds(20);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = inner.ReadAsync(buffer, cancellationToken);
            if (read.IsCompleted || inner.CanSeek)
            {
                return await read.ConfigureAwait(false);
            }

            // A read of a pipe may run on another thread even when bytes are waiting: it counts as a wait only when
            // nothing came for a moment.
            var since = source._time.GetUtcNow().UtcTicks;
            var reading = read.AsTask();
            if (await Task.WhenAny(reading, Task.Delay(WaitingAfter, source._time, CancellationToken.None)).ConfigureAwait(false) != reading)
            {
                source.Waiting(since);
            }

            var count = await reading.ConfigureAwait(false);
            if (count > 0)
            {
                source.Woken(since);
            }

            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
