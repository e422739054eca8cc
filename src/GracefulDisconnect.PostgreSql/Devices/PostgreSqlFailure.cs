using System.Net.Sockets;
using Npgsql;

namespace GracefulDisconnect.PostgreSql;

/// <summary>
/// Turns Npgsql's and the server's errors into one line a person can act on, naming the server (never the password):
/// a wrong password or an unreachable host is the user's environment, not a bug, so it gets no stack trace. What a
/// retry may cure (a lost connection, a server restarting, a serialization failure or deadlock) is transient.
/// </summary>
internal static class PostgreSqlFailure
{
    public static DeviceStoreException Describe(Exception exception, string server, string? password)
    {
        var store = $"PostgreSQL store {server}";
        var failure = exception switch
        {
            PostgresException postgres => FromServer(postgres, store),
            NpgsqlException { InnerException: SocketException socket } => Transient($"{store}: cannot reach the server ({Describe(socket)}); is it running, and are Host and Port right? Retrying", exception),
            NpgsqlException { InnerException: TimeoutException } or TimeoutException => Transient($"{store}: the server did not answer in time; retrying", exception),
            NpgsqlException { IsTransient: true } => Transient($"{store}: the connection to the server was lost ({Redact(exception.Message, password)}); retrying", exception),
            _ => new DeviceStoreException($"{store}: {Redact(exception.Message, password)}", exception),
        };
        return failure;
    }

    private static DeviceStoreException FromServer(PostgresException exception, string store)
    {
        var text = exception.MessageText;
        return exception.SqlState switch
        {
            // Authentication: never transient, retrying a wrong password only fills the server's log.
            "28P01" => new DeviceStoreException($"{store}: the server refused the password (password authentication failed); check Username and Password in the connection string", exception),
            "28000" => new DeviceStoreException($"{store}: the server refused the connection ({text}); check pg_hba.conf and that the role may log in", exception),
            "3D000" => new DeviceStoreException($"{store}: {text}; create it (createdb) or fix Database in the connection string", exception),
            "42501" => new DeviceStoreException($"{store}: {text}; grant the privileges the GracefulDisconnect.PostgreSql README lists, or use the schema's owner", exception),
            "57P01" or "57P02" or "57P03" => Transient($"{store}: the server is shutting down or restarting ({text}); retrying", exception),
            "40001" or "40P01" => Transient($"{store}: the commit met a concurrent one ({text}) and was rolled back; retrying", exception),
            var state when state.StartsWith("08", StringComparison.Ordinal) => Transient($"{store}: the connection failed ({text}); retrying", exception),
            var state when state.StartsWith("53", StringComparison.Ordinal) => Transient($"{store}: the server is short of resources ({text}); retrying", exception),
            _ when exception.IsTransient => Transient($"{store}: {exception.SqlState} {text}; retrying", exception),
            _ => new DeviceStoreException($"{store}: {exception.SqlState} {text}", exception),
        };
    }

    private static DeviceStoreException Transient(string message, Exception exception) => new(message, exception) { IsTransient = true };

    private static string Describe(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "the host name does not resolve",
        SocketError.TimedOut => "connection timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to the host",
        _ => socket.SocketErrorCode.ToString(),
    };

    // Belt and braces: Npgsql's messages do not carry the password, and this keeps it so if one ever did.
    private static string Redact(string message, string? password)
        => string.IsNullOrEmpty(password) ? message : message.Replace(password, "***", StringComparison.Ordinal);
}
