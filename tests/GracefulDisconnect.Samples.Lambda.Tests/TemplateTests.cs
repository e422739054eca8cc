using System.Reflection;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using GracefulDisconnect.DynamoDb;
using GracefulDisconnect.Testing.DynamoDb;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>
/// samples/Lambda/template.yaml and the code agree: the handler string resolves, every variable it sets is read, the
/// table is the one the DynamoDB store makes, and the function may make exactly the calls the store makes.
/// </summary>
[Collection(LambdaEnvironmentGroup.Name)]
public sealed partial class TemplateTests(DynaliteServer dynalite)
{
    private static readonly string Template = SqsEvents.Read("template.yaml");

    // Calls the store makes only when it creates the table itself (CreateTableIfMissing, which the function turns off).
    private static readonly string[] TableCreationCalls = ["CreateTable", "UpdateTimeToLive"];

    [Fact]
    public void Handler_ResolvesToAPublicStreamHandlerOnATypeWithAParameterlessConstructor()
    {
        var parts = HandlerLine().Match(Template).Groups[1].Value.Trim().Split("::");

        Assert.Equal(3, parts.Length);
        var assembly = Assembly.Load(parts[0]);
        var type = assembly.GetType(parts[1], throwOnError: true)!;
        Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
        var method = type.GetMethod(parts[2], BindingFlags.Public | BindingFlags.Instance, [typeof(Stream)]);
        Assert.NotNull(method);
        Assert.Equal(typeof(Task<Stream>), method.ReturnType);
        Assert.Equal("GracefulDisconnect.Samples.Lambda", typeof(Function).Assembly.GetName().Name);
    }

    [Fact]
    public void EnvironmentVariables_AreAllReadByTheFunction()
    {
        var set = Variables().Children.Keys.Select(key => ((YamlScalarNode)key).Value!).ToList();
        var read = new HashSet<string>(StringComparer.Ordinal);

        FunctionSettings.FromEnvironment(name =>
        {
            read.Add(name);
            return name switch
            {
                "SNS_TOPIC_ARN" => "arn:aws:sns:ap-northeast-1:123456789012:device-offline",
                "STATE_TABLE" => "gracefuldisconnect-state",
                _ => null,
            };
        });

        Assert.Contains("SNS_TOPIC_ARN", set);
        Assert.Contains("AWS_ENDPOINT_URL_IOT_DATA_PLANE", set);
        Assert.DoesNotContain("SQS_QUEUE_URL", set);
        Assert.All(set, variable => Assert.Contains(variable, read));
    }

    [Fact]
    public void EnvironmentVariables_StateTableIsTheDeclaredTable_AndNotifyRecoveryIsTheParameter()
    {
        var variables = Variables();

        Assert.Equal(("!Ref", "StateTable"), Tagged(variables["STATE_TABLE"]));
        Assert.Equal(("!Ref", "NotifyRecovery"), Tagged(variables["NOTIFY_RECOVERY"]));
        var parameter = (YamlMappingNode)((YamlMappingNode)Root()["Parameters"])["NotifyRecovery"];
        Assert.Equal(["true", "false"], ((YamlSequenceNode)parameter["AllowedValues"]).Children.Select(node => ((YamlScalarNode)node).Value));
        Assert.Equal("false", TemplateTable.Text(parameter, "Default"));
    }

    [Fact]
    public void StateTable_IsOnDemandWithTimeToLiveOnTheStoresAttribute()
    {
        var resource = TemplateTable.Resource("StateTable");
        var properties = TemplateTable.Properties("StateTable");

        Assert.Equal("AWS::DynamoDB::Table", TemplateTable.Text(resource, "Type"));
        Assert.Equal("PAY_PER_REQUEST", TemplateTable.Text(properties, "BillingMode"));
        var ttl = (YamlMappingNode)properties["TimeToLiveSpecification"];
        Assert.Equal(("expiresAt", "true"), (TemplateTable.Text(ttl, "AttributeName"), TemplateTable.Text(ttl, "Enabled")));
        Assert.False(properties.Children.ContainsKey(new YamlScalarNode("ProvisionedThroughput")));
    }

    [Fact]
    public async Task StateTable_HasExactlyTheKeysAttributesAndIndexesOfTheTableTheStoreCreates()
    {
        using var client = dynalite.NewClient();
        var declared = DynaliteServer.NewTable();
        var created = DynaliteServer.NewTable();
        await TemplateTable.CreateAsync(client, declared);
        using (await DynamoDbDeviceStore.OpenAsync(dynalite.Options(created, createTableIfMissing: true), client))
        {
        }

        // The store accepts the declared table as its own (it checks the key and the indexes when it opens one).
        using (await DynamoDbDeviceStore.OpenAsync(dynalite.Options(declared, createTableIfMissing: false), client))
        {
        }

        var mine = (await client.DescribeTableAsync(declared)).Table;
        var theirs = (await client.DescribeTableAsync(created)).Table;
        Assert.Equal(Shape(theirs), Shape(mine));
    }

