using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.PostgreSql.Tests.Configuration;

/// <summary>Options are checked at the door, each message naming the option and the fix (and never the password).</summary>
public sealed class PostgreSqlStoreOptionsValidationTests
{
    [Theory]
    [InlineData("", "ConnectionString", "is required")]
    [InlineData("Host=db;Nonsense=1;Password=hunter2-secret", "ConnectionString", "not a valid Npgsql connection string")]
    [InlineData("Database=fleet;Password=hunter2-secret", "ConnectionString", "add Host=")]
    [InlineData("postgresql://u:hunter2-secret@db/fleet?nonsense=1", "ConnectionString", "'nonsense'")]
    public void Validate_BadConnectionString_NamesTheOptionAndTheFix(string connectionString, string option, string expected)
    {
        var result = new PostgreSqlStoreOptionsValidator().Validate(null, new PostgreSqlStoreOptions { ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.Contains(option, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("Production", "not a plain schema name")]
    [InlineData("drop table;", "not a plain schema name")]
    [InlineData("pg_mine", "not with pg_")]
    [InlineData("a_schema_name_that_is_much_too_long_for_the_channel_x", "use at most 48")]
    public void Validate_BadSchema_NamesTheOptionAndTheFix(string schema, string expected)
    {
        var result = new PostgreSqlStoreOptionsValidator().Validate(null, new PostgreSqlStoreOptions { ConnectionString = "Host=db", Schema = schema });

        Assert.True(result.Failed);
        Assert.Contains("Schema", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Database=fleet;Username=gd;Password=x", "gracefuldisconnect")]
    [InlineData("postgresql://gd:p%40ss@db:5433/fleet?sslmode=require", "fleet_staging_2")]
    [InlineData("postgres://db/fleet", "_private")]
    public void Validate_GoodOptions_Pass(string connectionString, string schema)
        => Assert.True(new PostgreSqlStoreOptionsValidator().Validate(null, new PostgreSqlStoreOptions { ConnectionString = connectionString, Schema = schema }).Succeeded);

    [Fact]
    public void UsePostgreSqlStore_ResolvesThePostgreSqlStoreAsTheDeviceStore_AndValidatesItsOptions()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(_ => { }).UsePostgreSqlStore(o => o.ConnectionString = "Host=127.0.0.1;Port=1;Database=x");
        using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IDeviceStore>();

        Assert.Same(provider.GetRequiredService<PostgreSqlDeviceStore>(), store);
        Assert.Equal("gracefuldisconnect", ((PostgreSqlDeviceStore)store).Schema);

        var bad = new ServiceCollection();
        bad.AddGracefulDisconnect(_ => { }).UsePostgreSqlStore(o => o.Schema = "Bad Name");
        using var badProvider = bad.BuildServiceProvider();
        var failure = Assert.Throws<OptionsValidationException>(() => badProvider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value);
        Assert.Contains("ConnectionString", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Schema", failure.Message, StringComparison.Ordinal);
    }
}
