using Xunit;

namespace GracefulDisconnect.Aws.Tests.Http;

public sealed class AwsServiceEndpointTests
{
    private const string Variable = "AWS_ENDPOINT_URL_IOT_DATA_PLANE";

    [Theory]
    [InlineData("https://option.example", "https://service.example", "https://global.example", "https://option.example/")]
    [InlineData(null, "https://service.example/", "https://global.example", "https://service.example/")]
    [InlineData(null, null, "http://127.0.0.1:4566", "http://127.0.0.1:4566/")]
    [InlineData(null, null, null, "https://data-ats.iot.ap-northeast-1.amazonaws.com/")]
    public void Resolve_Endpoint_OptionThenServiceVariableThenGlobalVariableThenRegionalDefault(string? option, string? service, string? global, string expected)
    {
        var environment = Environment(("AWS_REGION", "ap-northeast-1"), (Variable, service), ("AWS_ENDPOINT_URL", global));

        var endpoint = AwsServiceEndpoint.Resolve(new AwsIotShadowReaderOptions { Endpoint = option }, Variable, IotShadowReader.DefaultEndpoint, environment: environment);

        Assert.Equal(expected, endpoint.Uri.AbsoluteUri);
    }

    [Fact]
    public void Resolve_IgnoreConfiguredEndpoints_UsesTheRegionalDefault()
    {
        var environment = Environment(("AWS_REGION", "cn-north-1"), (Variable, "https://service.example"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));

        var endpoint = AwsServiceEndpoint.Resolve(new AwsIotShadowReaderOptions(), Variable, IotShadowReader.DefaultEndpoint, environment: environment);

        Assert.Equal("https://data-ats.iot.cn-north-1.amazonaws.com.cn/", endpoint.Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("eu-west-1", "us-east-1", "us-west-2", null, "eu-west-1")]
    [InlineData(null, "us-east-1", "us-west-2", null, "us-east-1")]
    [InlineData(null, null, "us-west-2", null, "us-west-2")]
    [InlineData(null, "us-east-1", null, "sa-east-1", "sa-east-1")]
    public void Resolve_Region_OptionThenPreferredThenAwsRegionThenAwsDefaultRegion(string? option, string? awsRegion, string? defaultRegion, string? preferred, string expected)
    {
        var environment = Environment(("AWS_REGION", awsRegion), ("AWS_DEFAULT_REGION", defaultRegion));

        var endpoint = AwsServiceEndpoint.Resolve(new SnsNotifierOptions { Region = option }, "AWS_ENDPOINT_URL_SNS", SnsPublisher.DefaultEndpoint, preferred, environment);

        Assert.Equal(expected, endpoint.Region);
        Assert.Equal($"https://sns.{expected}.amazonaws.com/", endpoint.Uri.AbsoluteUri);
    }

    [Fact]
    public void Resolve_MalformedEndpointVariable_NamesTheVariable()
    {
        var environment = Environment(("AWS_REGION", "us-east-1"), (Variable, "not a url"));

        var error = Assert.Throws<InvalidOperationException>(() => AwsServiceEndpoint.Resolve(new AwsIotShadowReaderOptions(), Variable, IotShadowReader.DefaultEndpoint, environment: environment));

        Assert.Contains(Variable, error.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Environment(params (string Name, string? Value)[] variables)
    {
        var map = variables.Where(variable => variable.Value is not null).ToDictionary(variable => variable.Name, variable => variable.Value);
        return name => map.GetValueOrDefault(name);
    }
}
