namespace GracefulDisconnect.Mqtt.Tests.Configuration;

public sealed class MqttBrokerAddressTests
{
    [Theory]
    [InlineData("mqtt://broker", "broker", 1883, false)]
    [InlineData("mqtts://broker", "broker", 8883, true)]
    [InlineData("mqtt://10.0.0.5:1884", "10.0.0.5", 1884, false)]
    [InlineData("mqtts://[::1]:8884", "::1", 8884, true)]
    public void TryParse_Uri_HostPortAndTls(string uri, string host, int port, bool tls)
    {
        Assert.True(MqttBrokerAddress.TryParse(uri, out var address, out var problem), problem);
        Assert.Equal((host, port, tls), (address!.Host, address.Port, address.UseTls));
    }

    [Fact]
    public void TryParse_UserInfo_CredentialsDecodedAndHiddenFromDisplay()
    {
        Assert.True(MqttBrokerAddress.TryParse("mqtt://pi%40home:p%3Ass@broker:1883", out var address, out _));

        Assert.Equal(("pi@home", "p:ss"), (address!.Username, address.Password));
        Assert.Equal("mqtt://broker:1883", address.ToString());
    }
}
