using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Npgsql;

namespace GracefulDisconnect.PostgreSql;

/// <summary>
/// Reads the two forms users write (an Npgsql connection string and a <c>postgresql://</c> URI, as psql and most
/// tools take it) into one, and describes a server without its password for messages.
/// </summary>
internal static class PostgreSqlConnectionString
{
    public static bool TryParse(string value, [NotNullWhen(true)] out NpgsqlConnectionStringBuilder? builder, [NotNullWhen(false)] out string? problem)
    {
        builder = null;
        problem = null;
        var trimmed = value.Trim();
        if (trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseUri(trimmed, out builder, out problem);
        }

        try
        {
            builder = new NpgsqlConnectionStringBuilder(trimmed);
            return true;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            // Npgsql names the keyword, never the value; the value could be the password.
            problem = $"is not a valid Npgsql connection string ({exception.Message.TrimEnd('.')}); write Key=Value pairs separated by ';', or a postgresql://user:password@host:port/database URI";
            return false;
        }
    }

    /// <summary>The server as <c>postgresql://user@host:port/database</c>: enough to tell which one, and no secret.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        var user = string.IsNullOrEmpty(builder.Username) ? string.Empty : builder.Username + "@";
        return string.Create(CultureInfo.InvariantCulture, $"postgresql://{user}{builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static bool TryParseUri(string value, [NotNullWhen(true)] out NpgsqlConnectionStringBuilder? builder, [NotNullWhen(false)] out string? problem)
    {
        builder = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            problem = "is not a valid postgresql:// URI; write postgresql://user:password@host:port/database (percent-encode special characters of the password)";
            return false;
        }

        var result = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            result.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            result.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                result.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            result.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var option = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                // libpq spells it sslmode; Npgsql takes "SSL Mode".
                result[string.Equals(key, "sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = option;
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
            {
                problem = $"has the option '{key}', which Npgsql does not know; use Npgsql's names (for example sslmode, Timeout, Pooling) or the Key=Value form";
                return false;
            }
        }

        builder = result;
        problem = null;
        return true;
    }
}
