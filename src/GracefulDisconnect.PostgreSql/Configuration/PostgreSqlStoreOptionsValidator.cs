using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.PostgreSql;

/// <summary>
/// Validates <see cref="PostgreSqlStoreOptions"/> at the door: a connection string that parses and names a host, and a
/// schema name that needs no quoting; each failure names the option and the fix, never the password.
/// </summary>
internal sealed partial class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
{
    // 48 leaves room for the notification channel's suffix within PostgreSQL's 63-byte identifiers.
    public const int MaxSchemaLength = 48;

    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            builder.AddError(
                "is required; set it, for example to Host=localhost;Database=gracefuldisconnect;Username=gd;Password=... or postgresql://gd:...@localhost/gracefuldisconnect",
                nameof(options.ConnectionString));
        }
        else if (!PostgreSqlConnectionString.TryParse(options.ConnectionString, out var parsed, out var problem))
        {
            builder.AddError(problem, nameof(options.ConnectionString));
        }
        else if (string.IsNullOrWhiteSpace(parsed.Host))
        {
            builder.AddError("names no server; add Host=... (or the host of a postgresql:// URI)", nameof(options.ConnectionString));
        }

        if (CheckSchema(options.Schema) is { } schemaProblem)
        {
            builder.AddError(schemaProblem, nameof(options.Schema));
        }

        return builder.Build();
    }

    private static string? CheckSchema(string? schema)
    {
        if (string.IsNullOrEmpty(schema))
        {
            return $"is required; leave the default '{PostgreSqlStoreOptions.DefaultSchema}' or give one per deployment, for example gracefuldisconnect_staging";
        }

        if (schema.Length > MaxSchemaLength)
        {
            return $"'{schema}' is {schema.Length} characters; use at most {MaxSchemaLength}";
        }

        // Names that need quoting invite case mix-ups between processes; pg_ names are reserved by PostgreSQL.
        if (!Identifier().IsMatch(schema) || schema.StartsWith("pg_", StringComparison.Ordinal))
        {
            return $"'{schema}' is not a plain schema name; use lower-case letters, digits and underscores, starting with a letter or an underscore and not with pg_ (for example gracefuldisconnect_staging)";
        }

        return null;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
