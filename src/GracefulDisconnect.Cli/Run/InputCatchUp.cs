namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// Holds re-checks back until <c>run</c> has read what its input had waiting for it. After a restart, a source
/// that kept events while the tool was down (MQTT persistent sessions, a queue, a replaying feeder) delivers them
/// at once; re-checks that came due meanwhile must see them, or a device that came back within its grace while
/// the tool was down would be reported offline. Caught up means: the input ended, or no byte arrived for
/// <see cref="QuietPeriod"/>, and every event read so far has been recorded (a re-check reads the recorded state,
/// not the lines in between); or <see cref="MaxWait"/> passed since the start (a stream that never pauses).
/// </summary>
internal sealed class InputCatchUp(TimeProvider time)
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time = time;
    private ITimer? _maxWait;
    private int _unrecorded;
    private int _inputQuiet;

    public Task CaughtUp => _caughtUp.Task;

    public void StartClock() => _maxWait = _time.CreateTimer(static state => ((InputCatchUp)state!)._caughtUp.TrySetResult(), this, MaxWait, Timeout.InfiniteTimeSpan);

    /// <summary>The process is stopping: re-checks still held are handed back undecided, to run after the next start.</summary>
    public void Stop()
    {
        _stopping.TrySetResult();
        _maxWait?.Dispose();
    }

    /// <summary>An event was read from the input; <see cref="EventRecorded"/> follows once it is recorded.</summary>
    public void EventRead() => Interlocked.Increment(ref _unrecorded);

    /// <summary>An event read from the input has been recorded (or refused).</summary>
    public void EventRecorded()
    {
        if (Interlocked.Decrement(ref _unrecorded) == 0 && Volatile.Read(ref _inputQuiet) == 1)
        {
            _caughtUp.TrySetResult();
        }
    }

    /// <summary>The input ended and every line of it was parsed.</summary>
    public void InputEnded() => InputQuiet();

    // Either side may come last: the input going quiet with nothing left to record, or the last record.
    private void InputQuiet()
    {
        Volatile.Write(ref _inputQuiet, 1);
        if (Volatile.Read(ref _unrecorded) == 0)
        {
            _caughtUp.TrySetResult();
        }
    }

    /// <summary>The input, watched for its end and for a pause.</summary>
    public Stream Watch(Stream input) => new WatchedStream(input, this);

    /// <summary>The handler, holding each re-check until caught up.</summary>
    public IRecheckHandler Gate(IRecheckHandler handler) => new GatedHandler(handler, this);

    private sealed class GatedHandler(IRecheckHandler inner, InputCatchUp catchUp) : IRecheckHandler
    {
        public async ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
        {
            if (!catchUp.CaughtUp.IsCompleted)
            {
                await Task.WhenAny(catchUp.CaughtUp, catchUp._stopping.Task).WaitAsync(cancellationToken);
                if (!catchUp.CaughtUp.IsCompleted)
                {
                    return new RecheckOutcome(RecheckResult.NotYetDue, catchUp._time.GetUtcNow());
                }
            }

            return await inner.RecheckAsync(trigger, cancellationToken);
        }
    }

    private sealed class WatchedStream(Stream inner, InputCatchUp catchUp) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = inner.ReadAsync(buffer, cancellationToken).AsTask();
            if (!read.IsCompleted && !catchUp.CaughtUp.IsCompleted)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var pause = Task.Delay(QuietPeriod, catchUp._time, quiet.Token);
                if (await Task.WhenAny(read, pause) == pause)
                {
                    catchUp.InputQuiet();
                }

                await quiet.CancelAsync();
            }

            // The end is told by the reader once it has parsed the last line (which may lack its newline).
            return await read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
