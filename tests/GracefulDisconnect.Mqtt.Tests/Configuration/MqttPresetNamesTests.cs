namespace GracefulDisconnect.Mqtt.Tests.Configuration;

public sealed class MqttPresetNamesTests
{
    [Theory]
    [InlineData("tasmota", MqttPreset.Tasmota)]
    [InlineData("ESPHome", MqttPreset.ESPHome)]
    [InlineData("zigbee2mqtt", MqttPreset.Zigbee2Mqtt)]
    [InlineData("homie", MqttPreset.Homie)]
    [InlineData("shelly", MqttPreset.Shelly)]
    [InlineData("home-assistant", MqttPreset.HomeAssistant)]
    [InlineData("aws-presence", MqttPreset.AwsIotPresence)]
    [InlineData("AwsIotPresence", MqttPreset.AwsIotPresence)]
    public void TryParse_KnownName_GivesPreset(string name, MqttPreset expected)
    {
        Assert.True(MqttPresetNames.TryParse(name, out var preset));
        Assert.Equal(expected, preset);
    }

    [Theory]
    [InlineData("sonoff")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnknownName_False(string? name)
        => Assert.False(MqttPresetNames.TryParse(name, out _));

    [Fact]
    public void All_EveryPresetNamedOnceAndRoundTrips()
    {
        Assert.Equal(Enum.GetValues<MqttPreset>().Length, MqttPresetNames.All.Count);
        Assert.All(Enum.GetValues<MqttPreset>(), preset =>
        {
            Assert.True(MqttPresetNames.TryParse(MqttPresetNames.NameOf(preset), out var parsed));
            Assert.Equal(preset, parsed);
        });
    }
}
