using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace GracefulDisconnect.Cli.Run.Http;

/// <summary>
/// Where <c>run --http</c> serves its status page, and who may read it: loopback unless an address is given, a bearer
/// token when one is set (flag, configuration or environment), and never a non-loopback address without a token
/// unless the operator says so, since every device name is on the page.
/// </summary>
internal sealed record StatusEndpoint(IPEndPoint EndPoint, string? Token)
{
    public const string AddressKey = RunConfiguration.Root + ":Http:Address";
    public const string TokenKey = RunConfiguration.Root + ":Http:Token";
    public const string AllowAnonymousKey = RunConfiguration.Root + ":Http:AllowAnonymous";

    public bool IsLoopback => IPAddress.IsLoopback(EndPoint.Address);

    public string Url => $"http://{(EndPoint.Address.Equals(IPAddress.Any) ? "0.0.0.0" : EndPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{EndPoint.Address}]" : EndPoint.Address.ToString())}:{EndPoint.Port}/";

    /// <summary>The endpoint the flags and the configuration ask for (flags win), none, or the problems (one line each).</summary>
    public static (StatusEndpoint? Endpoint, List<string> Problems) Resolve(string? address, string? token, bool allowAnonymous, IConfiguration configuration)
    {
        var problems = new List<string>();
        address ??= configuration[AddressKey];
        if (string.IsNullOrWhiteSpace(address))
        {
            return (null, problems);
        }

        token ??= configuration[TokenKey];
        if (token is not null && string.IsNullOrWhiteSpace(token))
        {
            problems.Add("--http-token is empty; give a long random token, or leave it out.");
            return (null, problems);
        }

        allowAnonymous |= string.Equals(configuration[AllowAnonymousKey], "true", StringComparison.OrdinalIgnoreCase);
        if (!TryParse(address, out var endPoint, out var problem))
        {
            problems.Add($"--http '{address}': {problem}");
            return (null, problems);
        }

        var endpoint = new StatusEndpoint(endPoint, token);
        if (!endpoint.IsLoopback && token is null && !allowAnonymous)
        {
            problems.Add($"--http {address} listens beyond this machine, and the status page shows every device name: give --http-token (or {RunConfiguration.Root}__Http__Token in the environment), or --http-allow-anonymous to serve it to anyone who can reach the port.");
            return (null, problems);
        }

        return (endpoint, problems);
    }

    /// <summary>Parses <c>port</c>, <c>:port</c>, <c>addr:port</c> or <c>[v6]:port</c>; <c>localhost</c> is 127.0.0.1, <c>*</c> every address.</summary>
    public static bool TryParse(string text, out IPEndPoint endPoint, out string? problem)
    {
        endPoint = null!;
        text = text.Trim();
        string host;
        string portText;
        var colon = text.LastIndexOf(':');
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                problem = "an IPv6 address needs a port after it, as [::1]:8080";
                return false;
            }

            host = text[1..close];
            portText = text[(close + 2)..];
        }
        else if (colon < 0)
        {
            host = string.Empty;
            portText = text;
        }
        else if (text.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            problem = "write an IPv6 address in brackets, as [::1]:8080";
            return false;
        }
        else
        {
            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = $"'{portText}' is not a port; give one from 1 to 65535, as 127.0.0.1:8080 or 8080";
            return false;
        }

        IPAddress? ip;
        if (host.Length == 0 || host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            ip = IPAddress.Loopback;
        }
        else if (host is "*" or "0.0.0.0")
        {
            ip = IPAddress.Any;
        }
        else if (!IPAddress.TryParse(host, out ip))
        {
            problem = $"'{host}' is not an IP address; give one this machine has (127.0.0.1, 0.0.0.0 for all, or [::1])";
            return false;
        }

        endPoint = new IPEndPoint(ip, port);
        problem = null;
        return true;
    }
}
