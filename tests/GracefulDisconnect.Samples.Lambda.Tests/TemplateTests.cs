using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>samples/Lambda/template.yaml and the code agree: the handler string resolves, and every variable it sets is read.</summary>
public sealed partial class TemplateTests
{
    private static readonly string Template = SqsEvents.Read("template.yaml");

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
        var variables = Template[Template.IndexOf("      Environment:", StringComparison.Ordinal)..];
        variables = variables[..variables.IndexOf("      Events:", StringComparison.Ordinal)];
        var set = VariableLine().Matches(variables).Select(match => match.Groups[1].Value).ToList();
        var read = new HashSet<string>(StringComparer.Ordinal);

        FunctionSettings.FromEnvironment(name =>
        {
            read.Add(name);
            return name switch
            {
                "SNS_TOPIC_ARN" => "arn:aws:sns:ap-northeast-1:123456789012:device-offline",
                "SQS_QUEUE_URL" => "https://sqs.ap-northeast-1.amazonaws.com/123456789012/rechecks",
                _ => null,
            };
        });

        Assert.Contains("SNS_TOPIC_ARN", set);
        Assert.Contains("AWS_ENDPOINT_URL_IOT_DATA_PLANE", set);
        Assert.All(set, variable => Assert.Contains(variable, read));
    }

    [GeneratedRegex(@"^\s+Handler:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex HandlerLine();

    [GeneratedRegex(@"^\s{10}([A-Z][A-Z0-9_]+):", RegexOptions.Multiline)]
    private static partial Regex VariableLine();
}
