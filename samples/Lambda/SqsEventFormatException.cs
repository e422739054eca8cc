namespace GracefulDisconnect.Samples.Lambda;

/// <summary>
/// The invocation's input is neither an SQS event nor a scheduled event (not JSON, no <c>Records</c>, a record
/// without <c>messageId</c>). Nothing was processed: the function fails the invocation and Lambda retries the batch.
/// </summary>
public sealed class SqsEventFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public SqsEventFormatException()
        : this("The input is not an SQS event.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public SqsEventFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SqsEventFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
