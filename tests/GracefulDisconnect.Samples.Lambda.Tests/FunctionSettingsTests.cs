using Microsoft.Extensions.Logging;
using Xunit;

namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>Reading the template's environment variables, without touching the process environment.</summary>
public sealed class FunctionSettingsTests
{
    private static readonly Dictionary<string, string> Required = new()
    {
        ["SNS_TOPIC_ARN"] = "arn:aws:sns:ap-northeast-1:123456789012:device-offline",
        ["SQS_QUEUE_URL"] = "https://sqs.ap-northeast-1.amazonaws.com/123456789012/gracefuldisconnect-rechecks",
    };

    [Fact]
    public void FromEnvironment_OnlyRequiredVariables_UsesTheDefaults()
    {
        var settings = Read([]);

        Assert.Equal(Required["SNS_TOPIC_ARN"], settings.TopicArn);
        Assert.Equal(Required["SQS_QUEUE_URL"], settings.QueueUrl);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.GracePeriod);
        Assert.Equal((null, null, null), (settings.ShadowName, settings.TimeZone, settings.Culture));
        Assert.Equal((10, LogLevel.Information), (settings.MaxConcurrency, settings.LogLevel));
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("00:05:00", 300)]
    [InlineData("1.02:00:00", 93600)]
    public void FromEnvironment_GracePeriod_AcceptsTheTemplatesForms(string text, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), Read(new() { ["GRACE_PERIOD"] = text }).GracePeriod);

    [Fact]
    public void FromEnvironment_OptionalVariables_AreRead_AndEmptyMeansUnset()
    {
        var settings = Read(new()
        {
            ["SHADOW_NAME"] = "connectivity",
            ["TIME_ZONE"] = "Asia/Tokyo",
            ["CULTURE"] = " ",
            ["MAX_CONCURRENCY"] = "4",
            ["AWS_LAMBDA_LOG_LEVEL"] = "DEBUG",
        });

        Assert.Equal(("connectivity", "Asia/Tokyo", null), (settings.ShadowName, settings.TimeZone, settings.Culture));
        Assert.Equal((4, LogLevel.Debug), (settings.MaxConcurrency, settings.LogLevel));
    }

    [Fact]
    public void FromEnvironment_MissingTopic_SaysWhatToSet()
    {
        var error = Assert.Throws<FunctionConfigurationException>(() => FunctionSettings.FromEnvironment(_ => null));

        Assert.Equal("SNS_TOPIC_ARN", error.Variable);
        Assert.StartsWith("Environment variable SNS_TOPIC_ARN is required, for example arn:aws:sns:", error.Message, StringComparison.Ordinal);
    }

    private static FunctionSettings Read(Dictionary<string, string> variables)
        => FunctionSettings.FromEnvironment(name => variables.TryGetValue(name, out var value) ? value : Required.GetValueOrDefault(name));
}
