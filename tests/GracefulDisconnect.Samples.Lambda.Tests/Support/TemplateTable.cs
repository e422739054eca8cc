using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using YamlDotNet.RepresentationModel;

namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>
/// template.yaml's <c>StateTable</c> declaration, read as CloudFormation would and created in dynalite, so the
/// function runs on the table as deployed (the store checks its key and indexes on first use).
/// </summary>
internal static class TemplateTable
{
    public static YamlMappingNode Resource(string name)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(SqsEvents.Read("template.yaml")));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return (YamlMappingNode)((YamlMappingNode)root["Resources"])[name];
    }

    public static YamlMappingNode Properties(string resource) => (YamlMappingNode)Resource(resource)["Properties"];

    /// <summary>The CreateTable request the StateTable resource stands for (CloudFormation names the table; the tests pass one).</summary>
    public static CreateTableRequest Request(string tableName)
    {
        var properties = Properties("StateTable");
        return new CreateTableRequest
        {
            TableName = tableName,
            BillingMode = new BillingMode(Text(properties, "BillingMode")),
            AttributeDefinitions = [.. Sequence(properties, "AttributeDefinitions").Select(item => new AttributeDefinition(Text(item, "AttributeName"), new ScalarAttributeType(Text(item, "AttributeType"))))],
            KeySchema = KeySchema(properties),
            GlobalSecondaryIndexes = [.. Sequence(properties, "GlobalSecondaryIndexes").Select(index => new GlobalSecondaryIndex
            {
                IndexName = Text(index, "IndexName"),
                KeySchema = KeySchema(index),
                Projection = Projection((YamlMappingNode)index["Projection"]),
            })],
        };
    }

    public static async Task CreateAsync(AmazonDynamoDBClient client, string tableName)
        => await client.CreateTableAsync(Request(tableName));

    public static string Text(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    public static IEnumerable<YamlMappingNode> Sequence(YamlMappingNode node, string key) => ((YamlSequenceNode)node[key]).Children.Cast<YamlMappingNode>();

    private static List<KeySchemaElement> KeySchema(YamlMappingNode node)
        => [.. Sequence(node, "KeySchema").Select(item => new KeySchemaElement(Text(item, "AttributeName"), new KeyType(Text(item, "KeyType"))))];

    private static Projection Projection(YamlMappingNode node)
    {
        var projection = new Projection { ProjectionType = new ProjectionType(Text(node, "ProjectionType")) };
        if (node.Children.TryGetValue(new YamlScalarNode("NonKeyAttributes"), out var attributes))
        {
            projection.NonKeyAttributes = [.. ((YamlSequenceNode)attributes).Children.Select(child => ((YamlScalarNode)child).Value!)];
        }

        return projection;
    }
}
