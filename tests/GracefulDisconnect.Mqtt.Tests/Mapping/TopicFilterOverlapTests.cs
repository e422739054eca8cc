namespace GracefulDisconnect.Mqtt.Tests.Mapping;

public sealed class TopicFilterOverlapTests
{
    [Theory]
    [InlineData("a/+/b", "a/x/b", true)]
    [InlineData("a/+/b", "a/+/c", false)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c/d", true)]
    [InlineData("+/status", "zigbee2mqtt/+", true)]
    [InlineData("zigbee2mqtt/+", "zigbee2mqtt/+/availability", false)]
    [InlineData("tele/+/STATE", "tele/+/LWT", false)]
    [InlineData("#", "x/y", true)]
    [InlineData("a/b", "a/b/c", false)]
    public void Overlaps_SomeTopicMatchesBoth_BothOrders(string first, string second, bool expected)
    {
        Assert.Equal(expected, TopicFilterOverlap.Overlaps(first, second));
        Assert.Equal(expected, TopicFilterOverlap.Overlaps(second, first));
    }
}
