namespace GracefulDisconnect.Mqtt.Tests;

/// <summary>Device names and client ids no other test uses, since tests share a broker and its retained messages.</summary>
public static class Names
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
