using System.ComponentModel.DataAnnotations;

namespace GracefulDisconnect.PostgreSql;

/// <summary>
/// Options of the PostgreSQL store; bind them from the <c>GracefulDisconnect:PostgreSql</c> configuration section.
/// Several processes may share one database and schema: they share the fleet, and each outage is notified once.
/// </summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:PostgreSql";

    /// <summary>The schema used when none is set.</summary>
    public const string DefaultSchema = "gracefuldisconnect";

    /// <summary>
    /// Where the database is: an Npgsql connection string (<c>Host=db;Database=fleet;Username=gd;Password=...</c>) or a
    /// URI (<c>postgresql://gd:secret@db:5432/fleet?sslmode=require</c>, also <c>postgres://</c>). Required.
    /// </summary>
    [Required(ErrorMessage = "The PostgreSQL connection string is required; set ConnectionString, for example to Host=localhost;Database=gracefuldisconnect;Username=gd;Password=... or postgresql://gd:...@localhost/gracefuldisconnect.")]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The schema that holds every table of the store, created on first start; give each deployment (production,
    /// staging, a second fleet) its own to host several in one database. Lower-case letters, digits and
    /// underscores, starting with a letter or an underscore, at most 48 characters. The default value is
    /// <c>gracefuldisconnect</c>.
    /// </summary>
    public string Schema { get; set; } = DefaultSchema;
}
