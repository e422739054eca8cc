namespace GracefulDisconnect.Mqtt.Tests.Mapping;

public sealed class TopicPatternTests
{
    [Theory]
    [InlineData("tele/{thing}/LWT", "tele/+/LWT")]
    [InlineData("{thing}/status", "+/status")]
    [InlineData("plant/+/{thing}/health", "plant/+/+/health")]
    [InlineData("site/{thing}/#", "site/+/#")]
    public void TryParse_ValidPattern_SubscribesWithWildcardAtThingSegment(string pattern, string filter)
    {
        Assert.True(TopicPattern.TryParse(pattern, out var parsed, out var problem), problem);
        Assert.Equal([filter], parsed!.SubscriptionFilters);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("tele/+/LWT", "no {thing}")]
    [InlineData("{thing}/{thing}", "more than once")]
    [InlineData("a/#/{thing}", "# may only end")]
    [InlineData("a/b+/{thing}", "whole segment")]
    [InlineData("a/{device}/{thing}", "exactly {thing}")]
    [InlineData("a/{thing*}/{thing}", "more than once")]
    [InlineData("a/{thing*}/#", "both {thing*} and #")]
    public void TryParse_InvalidPattern_NamesTheFix(string pattern, string expected)
    {
        Assert.False(TopicPattern.TryParse(pattern, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tele/{thing}/LWT", "tele/plug-1/LWT", "plug-1")]
    [InlineData("plant/+/{thing}/health", "plant/hall/pump 3/health", "pump 3")]
    [InlineData("site/{thing}/#", "site/gw/a/b", "gw")]
    [InlineData("site/{thing}/#", "site/gw", "gw")]
    [InlineData("zigbee2mqtt/{thing*}/availability", "zigbee2mqtt/lamp/availability", "lamp")]
    [InlineData("zigbee2mqtt/{thing*}/availability", "zigbee2mqtt/kitchen/ceiling/lamp/availability", "kitchen/ceiling/lamp")]
    public void TryMatch_MatchingTopic_YieldsThingSegment(string pattern, string topic, string thing)
    {
        Assert.True(TopicPattern.Parse(pattern).TryMatch(topic, out var matched));
        Assert.Equal(thing, matched);
    }

    [Theory]
    [InlineData("tele/{thing}/LWT", "tele/plug-1/STATE")]
    [InlineData("tele/{thing}/LWT", "tele/plug-1/LWT/extra")]
    [InlineData("tele/{thing}/LWT", "tele/LWT")]
    [InlineData("{thing}/online", "shellies/plug/online")]
    [InlineData("zigbee2mqtt/{thing*}/availability", "zigbee2mqtt/availability")]
    [InlineData("zigbee2mqtt/{thing*}/availability", "zigbee2mqtt/a/b/c/d/e/availability")]
    [InlineData("zigbee2mqtt/{thing*}/availability", "zigbee2mqtt/kitchen//availability")]
    [InlineData("zigbee2mqtt/{thing*}/availability", "zigbee2mqtt/lamp/state")]
    public void TryMatch_OtherTopic_NoMatch(string pattern, string topic)
        => Assert.False(TopicPattern.Parse(pattern).TryMatch(topic, out _));

    [Fact]
    public void SubscriptionFilters_MultiSegmentThing_OneNarrowFilterPerDepth()
        => Assert.Equal(
            ["z/+/availability", "z/+/+/availability", "z/+/+/+/availability", "z/+/+/+/+/availability"],
            TopicPattern.Parse("z/{thing*}/availability").SubscriptionFilters);
}
