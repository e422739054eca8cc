namespace GracefulDisconnect.Cli;

/// <summary>The standard streams, injectable so tests can run commands in process.</summary>
/// <param name="Input">Standard input.</param>
/// <param name="Output">Standard output, as bytes (replay writes UTF-8 directly).</param>
/// <param name="Error">Standard error.</param>
/// <param name="OutputIsTerminal">Whether standard output is a terminal (colours are only written to one).</param>
internal sealed record CliIo(Stream Input, Stream Output, TextWriter Error, bool OutputIsTerminal = false)
{
    /// <summary>Whether standard input is a terminal (run then says it is waiting for events typed there).</summary>
    public bool InputIsTerminal { get; init; }

    public static CliIo FromConsole()
        => new(Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error, !Console.IsOutputRedirected) { InputIsTerminal = !Console.IsInputRedirected };
}
