using System.Text.Json;

namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>The payload samples copied from ../shared/payloads into TestData/payloads.</summary>
internal static class TestData
{
    public static string PayloadPath(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "payloads", name);

    public static string Payload(string name) => File.ReadAllText(PayloadPath(name));

    /// <summary>A (pretty-printed) sample squeezed onto one line, as it would appear in a JSON Lines recording.</summary>
    public static string PayloadAsLine(string name)
    {
        using var document = JsonDocument.Parse(Payload(name));
        return JsonSerializer.Serialize(document.RootElement);
    }
}
