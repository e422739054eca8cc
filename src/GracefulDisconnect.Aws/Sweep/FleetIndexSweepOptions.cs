using System.ComponentModel.DataAnnotations;

namespace GracefulDisconnect.Aws;

/// <summary>Options of the fleet index sweep; bind them from the <c>GracefulDisconnect:Sweep</c> configuration section.</summary>
public sealed class FleetIndexSweepOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:Sweep";

    /// <summary>The fleet index query that finds the things to look at. Default: things offline now, by the broker.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "The sweep's Query is required; the default is connectivity.connected:false.")]
    public string Query { get; set; } = FleetIndexQuery.Disconnected;

    /// <summary>How often the hosted sweep runs (<see cref="FleetIndexSweepService"/>). Default 5 minutes; 1 minute to 1 day.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}
