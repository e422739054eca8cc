using System.Reflection;
using PublicApiGenerator;

namespace GracefulDisconnect.PublicApi.Tests;

/// <summary>
/// Each package's public surface against its checked-in baseline, <c>src/&lt;package&gt;/PublicAPI.txt</c>: a change
/// to what users compile against (a type, member, signature or attribute added, removed or renamed) fails here
/// until the baseline is updated in the same commit, so every API change is reviewed as a diff of that file.
/// </summary>
public sealed class PublicApiBaselineTests
{
    /// <summary>Set to 1 to write the current surfaces as the new baselines (then review them with <c>git diff</c>).</summary>
    private const string AcceptVariable = "GRACEFULDISCONNECT_ACCEPT_API";

    private static readonly string[] PackageNames =
    [
        "GracefulDisconnect.Core",
        "GracefulDisconnect.Aws",
        "GracefulDisconnect.DynamoDb",
        "GracefulDisconnect.Email",
        "GracefulDisconnect.Mqtt",
        "GracefulDisconnect.PostgreSql",
        "GracefulDisconnect.Sqlite",
        "GracefulDisconnect.Webhooks",
    ];

    public static TheoryData<string> Packages() => new(PackageNames);

    [Theory]
    [MemberData(nameof(Packages))]
    public void Public_api_matches_its_baseline(string package)
    {
        var current = Surface(package);
        var baselinePath = Path.Combine(RepositoryRoot(), "src", package, "PublicAPI.txt");
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(baselinePath, current);
        }

        Assert.True(File.Exists(baselinePath), $"{package} has no API baseline at {baselinePath}; run the tests with {AcceptVariable}=1 to create it.");
        var baseline = File.ReadAllText(baselinePath).ReplaceLineEndings("\n");
        if (baseline != current)
        {
            Assert.Fail($"The public API of {package} differs from {baselinePath}:\n{FirstDifference(baseline, current)}\n"
                + $"If the change is intended, run `{AcceptVariable}=1 dotnet test tests/GracefulDisconnect.PublicApi.Tests` and commit the updated baseline.");
        }
    }

    // The generator leaves out System.* and Microsoft.* namespaces by default; ours put their registration extensions
    // in Microsoft.Extensions.DependencyInjection (the convention), and those are public API like the rest.
    private static string Surface(string package)
        => Assembly.Load(package)
            .GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false, AllowNamespacePrefixes = ["Microsoft", "System"] })
            .ReplaceLineEndings("\n");

    // The first differing line of each side, with its line number: enough to find the change without a diff tool.
    private static string FirstDifference(string baseline, string current)
    {
        var expected = baseline.Split('\n');
        var actual = current.Split('\n');
        for (var line = 0; line < Math.Max(expected.Length, actual.Length); line++)
        {
            var was = line < expected.Length ? expected[line] : "(end of file)";
            var now = line < actual.Length ? actual[line] : "(end of file)";
            if (was != now)
            {
                return $"line {line + 1}:\n  baseline: {was.Trim()}\n  now:      {now.Trim()}";
            }
        }

        return "(only line endings differ)";
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GracefulDisconnect.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"GracefulDisconnect.sln not found above {AppContext.BaseDirectory}");
    }
}
