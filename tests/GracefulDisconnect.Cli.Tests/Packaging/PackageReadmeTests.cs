using System.Text.RegularExpressions;
using System.Xml.Linq;
using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Packaging;

// Each package ships its own README to nuget.org, which renders neither links into the repository's tree
// nor Mermaid, and users read there what the package pulls in: these tests keep the READMEs honest.
public class PackageReadmeTests
{
    public static TheoryData<string> Packages()
    {
        var data = new TheoryData<string>();
        // Every package's folder; src/Shared holds linked source, not a package.
        foreach (var project in Directory.GetDirectories(Path.Combine(RepositoryRoot, "src")).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(project, Path.GetFileName(project) + ".csproj")))
            {
                data.Add(Path.GetFileName(project));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Readme_EveryLink_IsAbsolute(string project)
    {
        var relative = Regex.Matches(Readme(project), @"\]\(([^)\s]+)\)")
            .Select(link => link.Groups[1].Value)
            .Where(target => !target.StartsWith("https://", StringComparison.Ordinal))
            .ToList();

        Assert.True(relative.Count == 0, $"{project}/README.md links to {string.Join(", ", relative)}: on nuget.org only absolute https links work.");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Readme_HasNoMermaid(string project)
        => Assert.DoesNotContain("```mermaid", Readme(project), StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Packages))]
    public void Readme_DependenciesSection_NamesEveryReferenceWithItsVersion(string project)
    {
        var section = DependenciesSection(project);
        var versions = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!, StringComparer.Ordinal);
        var csproj = XDocument.Load(Path.Combine(RepositoryRoot, "src", project, project + ".csproj"));

        var missing = new List<string>();
        foreach (var package in csproj.Descendants("PackageReference").Where(p => (string?)p.Attribute("PrivateAssets") != "all"))
        {
            var id = (string)package.Attribute("Include")!;
            if (!section.Contains($"{id} {versions[id]}", StringComparison.Ordinal))
            {
                missing.Add($"{id} {versions[id]}");
            }
        }

        foreach (var reference in csproj.Descendants("ProjectReference"))
        {
            var id = Path.GetFileNameWithoutExtension((string)reference.Attribute("Include")!);
            if (!section.Contains(id, StringComparison.Ordinal))
            {
                missing.Add(id);
            }
        }

        Assert.True(missing.Count == 0, $"{project}/README.md's Dependencies section does not name {string.Join(", ", missing)}.");
    }

    [Fact]
    public void Readme_Tool_DocumentsInstallAndDnx()
    {
        var readme = Readme("GracefulDisconnect.Cli");

        Assert.Contains("dotnet tool install -g GracefulDisconnect.Tool", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet dnx GracefulDisconnect.Tool", readme, StringComparison.Ordinal);
    }

    private static string Readme(string project) => File.ReadAllText(Path.Combine(RepositoryRoot, "src", project, "README.md"));

    private static string DependenciesSection(string project)
    {
        var readme = Readme(project);
        var start = readme.IndexOf("\n## Dependencies", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{project}/README.md has no '## Dependencies' section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }

    private static string RepositoryRoot => RepositoryFiles.Root;
}
