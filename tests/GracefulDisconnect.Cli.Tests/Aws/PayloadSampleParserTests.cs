using System.Text;
using System.Text.Json;
using GracefulDisconnect.Aws;
using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Aws;

/// <summary>The AWS event parsers on the payload samples (copies of ../shared/payloads), as the services send them.</summary>
public sealed class PayloadSampleParserTests
{
    private const string Topic = "$aws/things/greenhouse-pi-3/shadow/update/documents";

    private static readonly ConnectionEvent LifecycleConnected = new("186b5", true, DateTimeOffset.FromUnixTimeMilliseconds(1573002230757), 0);
    private static readonly ConnectionEvent LifecycleDisconnected = new("186b5", false, DateTimeOffset.FromUnixTimeMilliseconds(1573002340451), 0);
    private static readonly ConnectionEvent RuleOutput = new("greenhouse-pi-3", false, new DateTimeOffset(2026, 1, 1, 0, 10, 0, TimeSpan.Zero));

    [Fact]
    public void LifecycleEventParser_ConnectedSample_IsAConnectWithMillisecondsAndVersion()
    {
        var parsed = LifecycleEventParser.Parse(TestData.Payload("lifecycle-connected.json"));

        Assert.Equal(LifecycleConnected, parsed);
        Assert.Equal(757, parsed.At.Millisecond);
    }

    [Fact]
    public void LifecycleEventParser_DisconnectedSample_IsADisconnectWithMillisecondsAndVersion()
    {
        var parsed = LifecycleEventParser.Parse(File.ReadAllBytes(TestData.PayloadPath("lifecycle-disconnected.json")));

        Assert.Equal(LifecycleDisconnected, parsed);
        Assert.Equal(new DisconnectTrigger("186b5", LifecycleDisconnected.At, 0), parsed.ToTrigger());
    }

