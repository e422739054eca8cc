using Microsoft.Extensions.Logging;
using Xunit;

namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>Reading the template's environment variables, without touching the process environment.</summary>
public sealed class FunctionSettingsTests
{
    private static readonly Dictionary<string, string> Required = new()
    {
        ["SNS_TOPIC_ARN"] = "arn:aws:sns:ap-northeast-1:123456789012:device-offline",
        ["STATE_TABLE"] = "gracefuldisconnect-state",
    };

    [Fact]
    public void FromEnvironment_OnlyRequiredVariables_UsesTheDefaults()
    {
        var settings = Read([]);

        Assert.Equal(Required["SNS_TOPIC_ARN"], settings.TopicArn);
        Assert.Equal(Required["STATE_TABLE"], settings.StateTable);
        Assert.False(settings.NotifyRecovery);
        Assert.Equal((null, null), (settings.ReminderInterval, settings.MaxReminders));
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

    [Theory]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    [InlineData(" ", false)]
    public void FromEnvironment_NotifyRecovery_IsTrueOrFalse(string text, bool expected)
        => Assert.Equal(expected, Read(new() { ["NOTIFY_RECOVERY"] = text }).NotifyRecovery);

    [Theory]
    [InlineData("NOTIFY_RECOVERY", "maybe", "must be true or false, not 'maybe'")]
    [InlineData("NOTIFY_RECOVERY", "1", "must be true or false")]
    [InlineData("REMIND_EVERY", "soon", "must be a duration")]
    [InlineData("REMIND_EVERY", "30s", "from 1m to 30d")]
    [InlineData("STATE_TABLE", "my table", "must be a DynamoDB table name")]
    public void FromEnvironment_InvalidValue_NamesTheVariableAndTheRule(string variable, string value, string expected)
    {
        var error = Assert.Throws<FunctionConfigurationException>(() => Read(new() { [variable] = value }));

        Assert.Equal(variable, error.Variable);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_Reminders_AreRead_AndALimitWithoutAnIntervalIsRefused()
    {
        var settings = Read(new() { ["REMIND_EVERY"] = "1h", ["MAX_REMINDERS"] = "3" });
        var error = Assert.Throws<FunctionConfigurationException>(() => Read(new() { ["MAX_REMINDERS"] = "3" }));

        Assert.Equal((TimeSpan.FromHours(1), 3), (settings.ReminderInterval, settings.MaxReminders));
        Assert.Equal("MAX_REMINDERS", error.Variable);
        Assert.Contains("needs REMIND_EVERY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_MissingStateTable_SaysWhatToSet()
    {
        var error = Assert.Throws<FunctionConfigurationException>(() => FunctionSettings.FromEnvironment(name => name == "STATE_TABLE" ? null : Required.GetValueOrDefault(name)));

        Assert.Equal("STATE_TABLE", error.Variable);
        Assert.StartsWith("Environment variable STATE_TABLE is required", error.Message, StringComparison.Ordinal);
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
