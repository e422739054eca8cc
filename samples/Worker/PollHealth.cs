namespace GracefulDisconnect.Samples.Worker;

/// <summary>What the poll loop last did, for the health check.</summary>
internal sealed class PollHealth(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _lastFailure;
    private string? _lastError;
    private long _received;
    private long _rejected;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public void PollSucceeded(int messages)
    {
        lock (_gate)
        {
            _lastSuccess = time.GetUtcNow();
            _received += messages;
        }
    }

    public void PollFailed(Exception exception)
    {
        lock (_gate)
        {
            _lastFailure = time.GetUtcNow();
            _lastError = $"{exception.GetType().Name}: {exception.Message}";
        }
    }

    public void MessageRejected()
    {
        lock (_gate)
        {
            _rejected++;
        }
    }

    public Snapshot Read()
    {
        lock (_gate)
        {
            return new Snapshot(StartedAt, _lastSuccess, _lastFailure, _lastError, _received, _rejected);
        }
    }

    public readonly record struct Snapshot(
        DateTimeOffset StartedAt,
        DateTimeOffset? LastSuccess,
        DateTimeOffset? LastFailure,
        string? LastError,
        long Received,
        long Rejected);
}
