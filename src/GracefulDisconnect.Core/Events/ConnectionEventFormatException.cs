namespace GracefulDisconnect;

/// <summary>
/// The one exception every event parser throws for malformed input. The message names the field that
/// is wrong; it never echoes the whole payload, which may be large or hold secrets.
/// </summary>
public sealed class ConnectionEventFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionEventFormatException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public ConnectionEventFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ConnectionEventFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a named field.</summary>
    /// <param name="field">The JSON field (or path) that is wrong; <see langword="null"/> when the payload as a whole is.</param>
    /// <param name="message">What is wrong.</param>
    public ConnectionEventFormatException(string? field, string message)
        : base(field is null ? message : $"'{field}': {message}")
    {
        Field = field;
    }

    /// <summary>Creates the exception for a named field, with its cause.</summary>
    /// <param name="field">The JSON field (or path) that is wrong; <see langword="null"/> when the payload as a whole is.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ConnectionEventFormatException(string? field, string message, Exception innerException)
        : base(field is null ? message : $"'{field}': {message}", innerException)
    {
        Field = field;
    }

    /// <summary>The JSON field (or path) that is wrong, when one field is to blame.</summary>
    public string? Field { get; }
}
