using GracefulDisconnect.Testing.PostgreSql;

namespace GracefulDisconnect.Cli.Tests.Support;

[CollectionDefinition(Name)]
public sealed class PostgresServerGroup : ICollectionFixture<PostgresServer>
{
    // One throwaway cluster for the tool's PostgreSQL tests; each test takes a database of its own.
    public const string Name = "postgres";
}
