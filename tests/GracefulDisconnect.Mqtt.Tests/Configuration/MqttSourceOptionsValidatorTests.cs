namespace GracefulDisconnect.Mqtt.Tests.Configuration;

public sealed class MqttSourceOptionsValidatorTests
{
    private readonly MqttSourceOptionsValidator _validator = new();

    [Fact]
    public void Validate_BrokerAndPreset_Succeeds()
        => Assert.True(_validator.Validate(null, Valid()).Succeeded);

    [Theory]
    [InlineData("", "The broker is required; set Broker")]
    [InlineData("http://broker:1883", "use mqtt:// (plain TCP) or mqtts:// (TLS)")]
    [InlineData("broker:1883", "scheme 'broker'")]
    [InlineData("mqtt://broker/topic", "no path")]
    public void Validate_BadBroker_NamesTheFix(string broker, string expected)
    {
        var options = Valid();
        options.Broker = broker;

        Assert.Contains(expected, Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PasswordInBrokerUri_NeverEchoed()
    {
        var options = Valid();
        options.Broker = "ftp://admin:hunter2@broker";

        Assert.DoesNotContain("hunter2", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NothingToSubscribe_ListsPresetsAndMapping()
    {
        var options = Valid();
        options.Presets.Clear();

        var failure = Failure(options);
        Assert.Contains("Tasmota, ESPHome, Zigbee2Mqtt, Homie, Shelly, HomeAssistant, AwsIotPresence", failure, StringComparison.Ordinal);
        Assert.Contains("site/{thing}/status", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("site/status", "HeartbeatTopics[0]", "no {thing} segment")]
    [InlineData("site/#/{thing}", "HeartbeatTopics[0]", "# may only end")]
    [InlineData("", "HeartbeatTopics[0]", "is required")]
    public void Validate_BadHeartbeatTopic_NamesTheEntryAndTheFix(string topic, string at, string expected)
    {
        var options = Valid();
        options.HeartbeatTopics = [topic];

        var failure = Failure(options);
        Assert.Contains(at, failure, StringComparison.Ordinal);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GoodHeartbeatTopic_Succeeds()
    {
        var options = Valid();
        options.HeartbeatTopics = ["site/{thing}/#"];

        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_ClientCertificateWithoutTls_AsksForMqtts()
    {
        var options = Valid();
        options.ClientCertificatePath = "/etc/client.pfx";

        Assert.Contains("ClientCertificatePath: needs TLS; write the broker as mqtts://", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingCertificateFiles_NamesThePath()
    {
        var options = Valid();
        options.Broker = "mqtts://broker";
        options.ClientCertificatePath = "/nonexistent/client.pfx";
        options.CaCertificatePath = "/nonexistent/ca.crt";

        var failure = Failure(options);
        Assert.Contains("'/nonexistent/client.pfx' does not exist", failure, StringComparison.Ordinal);
        Assert.Contains("'/nonexistent/ca.crt' does not exist", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnreadablePfx_ReportedWithoutPassword()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "not a certificate");
        try
        {
            var options = Valid();
            options.Broker = "mqtts://broker";
            options.ClientCertificatePath = path;
            options.ClientCertificatePassword = "pfx-secret";

            var failure = Failure(options);
            Assert.Contains("cannot be read as PKCS#12", failure, StringComparison.Ordinal);
            Assert.DoesNotContain("pfx-secret", failure, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_PasswordWithoutUser_AsksForUsername()
    {
        var options = Valid();
        options.Password = "secret";

        Assert.Contains("set Username too", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BackoffMaximumBelowInitial_Fails()
    {
        var options = Valid();
        options.ReconnectInitialDelay = TimeSpan.FromSeconds(10);
        options.ReconnectMaxDelay = TimeSpan.FromSeconds(1);

        Assert.Contains("ReconnectMaxDelay", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyClientId_ExplainsWhyItMustBeStable()
    {
        var options = Valid();
        options.ClientId = " ";

        Assert.Contains("must stay the same across restarts", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadMapping_EachProblemNamesItsField()
    {
        var options = Valid();
        options.Mappings.Add(new MqttTopicMapping { Topic = "site/+/status", Up = [], Down = ["offline"], AllowPlainText = true });
        options.Mappings.Add(new MqttTopicMapping { Topic = "site/{thing}", Up = ["on"], Down = ["ON"], CaseSensitive = false });

        var failure = Failure(options);
        Assert.Contains("Mappings[0].Topic", failure, StringComparison.Ordinal);
        Assert.Contains("Mappings[0].Up", failure, StringComparison.Ordinal);
        Assert.Contains("Mappings[0].AllowPlainText", failure, StringComparison.Ordinal);
        Assert.Contains("'on' is in more than one of Up, Down and Ignore", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OutOfRangeBatchSize_Fails()
    {
        var options = Valid();
        options.MaxBatchSize = 0;

        Assert.Contains("MaxBatchSize", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedPreset_ListsTheKnownOnes()
    {
        var options = Valid();
        options.Presets.Add((MqttPreset)42);

        Assert.Contains("'42' is not a preset", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultClientId_IsStableAcrossInstances()
        => Assert.Equal(new MqttSourceOptions().ClientId, new MqttSourceOptions().ClientId);

    private static MqttSourceOptions Valid() => new() { Broker = "mqtt://localhost", Presets = [MqttPreset.Tasmota] };

    private string Failure(MqttSourceOptions options)
    {
        var result = _validator.Validate(null, options);
        Assert.True(result.Failed, "expected a validation failure");
        return result.FailureMessage;
    }
}
