using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Sqlite;

/// <summary>Checks the attribute rules of <see cref="SqliteStoreOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class SqliteStoreOptionsAttributeValidator : IValidateOptions<SqliteStoreOptions>
{
}
