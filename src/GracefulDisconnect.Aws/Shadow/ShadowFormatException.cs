namespace GracefulDisconnect.Aws;

/// <summary>
/// A Device Shadow does not hold the connection state where it was expected: the attribute is missing,
/// has the wrong type, or its metadata timestamp is absent. The message names the thing and the JSON path.
/// </summary>
public sealed class ShadowFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public ShadowFormatException()
    {
        ThingName = string.Empty;
        JsonPath = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public ShadowFormatException(string message)
        : base(message)
    {
        ThingName = string.Empty;
        JsonPath = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ShadowFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        ThingName = string.Empty;
        JsonPath = string.Empty;
    }

    /// <summary>Creates the exception for a path in a thing's shadow.</summary>
    /// <param name="thingName">The thing.</param>
    /// <param name="jsonPath">The JSON path, for example <c>state.reported.connected</c>.</param>
    /// <param name="problem">What is wrong there.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ShadowFormatException(string thingName, string jsonPath, string problem, Exception? innerException = null)
        : base($"Shadow of thing '{thingName}': '{jsonPath}' {problem}", innerException)
    {
        ThingName = thingName;
        JsonPath = jsonPath;
    }

    /// <summary>The thing whose shadow is malformed.</summary>
    public string ThingName { get; }

    /// <summary>The JSON path that is wrong (<c>$</c> for the document as a whole).</summary>
    public string JsonPath { get; }
}
