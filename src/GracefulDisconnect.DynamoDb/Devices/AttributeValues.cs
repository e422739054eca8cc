using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace GracefulDisconnect.DynamoDb;

/// <summary>Short names for the attribute values the store writes and reads (numbers travel as invariant strings).</summary>
internal static class AttributeValues
{
    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static Dictionary<string, AttributeValue> Key(string key) => new(StringComparer.Ordinal) { [DynamoDbTableLayout.PartitionKey] = S(key) };

    public static long Long(Dictionary<string, AttributeValue> item, string name)
        => long.Parse(item[name].N, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public static string String(Dictionary<string, AttributeValue> item, string name) => item[name].S;
}
