using System.Text;
using System.Text.Json;
using GracefulDisconnect.Cli.Replay;
using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Cli.Tests.Replay;

public sealed class JsonLinesDecisionWriterTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(RecheckResult.Notified, "notify")]
    [InlineData(RecheckResult.SkippedReconnected, "skip-reconnected")]
    [InlineData(RecheckResult.SkippedSuperseded, "skip-superseded")]
    [InlineData(RecheckResult.SkippedDuplicate, "skip-duplicate")]
    [InlineData(RecheckResult.SkippedUnknownThing, "skip-unknown")]
    public void OnDecision_EachVerdict_WritesItsReportName(RecheckResult result, string name)
    {
        var text = Write(new ReplayDecision("t1", result, Start, Start.AddMinutes(5), TimeSpan.FromMinutes(5)));

        Assert.Equal(
            "{\"thing\":\"t1\",\"verdict\":\"" + name + "\",\"offlineSince\":\"2026-01-01T00:00:00.000Z\",\"decidedAt\":\"2026-01-01T00:05:00.000Z\",\"grace\":\"00:05:00\"}\n",
            text);
    }

    [Fact]
    public void OnDecision_GraceChangesBetweenDecisions_EachLineCarriesItsOwn()
    {
        var text = Write(
            new ReplayDecision("t1", RecheckResult.Notified, Start, Start.AddSeconds(90), TimeSpan.FromSeconds(90)),
            new ReplayDecision("t1", RecheckResult.Notified, Start, Start.AddDays(1), TimeSpan.FromDays(1)),
            new ReplayDecision("t1", RecheckResult.Notified, Start, Start.AddSeconds(1.5), TimeSpan.FromSeconds(1.5)));

        Assert.Equal(["00:01:30", "1.00:00:00", "00:00:01.5000000"], Lines(text).Select(line => Field(line, "grace")));
    }

    [Theory]
    [InlineData("a\"b")]
    [InlineData("back\\slash")]
    [InlineData("café ☕ 🚀")]
    [InlineData("<script>&'")]
    [InlineData("line\u2028separator")]
    public void OnDecision_NameNeedingCare_RoundTripsThroughJson(string name)
    {
        var text = Write(new ReplayDecision(name, RecheckResult.Notified, Start, Start, TimeSpan.FromSeconds(1)));

        Assert.Equal(name, Field(Assert.Single(Lines(text)), "thing"));
    }

    [Fact]
    public void OnDecision_ManyLinesWithLongEscapedNames_AreAllWrittenWhole()
    {
        var names = Enumerable.Range(0, 3000).Select(i => new string('"', 120) + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var text = Write([.. names.Select((name, i) => new ReplayDecision(name, RecheckResult.Notified, Start.AddSeconds(i), Start.AddSeconds(i + 60), TimeSpan.FromMinutes(1)))]);

        var lines = Lines(text);
        Assert.Equal(names, lines.Select(line => Field(line, "thing")));
    }

    [Fact]
    public void Dispose_FlushesWhatIsBuffered()
    {
        using var output = new MemoryStream();
        var writer = new JsonLinesDecisionWriter(output);
        writer.OnDecision(new ReplayDecision("t1", RecheckResult.Notified, Start, Start, TimeSpan.FromSeconds(1)));

        writer.Dispose();

        Assert.NotEqual(0, output.Length);
    }

    private static string Write(params ReplayDecision[] decisions)
    {
        using var output = new MemoryStream();
        using (var writer = new JsonLinesDecisionWriter(output))
        {
            foreach (var decision in decisions)
            {
                writer.OnDecision(decision);
            }
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static string[] Lines(string text) => text.TrimEnd('\n').Split('\n');

    private static string Field(string line, string name)
    {
        using var document = JsonDocument.Parse(line);
        Assert.Equal(["thing", "verdict", "offlineSince", "decidedAt", "grace"], document.RootElement.EnumerateObject().Select(p => p.Name));
        return document.RootElement.GetProperty(name).GetString()!;
    }
}
