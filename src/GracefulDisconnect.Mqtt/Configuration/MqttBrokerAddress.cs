namespace GracefulDisconnect.Mqtt;

/// <summary>The broker URI taken apart: <c>mqtt[s]://[user[:password]@]host[:port]</c>.</summary>
internal sealed record MqttBrokerAddress(string Host, int Port, bool UseTls, string? Username, string? Password)
{
    public const int PlainPort = 1883;
    public const int TlsPort = 8883;

    /// <summary>The address as it may be logged: no credentials.</summary>
    public string Display => $"{(UseTls ? "mqtts" : "mqtt")}://{Host}:{Port}";

    public static bool TryParse(string? value, out MqttBrokerAddress? address, out string? problem)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = "is required; set it to mqtt://host[:port] or mqtts://host[:port]";
            return false;
        }

        // The problem never quotes the value: it may hold a password.
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
        {
            problem = "is not a URI; write it as mqtt://host[:port] or mqtts://host[:port]";
            return false;
        }

        bool useTls;
        if (uri.Scheme == "mqtt")
        {
            useTls = false;
        }
        else if (uri.Scheme == "mqtts")
        {
            useTls = true;
        }
        else
        {
            problem = $"has the scheme '{uri.Scheme}'; use mqtt:// (plain TCP) or mqtts:// (TLS)";
            return false;
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            problem = "has no host; write it as mqtt://host[:port]";
            return false;
        }

        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problem = "must be only scheme, host and port (no path, query or fragment), for example mqtt://localhost:1883";
            return false;
        }

        string? username = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? (useTls ? TlsPort : PlainPort) : uri.Port;
        address = new MqttBrokerAddress(uri.IdnHost.Trim('[', ']'), port, useTls, username, password);
        problem = null;
        return true;
    }

    // Records print every member; this one holds a password.
    public override string ToString() => Display;
}
