using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.DependencyInjection;

public sealed class ControlPlaneRegistrationTests
{
    [Fact]
    public async Task AddAwsIotConnectivityReader_AfterTheShadowReader_IsTheOneIShadowReader()
    {
        await using var provider = AwsTestHost.Build(
            builder => builder
                .AddAwsIotShadowReader(options => options.Region = AwsTestHost.Region)
                .AddAwsIotConnectivityReader(options => options.Region = AwsTestHost.Region)
                .AddAwsIotFleetIndex(options => options.Region = AwsTestHost.Region),
            validateOnBuild: true);

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.IsType<IotConnectivityReader>(provider.GetRequiredService<IShadowReader>());
        Assert.IsType<IotFleetIndex>(provider.GetRequiredService<IIotFleetIndex>());
    }

    [Fact]
    public void AddingTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        var builder = services.AddGracefulDisconnect();
        builder.AddAwsIotConnectivityReader().AddAwsIotFleetIndex();

        builder.AddAwsIotConnectivityReader().AddAwsIotFleetIndex();

        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IShadowReader));
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IIotFleetIndex));
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IotConnectivityReader));
    }

    [Fact]
    public async Task Defaults_AreTheServiceQuotasAndTheLargestPage()
    {
        await using var provider = AwsTestHost.Build(builder => builder
            .AddAwsIotShadowReader(options => options.Region = AwsTestHost.Region)
            .AddAwsIotConnectivityReader(options => options.Region = AwsTestHost.Region)
            .AddAwsIotFleetIndex(options => options.Region = AwsTestHost.Region));

        Assert.Equal(350, provider.GetRequiredService<IOptions<AwsIotConnectivityReaderOptions>>().Value.MaxRequestsPerSecond);
        Assert.Equal(400, provider.GetRequiredService<IOptions<AwsIotShadowReaderOptions>>().Value.MaxRequestsPerSecond);
        var index = provider.GetRequiredService<IOptions<AwsIotFleetIndexOptions>>().Value;
        Assert.Equal((10, 100, "AWS_Things"), (index.MaxRequestsPerSecond, index.PageSize, index.IndexName));
    }

    [Fact]
    public async Task ConfigurationOverloads_BindRateAndPage()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectivity:Region"] = AwsTestHost.Region,
            ["Connectivity:MaxRequestsPerSecond"] = "1000",
            ["Index:Region"] = AwsTestHost.Region,
            ["Index:PageSize"] = "50",
            ["Index:MaxRequestsPerSecond"] = "25",
        }).Build();
        await using var provider = AwsTestHost.Build(builder => builder
            .AddAwsIotConnectivityReader(configuration.GetSection("Connectivity"))
            .AddAwsIotFleetIndex(configuration.GetSection("Index")));

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(1000, provider.GetRequiredService<IOptions<AwsIotConnectivityReaderOptions>>().Value.MaxRequestsPerSecond);
        var index = provider.GetRequiredService<IOptions<AwsIotFleetIndexOptions>>().Value;
        Assert.Equal((25, 50), (index.MaxRequestsPerSecond, index.PageSize));
    }

    [Theory]
    [InlineData("MaxRequestsPerSecond", "2", "at least 3")]
    [InlineData("MaxRequestsPerSecond", "-1", "MaxRequestsPerSecond")]
    [InlineData("PageSize", "101", "PageSize")]
    [InlineData("IndexName", "my index", "AWS_Things")]
    [InlineData("Endpoint", "ftp://iot.example.com", "absolute http or https URL")]
    public async Task InvalidOptions_FailAtStartNamingTheFix(string option, string value, string expected)
    {
        await using var provider = AwsTestHost.Build(builder => builder
            .AddAwsIotFleetIndex(options =>
            {
                options.Region = AwsTestHost.Region;
                options.MaxRequestsPerSecond = option == "MaxRequestsPerSecond" ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 10;
                options.PageSize = option == "PageSize" ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 100;
                options.IndexName = option == "IndexName" ? value : "AWS_Things";
                options.Endpoint = option == "Endpoint" ? value : null;
            }));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
