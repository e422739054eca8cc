using System.Text;
using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Events;

public class GenericEventParserTests
{
    [Fact]
    public void Parse_MinimalDisconnect_ReadsEveryField()
    {
        var parsed = GenericEventParser.Parse("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z"}""");

        Assert.Equal(new ConnectionEvent("t1", false, Instants.Noon), parsed);
        Assert.Equal(TimeSpan.Zero, parsed.At.Offset);
    }

    [Fact]
    public void Parse_WithVersionAndReceivedAt_ReadsThem()
    {
        var parsed = GenericEventParser.Parse(
            """{"thing":"t1","connected":true,"at":"2026-01-01T12:00:00Z","version":3,"receivedAt":"2026-01-01T12:07:30Z"}""");

        Assert.True(parsed.Connected);
        Assert.Equal(3, parsed.Version);
        Assert.Equal(Instants.Noon.AddMinutes(7.5), parsed.ReceivedAt);
    }

    [Fact]
    public void Parse_NullVersion_IsNoVersion()
    {
        var parsed = GenericEventParser.Parse("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z","version":null}""");

        Assert.Null(parsed.Version);
        Assert.Null(parsed.ReceivedAt);
    }

    [Fact]
    public void Parse_FieldsInAnyOrder_ReadsThem()
    {
        var parsed = GenericEventParser.Parse("""{"version":7,"at":"2026-01-01T12:00:00Z","connected":false,"thing":"t1"}""");

        Assert.Equal(new ConnectionEvent("t1", false, Instants.Noon, 7), parsed);
    }

    [Fact]
    public void Parse_Offset_ConvertsToUtc()
    {
        var parsed = GenericEventParser.Parse("""{"thing":"t1","connected":false,"at":"2026-01-01T21:00:00+09:00","receivedAt":"2026-01-01T07:00:00-05:00"}""");

        Assert.Equal(Instants.Noon, parsed.At);
        Assert.Equal(TimeSpan.Zero, parsed.At.Offset);
        Assert.Equal(Instants.Noon, parsed.ReceivedAt);
        Assert.Equal(TimeSpan.Zero, parsed.ReceivedAt!.Value.Offset);
    }

    [Theory]
    [InlineData("2026-01-01T12:00:00.451Z", 4_510_000)]
    [InlineData("2026-01-01T12:00:00.1Z", 1_000_000)]
    [InlineData("2026-01-01T12:00:00.1234567Z", 1_234_567)]
    [InlineData("2026-01-01T12:00:00.123456789Z", 1_234_567)]
    public void Parse_FractionalSeconds_KeepsThemToTheTick(string at, long ticksAfterNoon)
    {
        var parsed = GenericEventParser.Parse($$"""{"thing":"t1","connected":false,"at":"{{at}}"}""");

        Assert.Equal(Instants.Noon.AddTicks(ticksAfterNoon), parsed.At);
    }

    [Fact]
    public void Parse_UnknownFields_AreIgnored()
    {
        var parsed = GenericEventParser.Parse(
            """{"extra":{"nested":[1,2,{"thing":"other"}]},"thing":"t1","note":"x","connected":false,"flag":true,"n":null,"at":"2026-01-01T12:00:00Z","list":[]}""");

        Assert.Equal(new ConnectionEvent("t1", false, Instants.Noon), parsed);
    }

    [Fact]
    public void Parse_EscapedStrings_AreUnescaped()
    {
        var parsed = GenericEventParser.Parse(
            """{"thing":"t\u0031-\"q\"\/x","connected":false,"at":"2026-01-01T12\u003a00:00Z","receivedAt":"\u0032026-01-01T12:00:01Z"}""");

        Assert.Equal("t1-\"q\"/x", parsed.ThingName);
        Assert.Equal(Instants.Noon, parsed.At);
        Assert.Equal(Instants.Noon.AddSeconds(1), parsed.ReceivedAt);
    }

    [Fact]
    public void Parse_NonAsciiThingName_IsKept()
    {
        var parsed = GenericEventParser.Parse("""{"thing":"温度センサー-1","connected":false,"at":"2026-01-01T12:00:00Z"}""");

        Assert.Equal("温度センサー-1", parsed.ThingName);
    }

    [Fact]
    public void Parse_Utf8BytesWithPool_ReturnsPooledName()
    {
        var pool = new ThingNamePool();
        var line = """{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z"}"""u8;

        var first = GenericEventParser.Parse(line, pool);
        var second = GenericEventParser.Parse(line, pool);

        Assert.Same(first.ThingName, second.ThingName);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void Parse_ThingNameOf128Characters_IsAccepted()
    {
        var name = new string('a', ThingName.MaxLength);

        Assert.Equal(name, GenericEventParser.Parse($$"""{"thing":"{{name}}","connected":false,"at":"2026-01-01T12:00:00Z"}""").ThingName);
    }

    [Fact]
    public void Parse_ToTrigger_CarriesThingTimeAndVersion()
    {
        var parsed = GenericEventParser.Parse("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z","version":5}""");

        Assert.Equal(new DisconnectTrigger("t1", Instants.Noon, 5), parsed.ToTrigger());
    }

    [Theory]
    [InlineData("""{"connected":false,"at":"2026-01-01T12:00:00Z"}""", "thing")]
    [InlineData("""{"thing":"t1","at":"2026-01-01T12:00:00Z"}""", "connected")]
    [InlineData("""{"thing":"t1","connected":false}""", "at")]
    [InlineData("""{}""", "thing")]
    public void Parse_MissingRequiredField_NamesIt(string json, string field)
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(() => GenericEventParser.Parse(json));

        Assert.Equal(field, exception.Field);
        Assert.Contains($"'{field}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("required", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"thing":1,"connected":false,"at":"2026-01-01T12:00:00Z"}""", "thing")]
    [InlineData("""{"thing":null,"connected":false,"at":"2026-01-01T12:00:00Z"}""", "thing")]
    [InlineData("""{"thing":{"name":"t1"},"connected":false,"at":"2026-01-01T12:00:00Z"}""", "thing")]
    [InlineData("""{"thing":"t1","connected":"false","at":"2026-01-01T12:00:00Z"}""", "connected")]
    [InlineData("""{"thing":"t1","connected":0,"at":"2026-01-01T12:00:00Z"}""", "connected")]
    [InlineData("""{"thing":"t1","connected":null,"at":"2026-01-01T12:00:00Z"}""", "connected")]
    [InlineData("""{"thing":"t1","connected":false,"at":1767268800}""", "at")]
    [InlineData("""{"thing":"t1","connected":false,"at":null}""", "at")]
    [InlineData("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z","version":"3"}""", "version")]
    [InlineData("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z","version":3.5}""", "version")]
    [InlineData("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z","version":99999999999999999999}""", "version")]
    [InlineData("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z","receivedAt":5}""", "receivedAt")]
    public void Parse_WrongType_NamesTheField(string json, string field)
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(() => GenericEventParser.Parse(json));

        Assert.Equal(field, exception.Field);
        Assert.StartsWith($"'{field}': ", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("at", "yesterday")]
    [InlineData("at", "")]
    [InlineData("at", "2026-13-01T12:00:00Z")]
    [InlineData("at", "2026-02-30T12:00:00Z")]
    [InlineData("at", "2026-01-01T25:00:00Z")]
    [InlineData("at", "2026-01-01T12:00:00.Z")]
    [InlineData("at", "2026-01-01T12:00:00Zjunk")]
    [InlineData("receivedAt", "not a time")]
    public void Parse_BadTimestamp_NamesTheField(string field, string value)
    {
        var json = field == "at"
            ? $$"""{"thing":"t1","connected":false,"at":"{{value}}"}"""
            : $$"""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z","{{field}}":"{{value}}"}""";

        var exception = Assert.Throws<ConnectionEventFormatException>(() => GenericEventParser.Parse(json));

        Assert.Equal(field, exception.Field);
        Assert.Contains("ISO-8601", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyThingName_NamesTheField()
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(
            () => GenericEventParser.Parse("""{"thing":"","connected":false,"at":"2026-01-01T12:00:00Z"}"""));

        Assert.Equal("thing", exception.Field);
        Assert.Contains("empty", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ThingNameOver128Characters_NamesTheField()
    {
        var name = new string('a', ThingName.MaxLength + 1);

        var exception = Assert.Throws<ConnectionEventFormatException>(
            () => GenericEventParser.Parse($$"""{"thing":"{{name}}","connected":false,"at":"2026-01-01T12:00:00Z"}"""));

        Assert.Equal("thing", exception.Field);
        Assert.Contains("128", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HugeEscapedThingName_NamesTheFieldWithoutEchoingIt()
    {
        var name = string.Concat(Enumerable.Repeat("\\u0041", 10_000));

        var exception = Assert.Throws<ConnectionEventFormatException>(
            () => GenericEventParser.Parse($$"""{"thing":"{{name}}","connected":false,"at":"2026-01-01T12:00:00Z"}"""));

        Assert.Equal("thing", exception.Field);
        Assert.Contains("128", exception.Message, StringComparison.Ordinal);
        Assert.True(exception.Message.Length < 200, exception.Message);
    }

    [Theory]
    [InlineData("t\\u0000")]
    [InlineData("t\\n1")]
    [InlineData("\\u007f")]
    [InlineData("a\\tb")]
    public void Parse_ControlCharacterInThingName_NamesTheField(string escapedName)
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(
            () => GenericEventParser.Parse($$"""{"thing":"{{escapedName}}","connected":false,"at":"2026-01-01T12:00:00Z"}"""));

        Assert.Equal("thing", exception.Field);
        Assert.Contains("control", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"thing\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Parse_NotAnObject_SaysSo(string json)
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(() => GenericEventParser.Parse(json));

        Assert.Null(exception.Field);
        Assert.Contains("expected a JSON object", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("""{"thing":"t1","connected":false""")]
    [InlineData("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z\""")]
    [InlineData("""{"thing":"t1","connected":fal""")]
    [InlineData("""{"thing":"t1",}""")]
    [InlineData("""{thing:"t1"}""")]
    public void Parse_InvalidOrTruncatedJson_ThrowsFormatException(string json)
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(() => GenericEventParser.Parse(json));

        Assert.Null(exception.Field);
        Assert.False(string.IsNullOrWhiteSpace(exception.Message));
    }

    [Theory]
    [InlineData("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z"} x""")]
    [InlineData("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z"}{}""")]
    [InlineData("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z"},""")]
    public void Parse_TrailingContent_Throws(string json)
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(() => GenericEventParser.Parse(json));

        Assert.Null(exception.Field);
    }

    [Fact]
    public void Parse_TrailingWhitespace_IsAccepted()
    {
        Assert.Equal("t1", GenericEventParser.Parse("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z"}  """ + "\r\n").ThingName);
    }

    [Fact]
    public void Parse_InvalidJson_WrapsTheCauseAndIsAFormatException()
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(() => GenericEventParser.Parse("{\"thing\":"));

        Assert.IsAssignableFrom<FormatException>(exception);
        Assert.NotNull(exception.InnerException);
        Assert.Contains("not valid JSON", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidUtf8InThingName_NamesTheField()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("""{"thing":"t"""), 0xFF, .. Encoding.UTF8.GetBytes("\",\"connected\":false,\"at\":\"2026-01-01T12:00:00Z\"}")];

        var exception = Assert.Throws<ConnectionEventFormatException>(() => GenericEventParser.Parse(bytes));

        Assert.Equal("thing", exception.Field);
    }

    [Fact]
    public void Parse_InvalidUtf8InTimestamp_NamesTheField()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00"""), 0xFF, .. Encoding.UTF8.GetBytes("Z\"}")];

        var exception = Assert.Throws<ConnectionEventFormatException>(() => GenericEventParser.Parse(bytes));

        Assert.Equal("at", exception.Field);
    }

    [Theory]
    [InlineData("""{"thing":"t\uD800","connected":false,"at":"2026-01-01T12:00:00Z"}""", "thing")]
    [InlineData("""{"thing":"\uDC00t","connected":false,"at":"2026-01-01T12:00:00Z"}""", "thing")]
    [InlineData("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00\uD800Z"}""", "at")]
    [InlineData("""{"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z","receivedAt":"\uD800"}""", "receivedAt")]
    public void Parse_UnpairedSurrogateEscape_NamesTheField(string json, string field)
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(() => GenericEventParser.Parse(json));

        Assert.Equal(field, exception.Field);
    }

    [Fact]
    public void Parse_UnpairedSurrogateEscapeInPropertyName_ThrowsFormatException()
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(
            () => GenericEventParser.Parse("""{"\uD800":1,"thing":"t1","connected":false,"at":"2026-01-01T12:00:00Z"}"""));

        Assert.Null(exception.Field);
        Assert.Contains("property name", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NullString_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => GenericEventParser.Parse((string)null!));
    }

    [Fact]
    public void Parse_ErrorMessage_DoesNotEchoOtherFields()
    {
        var exception = Assert.Throws<ConnectionEventFormatException>(
            () => GenericEventParser.Parse("""{"secret":"hunter2","thing":"t1","connected":"no","at":"2026-01-01T12:00:00Z"}"""));

        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }
}
