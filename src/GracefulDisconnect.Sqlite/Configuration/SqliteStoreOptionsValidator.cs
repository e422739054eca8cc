using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// Validates <see cref="SqliteStoreOptions"/> on start: the attribute rules plus what attributes cannot
/// express (a durable file path, backoff bounds), each failure naming the option and the fix.
/// </summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    private readonly SqliteStoreOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));

        if (!string.IsNullOrWhiteSpace(options.Path) && CheckPath(options.Path) is { } problem)
        {
            builder.AddError(problem, nameof(options.Path));
        }

        if (options.OutboxMaxBackoff < options.OutboxInitialBackoff)
        {
            builder.AddError(
                $"must be at least OutboxInitialBackoff ({options.OutboxInitialBackoff}), not {options.OutboxMaxBackoff}",
                nameof(options.OutboxMaxBackoff));
        }

        return builder.Build();
    }

    private static string? CheckPath(string path)
    {
        // The whole point of this store is to outlive the process; an in-memory database would not.
        if (SqliteDatabase.IsInMemory(path))
        {
            return $"'{path}' is an in-memory database, which does not survive a restart; give a file path such as /var/lib/gracefuldisconnect/store.db";
        }

        string fullPath;
        try
        {
            fullPath = System.IO.Path.GetFullPath(path);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"'{path}' is not a valid file path: {exception.Message}";
        }

        if (Directory.Exists(fullPath))
        {
            return $"'{path}' is a directory; give the database file inside it, for example {System.IO.Path.Combine(path, "gracefuldisconnect.db")}";
        }

        return null;
    }
}
