namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>What one run of the command line left behind.</summary>
internal sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Standard output split into lines, without the final empty one.</summary>
    public string[] OutLines => SplitLines(StdOut);

    /// <summary>Standard error split into lines, without the final empty one.</summary>
    public string[] ErrLines => SplitLines(StdErr);

    private static string[] SplitLines(string text)
        => text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}--- stderr\n{StdErr}";
}
