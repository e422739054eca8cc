using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace GracefulDisconnect.Cli.Run.Http;

/// <summary>
/// The token check of every page: <c>Authorization: Bearer &lt;token&gt;</c> (Prometheus, curl), or HTTP Basic with the
/// token as the password (a browser asks for it once and sends it with every refresh). Compared in constant time.
/// </summary>
internal sealed class StatusAccess(string? token)
{
    private readonly byte[]? _expected = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public bool IsOpen => _expected is null;

    public bool Allows(HttpRequest request)
    {
        if (_expected is null)
        {
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        string? given = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            given = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                given = colon < 0 ? null : pair[(colon + 1)..];
            }
            catch (FormatException)
            {
                given = null;
            }
        }

        // Hashes of equal length, so neither the content nor the length of the token leaks through timing.
        return given is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _expected);
    }
}
