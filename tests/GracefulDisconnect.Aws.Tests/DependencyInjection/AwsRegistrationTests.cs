using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.DependencyInjection;

public sealed class AwsRegistrationTests
{
    private const string Topic = "arn:aws:sns:ap-northeast-1:123456789012:device-offline";
    private const string Queue = "https://sqs.ap-northeast-1.amazonaws.com/123456789012/rechecks";

    [Fact]
    public async Task AllThreeAdapters_ComposeIntoAnEngineThatResolves()
    {
        await using var provider = AwsTestHost.Build(Configure, validateOnBuild: true);

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.IsType<IotShadowReader>(provider.GetRequiredService<IShadowReader>());
        Assert.IsType<SqsScheduler>(provider.GetRequiredService<IScheduler>());
        Assert.IsType<SnsNotifier>(Assert.Single(provider.GetServices<INotifier>()));
        Assert.NotNull(provider.GetRequiredService<IRecheckHandler>());
        Assert.NotNull(provider.GetRequiredService<SqsRecheckPoller>());
        Assert.NotNull(provider.GetRequiredService<ISnsPublisher>());
    }

    [Fact]
    public void AddingTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        var builder = services.AddGracefulDisconnect();
        Configure(builder);
        var before = Counts(services);

        Configure(builder);

        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IShadowReader));
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(INotifier));
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IScheduler));
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IAmazonSQS));
        // Only the new configure actions are added (and the framework's start-up validation entries).
        var after = Counts(services);
        Assert.Equal(
            ["IConfigureOptions`1[AwsIotShadowReaderOptions]", "IConfigureOptions`1[SnsNotifierOptions]", "IConfigureOptions`1[SqsSchedulerOptions]"],
            after.Where(pair => pair.Value != before.GetValueOrDefault(pair.Key) && !pair.Key.Contains("StartupValidatorOptions", StringComparison.Ordinal)).Select(pair => pair.Key).Order());
    }

    [Fact]
    public async Task ConfigurationOverloads_BindEveryKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IotShadow:Endpoint"] = "https://abc123-ats.iot.ap-northeast-1.amazonaws.com",
            ["IotShadow:Region"] = "ap-northeast-1",
            ["IotShadow:ShadowName"] = "connectivity",
            ["IotShadow:ConnectedAttribute"] = "status",
            ["IotShadow:ConnectedValues:0"] = "online",
            ["IotShadow:DisconnectedValues:0"] = "offline",
            ["IotShadow:MaxRetryAttempts"] = "5",
            ["IotShadow:RetryBaseDelay"] = "00:00:00.100",
            ["IotShadow:MaxRetryDelay"] = "00:00:05",
            ["IotShadow:AttemptTimeout"] = "00:00:03",
            ["Sns:TopicArn"] = Topic + ".fifo",
            ["Sqs:QueueUrl"] = Queue,
            ["Sqs:ReceiveWaitTime"] = "00:00:05",
            ["Sqs:MaxMessagesPerPoll"] = "4",
        }).Build();
        await using var provider = AwsTestHost.Build(builder => builder
            .AddAwsIotShadowReader(configuration.GetSection("IotShadow"))
            .AddSnsNotifier(configuration.GetSection("Sns"))
            .AddSqsScheduler(configuration.GetSection("Sqs")));

        provider.GetRequiredService<IStartupValidator>().Validate();
        var shadow = provider.GetRequiredService<IOptions<AwsIotShadowReaderOptions>>().Value;
        Assert.Equal(("connectivity", "status", "online", "offline", 5), (shadow.ShadowName, shadow.ConnectedAttribute, shadow.ConnectedValues.Single(), shadow.DisconnectedValues.Single(), shadow.MaxRetryAttempts));
        Assert.Equal((TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3)), (shadow.RetryBaseDelay, shadow.MaxRetryDelay, shadow.AttemptTimeout));
        Assert.Equal(Topic + ".fifo", provider.GetRequiredService<IOptions<SnsNotifierOptions>>().Value.TopicArn);
        var sqs = provider.GetRequiredService<IOptions<SqsSchedulerOptions>>().Value;
        Assert.Equal((Queue, TimeSpan.FromSeconds(5), 4), (sqs.QueueUrl, sqs.ReceiveWaitTime, sqs.MaxMessagesPerPoll));
    }

    [Theory]
    [InlineData("TopicArn", "")]
    [InlineData("TopicArn", "arn:aws:sns:ap-northeast-1:12345:short-account")]
    [InlineData("Endpoint", "ftp://example.com")]
    [InlineData("ShadowName", "has space")]
    [InlineData("ConnectedAttribute", "status..link")]
    [InlineData("MaxRetryAttempts", "11")]
    [InlineData("Region", "Tokyo")]
    public async Task InvalidOptions_FailAtStartNamingTheOption(string option, string value)
    {
        await using var provider = AwsTestHost.Build(builder => builder
            .AddAwsIotShadowReader(options =>
            {
                options.Endpoint = option == "Endpoint" ? value : null;
                options.ShadowName = option == "ShadowName" ? value : null;
                options.ConnectedAttribute = option == "ConnectedAttribute" ? value : "connected";
                options.MaxRetryAttempts = option == "MaxRetryAttempts" ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 3;
                options.Region = option == "Region" ? value : null;
            })
            .AddSnsNotifier(options => options.TopicArn = option == "TopicArn" ? value : Topic));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, int> Counts(IServiceCollection services)
        => services.GroupBy(descriptor => $"{descriptor.ServiceType.Name}[{string.Join(",", descriptor.ServiceType.GenericTypeArguments.Select(type => type.Name))}]")
            .ToDictionary(group => group.Key, group => group.Count());

    private static void Configure(GracefulDisconnectBuilder builder)
        => builder
            .AddAwsIotShadowReader(options => options.Region = "ap-northeast-1")
            .AddSnsNotifier(options => options.TopicArn = Topic)
            .AddSqsScheduler(options => options.QueueUrl = Queue);
}
