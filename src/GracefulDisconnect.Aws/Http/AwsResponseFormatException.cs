namespace GracefulDisconnect.Aws;

/// <summary>
/// An AWS IoT control-plane answer (<c>GetThingConnectivityData</c>, <c>SearchIndex</c>) is not what the
/// service model describes; the message names the operation, the resource and the JSON path.
/// </summary>
public sealed class AwsResponseFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public AwsResponseFormatException()
        : this("An AWS answer is malformed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public AwsResponseFormatException(string message)
        : base(message)
    {
        Operation = string.Empty;
        Resource = string.Empty;
        JsonPath = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AwsResponseFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = string.Empty;
        Resource = string.Empty;
        JsonPath = string.Empty;
    }

    /// <summary>Creates the exception for one field of an answer.</summary>
    /// <param name="operation">The API operation, for example <c>GetThingConnectivityData</c>.</param>
    /// <param name="resource">What it was about, for example <c>thing 'greenhouse-pi-3'</c>.</param>
    /// <param name="jsonPath">Where in the answer, for example <c>things[3].connectivity.timestamp</c>.</param>
    /// <param name="problem">What is wrong there.</param>
    /// <param name="innerException">The cause, if any.</param>
    public AwsResponseFormatException(string operation, string resource, string jsonPath, string problem, Exception? innerException = null)
        : base($"{operation} for {resource}: '{jsonPath}' {problem}", innerException)
    {
        Operation = operation;
        Resource = resource;
        JsonPath = jsonPath;
    }

    /// <summary>The API operation.</summary>
    public string Operation { get; }

    /// <summary>What the request was about.</summary>
    public string Resource { get; }

    /// <summary>The JSON path of the offending value (<c>$</c> for the whole answer).</summary>
    public string JsonPath { get; }
}
