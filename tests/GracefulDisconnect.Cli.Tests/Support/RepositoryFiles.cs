namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>Files of the repository itself (READMEs, project files, samples), found from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GracefulDisconnect.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("GracefulDisconnect.sln not found above " + AppContext.BaseDirectory);
    }
}
