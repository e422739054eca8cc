using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.PostgreSql;

/// <summary>The PostgreSQL store's log messages (event ids 6000-6099).</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "PostgreSQL store {Server}: schema '{Schema}' migrated from version {From} to {To}")]
    public static partial void SchemaMigrated(ILogger logger, string server, string schema, int from, int to);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "PostgreSQL store {Server}: schema '{Schema}' is at version {Version}")]
    public static partial void SchemaCurrent(ILogger logger, string server, string schema, int version);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "PostgreSQL store: listening on channel '{Channel}' for commits that make work due")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "PostgreSQL store: lost the LISTEN connection on '{Channel}' ({Problem}); waiters poll, reconnecting in {Delay}")]
    public static partial void ListenerLost(ILogger logger, string channel, string problem, TimeSpan delay);
}
