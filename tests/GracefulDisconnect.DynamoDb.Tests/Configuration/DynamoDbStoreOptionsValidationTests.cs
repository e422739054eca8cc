using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.DynamoDb.Tests.Configuration;

/// <summary>Options are checked at the door, each message naming the option and the fix.</summary>
[Collection(DynaliteGroup.Name)]
public sealed class DynamoDbStoreOptionsValidationTests(DynaliteServer server)
{
    [Theory]
    [InlineData("", "is required")]
    [InlineData("ab", "not a DynamoDB table name")]
    [InlineData("fleet prod", "not a DynamoDB table name")]
    [InlineData("fleet/prod", "not a DynamoDB table name")]
    public void Validate_BadTableName_NamesTheOptionAndTheFix(string table, string expected)
        => AssertFails(new DynamoDbStoreOptions { TableName = table }, "TableName", expected);

    [Theory]
    [InlineData("EU-WEST-1")]
    [InlineData("eu west 1")]
    [InlineData("ireland")]
    public void Validate_BadRegion_NamesTheOptionAndTheFix(string region)
        => AssertFails(new DynamoDbStoreOptions { TableName = "fleet", Region = region }, "Region", "not an AWS region name");

    [Fact]
    public void Validate_BadServiceUrl_NamesTheOptionAndTheFix()
    {
        AssertFails(new DynamoDbStoreOptions { TableName = "fleet", ServiceUrl = new Uri("ftp://localhost:8000") }, "ServiceUrl", "http:// or https://");
        AssertFails(new DynamoDbStoreOptions { TableName = "fleet", ServiceUrl = new Uri("/local", UriKind.Relative) }, "ServiceUrl", "http:// or https://");
    }

    [Fact]
    public void Validate_LimitsOutOfRange_NameTheOption()
    {
        AssertFails(new DynamoDbStoreOptions { TableName = "fleet", DeliveredRetention = TimeSpan.FromHours(1) }, "DeliveredRetention", "at least a day");
        AssertFails(new DynamoDbStoreOptions { TableName = "fleet", MaxErrorRetry = 21 }, "MaxErrorRetry", "0 to 20");
        AssertFails(new DynamoDbStoreOptions { TableName = "fleet", MaxErrorRetry = -1 }, "MaxErrorRetry", "0 to 20");
        AssertFails(new DynamoDbStoreOptions { TableName = "fleet", MaxConcurrentWrites = 0 }, "MaxConcurrentWrites", "1 to 64");
    }

    [Fact]
    public void Validate_GoodOptions_Pass()
    {
        var validator = new DynamoDbStoreOptionsValidator();

        Assert.True(validator.Validate(null, new DynamoDbStoreOptions { TableName = "gracefuldisconnect-prod" }).Succeeded);
        Assert.True(validator.Validate(null, new DynamoDbStoreOptions { TableName = "fleet_eu.v2", Region = "eu-west-1", ServiceUrl = new Uri("http://localhost:8000"), DeliveredRetention = null }).Succeeded);
        Assert.True(validator.Validate(null, new DynamoDbStoreOptions { TableName = "fleet", Region = "us-gov-west-1", DeliveredRetention = TimeSpan.FromDays(1), MaxErrorRetry = 0, MaxConcurrentWrites = 64 }).Succeeded);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsArgumentExceptionNamingTheOption()
    {
        var failure = Assert.Throws<ArgumentException>(() => DynamoDbDeviceStore.Create(new DynamoDbStoreOptions { TableName = "x" }, server.NewClient()));

        Assert.Contains("TableName", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseDynamoDbStore_WithTheApplicationsClient_ResolvesAWorkingStoreAsTheDeviceStore()
    {
        var table = DynaliteServer.NewTable();
        var services = new ServiceCollection();
        services.AddSingleton<IAmazonDynamoDB>(server.NewClient());
        services.AddGracefulDisconnect(_ => { }).UseDynamoDbStore(o =>
        {
            o.TableName = table;
            o.CreateTableIfMissing = true;
        });
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IDeviceStore>();
        Assert.Empty(await store.CommitAsync([new DeviceChange("t1", 0, "through DI", null, [])]));

        Assert.Same(provider.GetRequiredService<DynamoDbDeviceStore>(), store);
        Assert.Equal(table, ((DynamoDbDeviceStore)store).TableName);
        Assert.Equal([new StoredDevice("t1", 1, "through DI")], await store.LoadAsync(["t1"]));
    }

    [Fact]
    public void UseDynamoDbStore_InvalidOptions_FailValidationNamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(_ => { }).UseDynamoDbStore(o => o.MaxConcurrentWrites = 0);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DynamoDbStoreOptions>>().Value);

        Assert.Contains("TableName", failure.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrentWrites", failure.Message, StringComparison.Ordinal);
    }

    private static void AssertFails(DynamoDbStoreOptions options, string option, string expected)
    {
        var result = new DynamoDbStoreOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(option, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }
}
