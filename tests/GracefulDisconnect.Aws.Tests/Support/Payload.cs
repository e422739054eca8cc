namespace GracefulDisconnect.Aws.Tests;

/// <summary>The sample payloads (copies of shared/payloads) next to the test assembly.</summary>
internal static class Payload
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name));

    /// <summary>The body of a recorded HTTP response sample (everything after the blank line).</summary>
    public static string HttpBody(string name)
    {
        var text = Read(name).Replace("\r\n", "\n");
        return text[(text.IndexOf("\n\n", StringComparison.Ordinal) + 2)..].Trim();
    }
}
