namespace GracefulDisconnect.Tests.Notifications;

public class NotificationTemplateTests
{
    [Fact]
    public void Placeholders_AreTheDocumentedNamesInFormatterOrder()
    {
        Assert.Equal(["thing", "offlineSince", "offlineFor", "grace", "decidedAt", "outageId"], NotificationTemplate.Placeholders);
    }

    [Theory]
    [InlineData("{thing} is offline")]
    [InlineData("no placeholders at all")]
    [InlineData("{thing}{offlineSince}{offlineFor}{grace}{decidedAt}{outageId}")]
    [InlineData("{{literal}} and {thing}")]
    [InlineData("}}{{")]
    public void IsValid_GoodTemplate_ReturnsTrue(string template)
    {
        Assert.True(NotificationTemplate.IsValid(template, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void IsValid_Empty_SaysSo(string? template)
    {
        Assert.False(NotificationTemplate.IsValid(template, out var problem));
        Assert.Equal("must not be empty", problem);
    }

    [Theory]
    [InlineData("{host} is offline", "{host}")]
    [InlineData("{Thing} is offline", "{Thing}")]
    [InlineData("{thing:x} is offline", "{thing:x}")]
    [InlineData("{} is offline", "{}")]
    [InlineData("{0} is offline", "{0}")]
    public void IsValid_UnknownPlaceholder_NamesItAndListsTheKnownOnes(string template, string shown)
    {
        Assert.False(NotificationTemplate.IsValid(template, out var problem));
        Assert.Equal(
            $"unknown placeholder '{shown}'; use one of {{thing}}, {{offlineSince}}, {{offlineFor}}, {{grace}}, {{decidedAt}}, {{outageId}}",
            problem);
    }

    [Theory]
    [InlineData("{thing is offline", "unclosed '{' at position 0")]
    [InlineData("offline {", "unclosed '{' at position 8")]
    [InlineData("{thing} }", "unmatched '}' at position 8")]
    [InlineData("{thing}}", "unmatched '}' at position 7")]
    public void IsValid_UnbalancedBraces_SaysWhere(string template, string expected)
    {
        Assert.False(NotificationTemplate.IsValid(template, out var problem));
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData("{thing}", "{0}")]
    [InlineData("{outageId} at {decidedAt}", "{5} at {4}")]
    [InlineData("{{thing}} {thing}", "{{thing}} {0}")]
    [InlineData("a}}b{{c", "a}}b{{c")]
    [InlineData("{{{thing}}}", "{{{0}}}")]
    public void ToCompositeFormat_MapsNamesToIndexesAndKeepsEscapes(string template, string expected)
    {
        Assert.Equal(expected, NotificationTemplate.ToCompositeFormat(template));
    }
}