    [Fact]
    public void LifecycleEventParser_WithNamePool_ReturnsTheSameNameInstance()
    {
        var pool = new ThingNamePool();

        var connected = LifecycleEventParser.Parse(File.ReadAllBytes(TestData.PayloadPath("lifecycle-connected.json")), pool);
        var disconnected = LifecycleEventParser.Parse(File.ReadAllBytes(TestData.PayloadPath("lifecycle-disconnected.json")), pool);

        Assert.Same(connected.ThingName, disconnected.ThingName);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void IotRuleOutputParser_Sample_IsADisconnectInSeconds()
    {
        Assert.Equal(RuleOutput, IotRuleOutputParser.Parse(TestData.Payload("rule-output.json")));
    }

    [Theory]
    [InlineData("lifecycle-connected.json")]
    [InlineData("lifecycle-disconnected.json")]
    [InlineData("rule-output.json")]
    public void ConnectionEventParser_EachSample_IsDetectedAndParsedLikeItsOwnParser(string sample)
    {
        var expected = sample.StartsWith("lifecycle", StringComparison.Ordinal)
            ? LifecycleEventParser.Parse(TestData.Payload(sample))
            : IotRuleOutputParser.Parse(TestData.Payload(sample));

        Assert.Equal(expected, ConnectionEventParser.Parse(TestData.Payload(sample)));
        Assert.Equal(expected, ConnectionEventParser.Parse(Encoding.UTF8.GetBytes(TestData.PayloadAsLine(sample))));
    }

    [Fact]
    public void ConnectionEventParser_ShadowUpdateDocumentsSample_IsRefusedWithAnExplanation()
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(() => ConnectionEventParser.Parse(TestData.Payload("shadow-update-documents.json")));

        Assert.Null(exception.Field);
        Assert.Contains("ShadowUpdateDocumentsParser", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IotRuleOutputParser_SqsEventSampleBody_IsTheRuleOutput()
    {
        using var sqsEvent = JsonDocument.Parse(TestData.Payload("sqs-event.json"));
        var body = sqsEvent.RootElement.GetProperty("Records")[0].GetProperty("body").GetString()!;

        Assert.Equal(RuleOutput, IotRuleOutputParser.Parse(body));
        Assert.Equal(RuleOutput, ConnectionEventParser.Parse(body));
    }

    [Fact]
    public void ShadowUpdateDocumentsParser_Sample_IsADisconnectAtTheMetadataTimestampWithTheDocumentVersion()
    {
        Assert.True(ShadowUpdateDocumentsParser.TryGetThingName(Topic, out var thing));

        var parsed = ShadowUpdateDocumentsParser.Parse(TestData.Payload("shadow-update-documents.json"), thing);

        Assert.Equal(new ConnectionEvent("greenhouse-pi-3", false, new DateTimeOffset(2026, 1, 1, 0, 10, 0, TimeSpan.Zero), 42), parsed);
    }

    [Fact]
    public void ShadowUpdateDocumentsParser_SampleAndRuleOutput_DescribeTheSameDisconnect()
    {
        var fromShadow = ShadowUpdateDocumentsParser.Parse(TestData.Payload("shadow-update-documents.json"), "greenhouse-pi-3")!.Value;
        var fromRule = IotRuleOutputParser.Parse(TestData.Payload("rule-output.json"));

        Assert.Equal(fromRule.ThingName, fromShadow.ThingName);
        Assert.Equal(fromRule.Connected, fromShadow.Connected);
        Assert.Equal(fromRule.At, fromShadow.At);
    }

    [Fact]
    public void ShadowUpdateDocumentsParser_UpdateThatDoesNotChangeTheAttribute_GivesNoEvent()
    {
        var unchanged = TestData.Payload("shadow-update-documents.json").Replace("\"connected\": true", "\"connected\": false", StringComparison.Ordinal);

        Assert.Null(ShadowUpdateDocumentsParser.Parse(unchanged, "greenhouse-pi-3"));
    }

    [Fact]
    public void ShadowUpdateDocumentsParser_OtherAttributeName_IsReadInstead()
    {
        var renamed = TestData.Payload("shadow-update-documents.json").Replace("\"connected\"", "\"online\"", StringComparison.Ordinal);

        Assert.Null(ShadowUpdateDocumentsParser.Parse(renamed, "greenhouse-pi-3"));
        Assert.Equal(42, ShadowUpdateDocumentsParser.Parse(renamed, "greenhouse-pi-3", "online")!.Value.Version);
    }

    [Fact]
    public void ShadowUpdateDocumentsParser_ChangeWithoutMetadataTimestamp_NamesThePath()
    {
        var json = "{\"previous\":{\"state\":{\"reported\":{\"connected\":true}}},\"current\":{\"state\":{\"reported\":{\"connected\":false}},\"version\":3}}";

        var exception = Assert.Throws<ConnectionEventFormatException>(() => ShadowUpdateDocumentsParser.Parse(json, "t1"));

        Assert.Equal("current.metadata.reported.connected.timestamp", exception.Field);
    }

    [Fact]
    public void ShadowUpdateDocumentsParser_NoCurrentDocument_NamesIt()
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(() => ShadowUpdateDocumentsParser.Parse("{\"previous\":null}", "t1"));

        Assert.Equal("current", exception.Field);
    }

    [Fact]
    public void ShadowUpdateDocumentsParser_InvalidThingName_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => ShadowUpdateDocumentsParser.Parse(TestData.Payload("shadow-update-documents.json"), string.Empty));
    }

    [Theory]
    [InlineData("$aws/things/greenhouse-pi-3/shadow/update/documents", "greenhouse-pi-3")]
    [InlineData("$aws/things/t1/shadow/name/connectivity/update/documents", "t1")]
    public void TryGetThingName_ShadowDocumentsTopic_GivesTheThing(string topic, string expected)
    {
        Assert.True(ShadowUpdateDocumentsParser.TryGetThingName(topic, out var thing));
        Assert.Equal(expected, thing);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("$aws/things//shadow/update/documents")]
    [InlineData("$aws/things/t1/update/documents")]
    [InlineData("$aws/things/t1/shadow/update/accepted")]
    [InlineData("$aws/events/presence/disconnected/t1")]
    public void TryGetThingName_OtherTopic_IsRefused(string? topic)
    {
        Assert.False(ShadowUpdateDocumentsParser.TryGetThingName(topic, out var thing));
        Assert.Equal(string.Empty, thing);
    }

    [Fact]
    public void LifecycleEventParser_ReceivedAtAdded_IsRead()
    {
        var line = TestData.PayloadAsLine("lifecycle-disconnected.json")[..^1] + ",\"receivedAt\":\"2019-11-06T01:20:00Z\"}";

        var parsed = LifecycleEventParser.Parse(line);

        Assert.Equal(new DateTimeOffset(2019, 11, 6, 1, 20, 0, TimeSpan.Zero), parsed.ReceivedAt);
    }

    [Theory]
    [InlineData("clientId", "{\"timestamp\":1573002340451,\"eventType\":\"disconnected\"}")]
    [InlineData("timestamp", "{\"clientId\":\"186b5\",\"eventType\":\"disconnected\"}")]
    [InlineData("eventType", "{\"clientId\":\"186b5\",\"timestamp\":1573002340451}")]
    [InlineData("eventType", "{\"clientId\":\"186b5\",\"timestamp\":1573002340451,\"eventType\":1}")]
    [InlineData("timestamp", "{\"clientId\":\"186b5\",\"timestamp\":1573002340451.5,\"eventType\":\"disconnected\"}")]
    [InlineData("versionNumber", "{\"clientId\":\"186b5\",\"timestamp\":1573002340451,\"eventType\":\"disconnected\",\"versionNumber\":\"0\"}")]
    [InlineData("clientId", "{\"clientId\":42,\"timestamp\":1573002340451,\"eventType\":\"disconnected\"}")]
    public void LifecycleEventParser_BadField_NamesIt(string field, string json)
    {
        Assert.Equal(field, Assert.Throws<ConnectionEventFormatException>(() => LifecycleEventParser.Parse(json)).Field);
    }

    [Theory]
    [InlineData("thingName", "{\"connected\":false,\"timestamp\":1767226200}")]
    [InlineData("connected", "{\"thingName\":\"t1\",\"connected\":\"false\",\"timestamp\":1767226200}")]
    [InlineData("timestamp", "{\"thingName\":\"t1\",\"connected\":false,\"timestamp\":\"2026-01-01T00:10:00Z\"}")]
    [InlineData("receivedAt", "{\"thingName\":\"t1\",\"connected\":false,\"timestamp\":1767226200,\"receivedAt\":1767226200}")]
    public void IotRuleOutputParser_BadField_NamesIt(string field, string json)
    {
        Assert.Equal(field, Assert.Throws<ConnectionEventFormatException>(() => IotRuleOutputParser.Parse(json)).Field);
    }

    [Fact]
    public void ConnectionEventParser_ClientIdThatIsNotUtf8_NamesTheField()
    {
        var bytes = Encoding.Latin1.GetBytes(TestData.PayloadAsLine("lifecycle-disconnected.json").Replace("186b5", "186b5\u00FF", StringComparison.Ordinal));

        var exception = Assert.Throws<ConnectionEventFormatException>(() => ConnectionEventParser.Parse(bytes));

        Assert.Equal("clientId", exception.Field);
        Assert.Contains("UTF-8", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionEventParser_IdentifyingFieldNotFirst_IsStillDetected()
    {
        var json = "{\"ipAddress\":\"192.0.2.0\",\"extra\":{\"thing\":\"decoy\"},\"eventType\":\"connected\",\"timestamp\":1573002230757,\"clientId\":\"186b5\",\"versionNumber\":0}";

        Assert.Equal(LifecycleConnected, ConnectionEventParser.Parse(json));
    }
}
