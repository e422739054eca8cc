using System.Text.Json.Nodes;

namespace GracefulDisconnect.Webhooks.Tests.Support;

public static class Json
{
    /// <summary>Asserts that two JSON documents are the same tree, showing both when they are not.</summary>
    public static void Equal(string expected, string actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(expectedNode, actualNode), $"expected:\n{expectedNode?.ToJsonString()}\nactual:\n{actualNode?.ToJsonString()}");
    }
}
