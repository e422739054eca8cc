namespace GracefulDisconnect.Mqtt;

/// <summary>
/// Whether some topic matches two MQTT topic filters. It matters because a broker delivers a message once per matching
/// subscription (Mosquitto does): an availability message under a sign-of-life filter too would arrive, and be
/// forwarded, twice, and a disconnect counted twice is a flap that never happened.
/// </summary>
internal static class TopicFilterOverlap
{
    public static bool Overlaps(string first, string second)
    {
        var a = first.Split('/');
        var b = second.Split('/');
        for (var i = 0; ; i++)
        {
            // '#' matches the rest, and the parent level too ("a/#" matches "a").
            if ((i < a.Length && a[i] == "#") || (i < b.Length && b[i] == "#"))
            {
                return true;
            }

            if (i == a.Length || i == b.Length)
            {
                return a.Length == b.Length;
            }

            if (a[i] != "+" && b[i] != "+" && a[i] != b[i])
            {
                return false;
            }
        }
    }
}
