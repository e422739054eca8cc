using System.Text.Json.Serialization;

namespace GracefulDisconnect.Samples.Lambda;

/// <summary>The SQS event Lambda passes to the function: only the fields the function reads.</summary>
internal sealed class SqsEvent
{
    [JsonPropertyName("Records")]
    public List<SqsRecord>? Records { get; set; }
}

/// <summary>One message of an SQS event.</summary>
internal sealed class SqsRecord
{
    [JsonPropertyName("messageId")]
    public string? MessageId { get; set; }

    [JsonPropertyName("body")]
    public string? Body { get; set; }

    [JsonPropertyName("attributes")]
    public SqsRecordAttributes? Attributes { get; set; }
}

/// <summary>The system attributes of a record that go into log lines.</summary>
internal sealed class SqsRecordAttributes
{
    [JsonPropertyName("ApproximateReceiveCount")]
    public string? ApproximateReceiveCount { get; set; }
}

/// <summary>The partial batch response: the records SQS must deliver again (template: <c>ReportBatchItemFailures</c>).</summary>
internal sealed class SqsBatchResponse
{
    [JsonPropertyName("batchItemFailures")]
    public List<SqsBatchItemFailure> BatchItemFailures { get; } = [];
}

/// <summary>One failed record.</summary>
/// <param name="ItemIdentifier">Its <c>messageId</c>.</param>
internal sealed record SqsBatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);

/// <summary>What a scheduled sweep answers (nobody reads it but the console of a test invocation).</summary>
/// <param name="Rechecked">Devices whose re-check or reminder was due and stepped.</param>
/// <param name="Delivered">Messages published.</param>
internal sealed record SweepResponse(
    [property: JsonPropertyName("rechecked")] int Rechecked,
    [property: JsonPropertyName("delivered")] int Delivered);

/// <summary>Source-generated (de)serialization: no reflection at cold start.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
[JsonSerializable(typeof(SweepResponse))]
internal sealed partial class SqsEventJsonContext : JsonSerializerContext
{
}
