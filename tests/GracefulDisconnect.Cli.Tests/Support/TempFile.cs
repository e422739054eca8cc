namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>A file in the temp directory that is deleted when the test is done with it.</summary>
internal sealed class TempFile : IDisposable
{
    private TempFile(string path) => Path = path;

    public string Path { get; }

    public static TempFile WithBytes(byte[] content)
    {
        var file = new TempFile(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gd-cli-tests-{Guid.NewGuid():N}.jsonl"));
        File.WriteAllBytes(file.Path, content);
        return file;
    }

    public static TempFile WithLines(IEnumerable<string> lines)
        => WithBytes(System.Text.Encoding.UTF8.GetBytes(string.Concat(lines.Select(line => line + "\n"))));

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless.
        }
    }
}
