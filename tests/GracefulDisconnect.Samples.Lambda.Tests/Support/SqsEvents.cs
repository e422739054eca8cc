using System.Text;
using System.Text.Json.Nodes;

namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>SQS events as Lambda delivers them, built from the recorded sample (Payloads/sqs-event.json).</summary>
internal static class SqsEvents
{
    public static string Recorded => Read("sqs-event.json");

    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name));

    /// <summary>An event with one record per (messageId, body), every other field as in the recording.</summary>
    public static string Create(params (string MessageId, string Body)[] records)
    {
        var template = JsonNode.Parse(Recorded)!["Records"]![0]!;
        var array = new JsonArray();
        foreach (var (messageId, body) in records)
        {
            var record = template.DeepClone();
            record["messageId"] = messageId;
            record["body"] = body;
            array.Add(record);
        }

        return new JsonObject { ["Records"] = array }.ToJsonString();
    }

    /// <summary>The IoT rule's output for a disconnect or a connect (epoch seconds), as the reference rule sends it to the queue.</summary>
    public static string RuleOutput(string thing, DateTimeOffset at, bool connected = false)
        => new JsonObject { ["thingName"] = thing, ["connected"] = connected, ["timestamp"] = at.ToUnixTimeSeconds() }.ToJsonString();

    public static Stream AsStream(string json) => new MemoryStream(Encoding.UTF8.GetBytes(json));
}
