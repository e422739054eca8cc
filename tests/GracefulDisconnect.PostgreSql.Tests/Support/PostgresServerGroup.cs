namespace GracefulDisconnect.PostgreSql.Tests;

[CollectionDefinition(Name)]
public sealed class PostgresServerGroup : ICollectionFixture<PostgresServer>
{
    // One server for all test classes, which then run one after another (a restart must not cut another test's connections).
    public const string Name = "postgres";
}
