using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// Validates <see cref="SqliteStoreOptions"/> on start: the attribute rules plus what attributes cannot
/// express (a durable file path, backoff bounds, a lease longer than the engine's digest window), each failure naming
/// the option and the fix.
/// </summary>
internal sealed class SqliteStoreOptionsValidator(IOptions<GracefulDisconnectOptions> engine) : IValidateOptions<SqliteStoreOptions>
{
    // Time for the digest to be sent once its window closes, on top of the window itself.
    private static readonly TimeSpan DigestSendAllowance = TimeSpan.FromMinutes(1);

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

        // A notification held for a digest is claimed but not yet confirmed; were the lease to run out first, the outbox
        // would take the claim for a crashed process's and send it on its own, and the digest would send it again.
        if (EngineDigest() is { } digest && options.OutboxLease < digest.Window + DigestSendAllowance)
        {
            builder.AddError(
                $"must be at least the digest window plus {DigestSendAllowance.TotalMinutes:0} minute ({digest.Window + DigestSendAllowance}), not {options.OutboxLease}: a notification held for a digest would be sent twice",
                nameof(options.OutboxLease));
        }

        return builder.Build();
    }

    // Invalid engine options are the engine validator's to report; reading them here would report them twice.
    private DigestThreshold? EngineDigest()
    {
        try
        {
            return engine.Value.Digest;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
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
