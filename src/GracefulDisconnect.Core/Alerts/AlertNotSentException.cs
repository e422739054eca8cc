namespace GracefulDisconnect;

/// <summary>
/// Thrown by <see cref="DisconnectMonitor.OnEventAsync"/> and <see cref="DisconnectMonitor.OnDisconnectAsync"/> when
/// an opt-in notification (recovered, flapping) could not be sent through every channel after all attempts. The
/// event itself was handled (its re-check is scheduled); the notification is kept in this process and sent again with
/// the next event of the same device, so an at-least-once event source should deliver the event again (leave the
/// message on the queue) rather than drop it.
/// </summary>
public sealed class AlertNotSentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AlertNotSentException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was not sent.</param>
    public AlertNotSentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the notifier's failure.</summary>
    /// <param name="message">What was not sent.</param>
    /// <param name="innerException">The failure of the last attempt.</param>
    public AlertNotSentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
