using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace GracefulDisconnect.DynamoDb.Tests.Failures;

/// <summary>What goes wrong in a user's environment becomes one <see cref="DeviceStoreException"/> naming the table, transient only where a retry may cure it.</summary>
[Collection(DynaliteGroup.Name)]
public sealed class ErrorMappingTests(DynaliteServer server)
{
    [Fact]
    public async Task OpenAsync_MissingTableWithoutCreateTableIfMissing_ThrowsNamingTheTableAndTheFix()
    {
        var table = DynaliteServer.NewTable();

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(() => DynamoDbDeviceStore.OpenAsync(server.Options(table, createTableIfMissing: false), server.NewClient()));

        Assert.Contains($"table '{table}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", failure.Message, StringComparison.Ordinal);
        Assert.Contains("CreateTableIfMissing", failure.Message, StringComparison.Ordinal);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public async Task LoadAsync_TableDeletedAfterOpening_ThrowsNamingTheTable()
    {
        var table = DynaliteServer.NewTable();
        using var client = server.NewClient();
        using var store = await DynamoDbDeviceStore.OpenAsync(server.Options(table), client);
        await client.DeleteTableAsync(table);

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(async () => await store.LoadAsync(["t1"]));

        Assert.Contains($"table '{table}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", failure.Message, StringComparison.Ordinal);
        Assert.IsType<ResourceNotFoundException>(failure.InnerException);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public async Task OpenAsync_TableWithoutTheIndexes_ThrowsNamingTheMissingIndex()
    {
        var table = DynaliteServer.NewTable();
        using var client = server.NewClient();
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(() => DynamoDbDeviceStore.OpenAsync(server.Options(table), client));

        Assert.Contains($"table '{table}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("index 'wake'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_TableOfAnotherShape_ThrowsSayingItIsNotThisStoresTable()
    {
        var table = DynaliteServer.NewTable();
        using var client = server.NewClient();
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S), new AttributeDefinition("at", ScalarAttributeType.N)],
            KeySchema = [new KeySchemaElement("id", KeyType.HASH), new KeySchemaElement("at", KeyType.RANGE)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(() => DynamoDbDeviceStore.OpenAsync(server.Options(table, createTableIfMissing: false), client));

        Assert.Contains($"table '{table}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("not a table of this store", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommitAsync_ItemOverDynamoDbsSizeLimit_IsAValidationFailureNamingTheTableAndNothingElseIsLost()
    {
        var table = DynaliteServer.NewTable();
        using var store = await DynamoDbDeviceStore.OpenAsync(server.Options(table), server.NewClient());

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(async () => await store.CommitAsync(
        [
            new DeviceChange("huge", 0, new string('x', 500 * 1024), null, []),
            new DeviceChange("small", 0, "fine", null, []),
        ]));

        Assert.Contains($"table '{table}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("rejected a request", failure.Message, StringComparison.Ordinal);
        Assert.Contains("1 of the commit's 2 devices were written", failure.Message, StringComparison.Ordinal);
        Assert.False(failure.IsTransient);
        Assert.Equal([new StoredDevice("small", 1, "fine")], await store.LoadAsync(["huge", "small"]));
    }

    [Fact]
    public async Task OpenAsync_NothingListeningAtTheEndpoint_IsATransientFailureNamingTheTable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("k", "s"), new AmazonDynamoDBConfig { ServiceURL = $"http://127.0.0.1:{port}", AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(() => DynamoDbDeviceStore.OpenAsync(server.Options("gd-unreachable"), client));

        Assert.Contains("table 'gd-unreachable'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("cannot reach DynamoDB", failure.Message, StringComparison.Ordinal);
        Assert.True(failure.IsTransient);
    }

    [Theory]
    [InlineData("ProvisionedThroughputExceededException", HttpStatusCode.BadRequest, true, "throttled")]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest, true, "throttled")]
    [InlineData("RequestLimitExceeded", HttpStatusCode.BadRequest, true, "throttled")]
    [InlineData("InternalServerError", HttpStatusCode.InternalServerError, true, "retrying")]
    [InlineData("AccessDeniedException", HttpStatusCode.BadRequest, false, "grant the IAM actions")]
    [InlineData("UnrecognizedClientException", HttpStatusCode.BadRequest, false, "refused the credentials")]
    [InlineData("ValidationException", HttpStatusCode.BadRequest, false, "rejected a request")]
    public void Describe_ServiceErrors_AreTransientOnlyWhenARetryMayCureThem(string code, HttpStatusCode status, bool transient, string expected)
    {
        var error = new AmazonDynamoDBException("the service said no", ErrorType.Sender, code, "request-1", status);

        var failure = DynamoDbFailure.Describe(error, "fleet-prod");

        Assert.StartsWith("DynamoDB store table 'fleet-prod': ", failure.Message, StringComparison.Ordinal);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Equal(transient, failure.IsTransient);
        Assert.Same(error, failure.InnerException);
    }
}
