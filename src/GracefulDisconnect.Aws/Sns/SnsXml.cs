using System.Xml;
using System.Xml.Linq;

namespace GracefulDisconnect.Aws;

/// <summary>Reads SNS query-protocol answers: <c>PublishResponse/PublishResult/MessageId</c> and <c>ErrorResponse/Error/{Type,Code,Message}</c>.</summary>
internal static class SnsXml
{
    private const int MaxMessageLength = 512;

    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 1 << 20 };

    public static string? MessageId(string xml) => Load(xml)?.Root is { } root ? Child(Child(root, "PublishResult"), "MessageId")?.Value : null;

    public static (string? Type, string? Code, string? Message, string? RequestId) Error(string xml)
    {
        if (Load(xml)?.Root is not { } root)
        {
            return default;
        }

        var error = Child(root, "Error");
        var message = Child(error, "Message")?.Value;
        if (message is { Length: > MaxMessageLength })
        {
            message = string.Concat(message.AsSpan(0, MaxMessageLength), "...");
        }

        return (Child(error, "Type")?.Value, Child(error, "Code")?.Value, message, Child(root, "RequestId")?.Value);
    }

    // By local name: the namespace differs between API versions and proxies.
    private static XElement? Child(XElement? parent, string name)
        => parent?.Elements().FirstOrDefault(element => element.Name.LocalName == name);

    private static XDocument? Load(string xml)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            return XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
