using Microsoft.Extensions.Logging;
using Npgsql;

namespace GracefulDisconnect.PostgreSql;

/// <summary>
/// Creates or migrates the store's schema in one transaction under an advisory lock on the schema's name, so
/// processes starting together apply each migration once and none starts on a half-made schema. A schema newer than
/// this version knows is refused: writing it with older rules could notify outages twice.
/// </summary>
internal static class PostgreSqlSchemaMigrator
{
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, PostgreSqlDeviceSql sql, string server, ILogger logger, CancellationToken cancellationToken)
    {
        var schema = PostgreSqlDeviceSql.Quote(sql.Schema);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);

        // Per schema: deployments in other schemas of the database migrate independently.
        await ScalarAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", ("key", "gracefuldisconnect.schema." + sql.Schema), cancellationToken).ConfigureAwait(false);

        var found = 0;
        if (await ScalarAsync(connection, "SELECT to_regclass(@table) IS NOT NULL", ("table", schema + ".schema_version"), cancellationToken).ConfigureAwait(false) is true)
        {
            found = Convert.ToInt32(await ScalarAsync(connection, $"SELECT coalesce(max(version), 0) FROM {schema}.schema_version", null, cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            // Only when missing: CREATE SCHEMA needs CREATE on the database, which a schema's owner may not have.
            if (await ScalarAsync(connection, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", ("schema", sql.Schema), cancellationToken).ConfigureAwait(false) is not true)
            {
                await ExecuteAsync(connection, $"CREATE SCHEMA {schema}", cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, $"CREATE TABLE {schema}.schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken).ConfigureAwait(false);
        }

        var current = PostgreSqlDeviceSchema.CurrentVersion;
        if (found > current)
        {
            throw new DeviceStoreException($"PostgreSQL store {server}: schema '{sql.Schema}' is at version {found}, newer than the {current} this version of GracefulDisconnect knows; upgrade GracefulDisconnect, or set another Schema");
        }

        for (var next = found + 1; next <= current; next++)
        {
            await ExecuteAsync(connection, PostgreSqlDeviceSchema.Migrations[next - 1].Replace("{schema}", schema, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
            await ScalarAsync(connection, $"INSERT INTO {schema}.schema_version (version) VALUES (@version)", ("version", next), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (found < current)
        {
            PostgreSqlLog.SchemaMigrated(logger, server, sql.Schema, found, current);
        }
        else
        {
            PostgreSqlLog.SchemaCurrent(logger, server, sql.Schema, current);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string text, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(text, connection);
        await using var commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string text, (string Name, object Value)? parameter, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(text, connection);
        await using var commandScope = command.ConfigureAwait(false);
        if (parameter is { } p)
        {
            command.Parameters.AddWithValue(p.Name, p.Value);
        }

        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
