using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Mqtt;

/// <summary>Checks the attribute rules of <see cref="MqttSourceOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class MqttSourceOptionsAttributeValidator : IValidateOptions<MqttSourceOptions>
{
}