    [Fact]
    public void FunctionPolicy_AllowsExactlyTheDynamoDbCallsTheStoreMakes_OnTheTableAndItsIndexes()
    {
        var statements = PolicyStatements();
        var dynamo = Assert.Single(statements, statement => Actions(statement).Any(action => action.StartsWith("dynamodb:", StringComparison.Ordinal)));

        var expected = StoreCalls().Except(TableCreationCalls).Select(call => "dynamodb:" + call).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Actions(dynamo).Order(StringComparer.Ordinal));
        var resources = ((YamlSequenceNode)dynamo["Resource"]).Children.Select(Tagged).ToList();
        Assert.Equal([("!GetAtt", "StateTable.Arn"), ("!Sub", "${StateTable.Arn}/index/*")], resources);
        Assert.Equal("Allow", TemplateTable.Text(dynamo, "Effect"));
    }

    [Fact]
    public void FunctionPolicy_HasNoWildcardActionsAndNoQueueSend()
    {
        var actions = PolicyStatements().SelectMany(Actions).ToList();

        Assert.DoesNotContain("sqs:SendMessage", actions);
        Assert.All(actions, action => Assert.DoesNotContain("*", action, StringComparison.Ordinal));
        Assert.Equal(["iot:GetThingShadow", "sns:Publish"], actions.Where(action => !action.StartsWith("dynamodb:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Events_TheQueueAndAOneMinuteSweepSchedule()
    {
        var events = (YamlMappingNode)FunctionProperties()["Events"];

        var sweep = (YamlMappingNode)events["Sweep"];
        Assert.Equal("Schedule", TemplateTable.Text(sweep, "Type"));
        Assert.Equal("rate(1 minute)", TemplateTable.Text((YamlMappingNode)sweep["Properties"], "Schedule"));
        var queue = (YamlMappingNode)events["Rechecks"];
        Assert.Equal("SQS", TemplateTable.Text(queue, "Type"));
        Assert.Equal("ReportBatchItemFailures", ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)queue["Properties"])["FunctionResponseTypes"]).Children[0]).Value);
    }

    [Fact]
    public void Rules_SendConnectsAsWellAsDisconnects()
    {
        var lifecycle = Sql("LifecycleDisconnectRule");
        var shadow = Sql("ShadowDisconnectRule");

        Assert.Contains("FROM '$aws/events/presence/+/+'", lifecycle, StringComparison.Ordinal);
        Assert.DoesNotContain("connected = false", shadow, StringComparison.Ordinal);
        Assert.Contains("previous.state.reported.connected <> current.state.reported.connected", shadow, StringComparison.Ordinal);
    }

    private static YamlMappingNode Root()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Template));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode FunctionProperties() => TemplateTable.Properties("RecheckFunction");

    private static YamlMappingNode Variables() => (YamlMappingNode)((YamlMappingNode)FunctionProperties()["Environment"])["Variables"];

    private static List<YamlMappingNode> PolicyStatements()
        => [.. ((YamlSequenceNode)FunctionProperties()["Policies"]).Children.Cast<YamlMappingNode>().SelectMany(policy => TemplateTable.Sequence(policy, "Statement"))];

    private static IEnumerable<string> Actions(YamlMappingNode statement) => statement["Action"] switch
    {
        YamlScalarNode one => [one.Value!],
        YamlSequenceNode many => many.Children.Select(node => ((YamlScalarNode)node).Value!),
        _ => [],
    };

    private static (string Tag, string Value) Tagged(YamlNode node) => (node.Tag.IsEmpty ? string.Empty : node.Tag.Value, ((YamlScalarNode)node).Value!);

    // The SQL of a rule: both branches of a shadow-name !If, joined.
    private static string Sql(string rule)
    {
        var sql = ((YamlMappingNode)TemplateTable.Properties(rule)["TopicRulePayload"])["Sql"];
        return sql is YamlSequenceNode branches
            ? string.Join("\n", branches.Children.OfType<YamlScalarNode>().Select(node => node.Value))
            : ((YamlScalarNode)sql).Value!;
    }

    // The DynamoDB operations the store's source calls on its client ("client.QueryAsync(" → Query).
    private static SortedSet<string> StoreCalls()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "GracefulDisconnect.DynamoDb");
        var calls = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories).Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            foreach (Match match in ClientCall().Matches(File.ReadAllText(file)))
            {
                calls.Add(match.Groups[1].Value);
            }
        }

        return calls;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GracefulDisconnect.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No repository root above " + AppContext.BaseDirectory);
    }

    // What CloudFormation and the store's CreateTable must agree on, in an order-free text.
    private static string Shape(TableDescription table)
    {
        var lines = new List<string>
        {
            "billing " + table.BillingModeSummary?.BillingMode?.Value,
            "key " + string.Join(",", table.KeySchema.Select(key => $"{key.AttributeName}:{key.KeyType.Value}")),
        };
        lines.AddRange(table.AttributeDefinitions.Select(attribute => $"attribute {attribute.AttributeName}:{attribute.AttributeType.Value}").Order(StringComparer.Ordinal));
        lines.AddRange((table.GlobalSecondaryIndexes ?? []).Select(index =>
            $"index {index.IndexName} {string.Join(",", index.KeySchema.Select(key => $"{key.AttributeName}:{key.KeyType.Value}"))} {index.Projection.ProjectionType.Value} {string.Join(",", (index.Projection.NonKeyAttributes ?? []).Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal));
        return string.Join("\n", lines);
    }

    [GeneratedRegex(@"^\s+Handler:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex HandlerLine();

    [GeneratedRegex(@"\b_?client\.([A-Z][A-Za-z]+)Async\(")]
    private static partial Regex ClientCall();
}
