namespace GracefulDisconnect.Samples.Lambda;

/// <summary>
/// A due re-check could not read the shadow or publish (after the adapters' own retries). The record is
/// reported as a batch item failure: SQS delivers it again after the visibility timeout, and after
/// <c>maxReceiveCount</c> attempts moves it to the dead-letter queue with its body intact.
/// </summary>
public sealed class RecheckFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RecheckFailedException()
        : this("A re-check failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public RecheckFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public RecheckFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
