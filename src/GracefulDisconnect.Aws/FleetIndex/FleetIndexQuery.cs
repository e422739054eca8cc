using System.Text;

namespace GracefulDisconnect.Aws;

/// <summary>Query strings of the fleet index query syntax that this package builds.</summary>
public static class FleetIndexQuery
{
    /// <summary>Things offline now, by the broker's connectivity (the sweep's default).</summary>
    public const string Disconnected = "connectivity.connected:false";

    /// <summary>
    /// <c>thingName:a OR thingName:b ...</c>. Names are checked first, so only <c>[a-zA-Z0-9:_-]</c> reach the
    /// query; a name with <c>:</c> (the field separator of the syntax) is quoted.
    /// </summary>
    /// <param name="thingNames">The things, each a valid thing name.</param>
    /// <returns>The query.</returns>
    /// <exception cref="ArgumentException">A name is not a valid thing name.</exception>
    public static string ThingNames(IReadOnlyList<string> thingNames)
    {
        var query = new StringBuilder(thingNames.Count * 24);
        foreach (var name in thingNames)
        {
            AwsIotNames.ThrowIfInvalidThingName(name);
            if (query.Length > 0)
            {
                query.Append(" OR ");
            }

            query.Append("thingName:");
            if (name.Contains(':', StringComparison.Ordinal))
            {
                query.Append('"').Append(name).Append('"');
            }
            else
            {
                query.Append(name);
            }
        }

        return query.ToString();
    }
}
