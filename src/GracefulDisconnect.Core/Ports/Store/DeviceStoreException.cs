namespace GracefulDisconnect;

/// <summary>
/// A store could not do what was asked, for a reason a person must see (the file is read-only, not a database, in
/// use by another process, of a newer schema; the server refused the password). The message names the store and
/// the problem, never a secret.
/// </summary>
public sealed class DeviceStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeviceStoreException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the store.</param>
    public DeviceStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the store.</param>
    /// <param name="innerException">The cause.</param>
    public DeviceStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether trying again later may succeed (a full disk, a server restarting) rather than never (a corrupt file).</summary>
    public bool IsTransient { get; init; }
}
