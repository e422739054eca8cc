using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>Validates <see cref="FleetIndexSweepOptions"/> on start (its attribute rules, source-generated).</summary>
[OptionsValidator]
internal sealed partial class FleetIndexSweepOptionsValidator : IValidateOptions<FleetIndexSweepOptions>
{
}
