namespace GracefulDisconnect.Tests.Alerts;

public class DigestGroupsTests
{
    [Theory]
    [InlineData("osaka-gw3-sensor17")]
    [InlineData("x")]
    [InlineData("")]
    public void All_AnyName_IsTheSingleGroup(string thing)
    {
        Assert.Equal("*", DigestGroups.All(thing));
        Assert.Equal(DigestGroups.AllKey, DigestGroups.All(thing));
    }

    [Theory]
    [InlineData("osaka-gw3-sensor17", 1, "osaka")]
    [InlineData("osaka-gw3-sensor17", 2, "osaka-gw3")]
    [InlineData("osaka-gw3-sensor17", 3, "osaka-gw3")]
    [InlineData("osaka-gw3-sensor17", 9, "osaka-gw3")]
    [InlineData("osaka", 1, "osaka")]
    [InlineData("osaka", 2, "osaka")]
    [InlineData("osaka-", 1, "osaka")]
    [InlineData("osaka-", 2, "osaka")]
    [InlineData("-gw3", 1, "")]
    [InlineData("a--b", 2, "a-")]
    public void NamePrefix_Dash_KeepsTheLeadingSegments(string thing, int segments, string expected)
    {
        Assert.Equal(expected, DigestGroups.NamePrefix('-', segments)(thing));
    }

    [Fact]
    public void NamePrefix_Defaults_AreDashAndOneSegment()
    {
        Assert.Equal("osaka", DigestGroups.NamePrefix()("osaka-gw3-sensor17"));
    }

    [Theory]
    [InlineData("plant_a:line-2:robot", ':', "plant_a")]
    [InlineData("plant_a_line", '_', "plant")]
    [InlineData("no-colon-here", ':', "no-colon-here")]
    public void NamePrefix_OtherSeparator_SplitsOnIt(string thing, char separator, string expected)
    {
        Assert.Equal(expected, DigestGroups.NamePrefix(separator)(thing));
    }

    [Fact]
    public void NamePrefix_NoSegments_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DigestGroups.NamePrefix('-', 0));
    }

    [Fact]
    public void ByAttribute_ValueOrFallback()
    {
        var gateways = new Dictionary<string, string?> { ["s1"] = "gw-1", ["s2"] = "gw-2", ["s3"] = "", ["s4"] = null };
        var group = DigestGroups.ByAttribute(thing => gateways.GetValueOrDefault(thing));
        var withFallback = DigestGroups.ByAttribute(thing => gateways.GetValueOrDefault(thing), "unassigned");

        Assert.Equal("gw-1", group("s1"));
        Assert.Equal("gw-2", group("s2"));
        Assert.Equal("*", group("s3"));
        Assert.Equal("*", group("s4"));
        Assert.Equal("*", group("unknown"));
        Assert.Equal("gw-1", withFallback("s1"));
        Assert.Equal("unassigned", withFallback("s3"));
        Assert.Equal("unassigned", withFallback("unknown"));
    }

    [Fact]
    public void ByAttribute_Nulls_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => DigestGroups.ByAttribute(null!));
        Assert.Throws<ArgumentNullException>(() => DigestGroups.ByAttribute(_ => "x", null!));
    }
}
