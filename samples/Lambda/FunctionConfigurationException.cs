namespace GracefulDisconnect.Samples.Lambda;

/// <summary>
/// The function's configuration is missing or invalid. Thrown at cold start (the runtime reports an init
/// error and no record is touched); the message names the environment variable and what it must be.
/// </summary>
public sealed class FunctionConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FunctionConfigurationException()
        : this("The function's configuration is invalid.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public FunctionConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public FunctionConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an environment variable.</summary>
    /// <param name="variable">The environment variable.</param>
    /// <param name="problem">What is wrong with it.</param>
    public FunctionConfigurationException(string variable, string problem)
        : base($"Environment variable {variable} {problem}.")
    {
        Variable = variable;
    }

    /// <summary>The environment variable at fault, when one is.</summary>
    public string? Variable { get; }
}
