using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Mqtt;

/// <summary>
/// Validates <see cref="MqttSourceOptions"/> on start: the attribute rules plus the broker URI, TLS files, presets and
/// mappings, each failure naming the option and the fix. Secrets never appear in a message.
/// </summary>
internal sealed class MqttSourceOptionsValidator : IValidateOptions<MqttSourceOptions>
{
    // MQTT 3.1.1 brokers must accept 1-23 characters; MQTT 5 and Mosquitto take more, but a client id is not a document.
    private const int MaxClientIdLength = 256;

    private readonly MqttSourceOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, MqttSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));

        MqttBrokerAddress? broker = null;
        if (!string.IsNullOrWhiteSpace(options.Broker) && !MqttBrokerAddress.TryParse(options.Broker, out broker, out var brokerProblem))
        {
            builder.AddError(brokerProblem!, nameof(options.Broker));
        }

        ValidateCredentials(options, broker, builder);
        ValidateTls(options, broker, builder);
        ValidateClientId(options, builder);

        if (options.ReconnectMaxDelay < options.ReconnectInitialDelay)
        {
            builder.AddError(
                $"must be at least ReconnectInitialDelay ({options.ReconnectInitialDelay}), not {options.ReconnectMaxDelay}",
                nameof(options.ReconnectMaxDelay));
        }

        if (!Enum.IsDefined(options.Protocol))
        {
            builder.AddError($"'{options.Protocol}' is not a protocol; use V5 or V311", nameof(options.Protocol));
        }

        ValidateRules(options, builder);
        return builder.Build();
    }

    private static void ValidateCredentials(MqttSourceOptions options, MqttBrokerAddress? broker, ValidateOptionsResultBuilder builder)
    {
        var username = options.Username ?? broker?.Username;
        var password = options.Password ?? broker?.Password;
        if (string.IsNullOrEmpty(username) && !string.IsNullOrEmpty(password))
        {
            builder.AddError("is set without a user name; set Username too (MQTT sends no password without one)", nameof(options.Password));
        }
    }

    private static void ValidateTls(MqttSourceOptions options, MqttBrokerAddress? broker, ValidateOptionsResultBuilder builder)
    {
        var tls = broker?.UseTls ?? true;
        if (!string.IsNullOrEmpty(options.ClientCertificatePath))
        {
            if (!tls)
            {
                builder.AddError("needs TLS; write the broker as mqtts://host[:port]", nameof(options.ClientCertificatePath));
            }
            else if (!File.Exists(options.ClientCertificatePath))
            {
                builder.AddError($"'{options.ClientCertificatePath}' does not exist; give the PKCS#12 (.pfx) file with the client certificate and its key", nameof(options.ClientCertificatePath));
            }
            else
            {
                try
                {
                    using var certificate = MqttClientOptionsFactory.LoadClientCertificate(options.ClientCertificatePath, options.ClientCertificatePassword);
                    if (!certificate.HasPrivateKey)
                    {
                        builder.AddError($"'{options.ClientCertificatePath}' holds no private key; export the certificate with its key", nameof(options.ClientCertificatePath));
                    }
                }
                catch (CryptographicException)
                {
                    // The exception's own message may echo details of the file; the fix is the same either way.
                    builder.AddError($"'{options.ClientCertificatePath}' cannot be read as PKCS#12; check the file and ClientCertificatePassword", nameof(options.ClientCertificatePath));
                }
            }
        }
        else if (!string.IsNullOrEmpty(options.ClientCertificatePassword))
        {
            builder.AddError("is set without ClientCertificatePath; give the certificate file too, or remove the password", nameof(options.ClientCertificatePassword));
        }

        if (!string.IsNullOrEmpty(options.CaCertificatePath))
        {
            if (!tls)
            {
                builder.AddError("needs TLS; write the broker as mqtts://host[:port]", nameof(options.CaCertificatePath));
            }
            else if (!File.Exists(options.CaCertificatePath))
            {
                builder.AddError($"'{options.CaCertificatePath}' does not exist; give the PEM or DER file of the CA that signed the broker's certificate", nameof(options.CaCertificatePath));
            }
            else
            {
                try
                {
                    if (MqttClientOptionsFactory.LoadCertificates(options.CaCertificatePath).Count == 0)
                    {
                        builder.AddError($"'{options.CaCertificatePath}' holds no certificate; give the PEM or DER file of the broker's CA", nameof(options.CaCertificatePath));
                    }
                }
                catch (CryptographicException)
                {
                    builder.AddError($"'{options.CaCertificatePath}' cannot be read as a PEM or DER certificate", nameof(options.CaCertificatePath));
                }
            }
        }
    }

    private static void ValidateClientId(MqttSourceOptions options, ValidateOptionsResultBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            builder.AddError("is required and must stay the same across restarts (the broker keeps our session under it); for example gracefuldisconnect-pi", nameof(options.ClientId));
        }
        else if (options.ClientId.Length > MaxClientIdLength || options.ClientId.Any(char.IsControl))
        {
            builder.AddError($"must be 1 to {MaxClientIdLength} characters without control characters; for example gracefuldisconnect-pi", nameof(options.ClientId));
        }
    }

    private static void ValidateRules(MqttSourceOptions options, ValidateOptionsResultBuilder builder)
    {
        if (options.Presets.Count == 0 && options.Mappings.Count == 0)
        {
            builder.AddError(
                "Nothing to subscribe to; add a preset (Presets: Tasmota, ESPHome, Zigbee2Mqtt, Homie, Shelly, HomeAssistant, AwsIotPresence) or a mapping (Mappings: Topic site/{thing}/status, Up online, Down offline).",
                nameof(options.Presets));
        }

        foreach (var preset in options.Presets)
        {
            if (!Enum.IsDefined(preset))
            {
                builder.AddError($"'{preset}' is not a preset; use Tasmota, ESPHome, Zigbee2Mqtt, Homie, Shelly, HomeAssistant or AwsIotPresence", nameof(options.Presets));
            }
        }

        if (options.Presets.Contains(MqttPreset.HomeAssistant))
        {
            var homeAssistant = options.HomeAssistant;
            if (homeAssistant is null)
            {
                builder.AddError("is required with the HomeAssistant preset", nameof(options.HomeAssistant));
            }
            else
            {
                if (!TopicPattern.TryParse(homeAssistant.Topic, out _, out var problem))
                {
                    builder.AddError(problem!, $"{nameof(options.HomeAssistant)}.{nameof(homeAssistant.Topic)}");
                }

                if (string.IsNullOrEmpty(homeAssistant.PayloadAvailable) || string.IsNullOrEmpty(homeAssistant.PayloadNotAvailable)
                    || homeAssistant.PayloadAvailable == homeAssistant.PayloadNotAvailable)
                {
                    builder.AddError(
                        "PayloadAvailable and PayloadNotAvailable must both be set and differ (Home Assistant's defaults are online and offline)",
                        nameof(options.HomeAssistant));
                }
            }
        }

        for (var i = 0; i < options.Mappings.Count; i++)
        {
            ValidateMapping(options.Mappings[i], $"{nameof(options.Mappings)}[{i}]", builder);
        }

        // A heartbeat topic alone is no source: a sign of life counts only for a device whose availability says it is
        // connected, so it needs the presets or mappings above (checked there).
        for (var i = 0; i < options.HeartbeatTopics.Count; i++)
        {
            if (!TopicPattern.TryParse(options.HeartbeatTopics[i], out _, out var problem))
            {
                builder.AddError(problem!, $"{nameof(options.HeartbeatTopics)}[{i}]");
            }
        }
    }

    private static void ValidateMapping(MqttTopicMapping? mapping, string at, ValidateOptionsResultBuilder builder)
    {
        if (mapping is null)
        {
            builder.AddError("is empty; give Topic, Up and Down", at);
            return;
        }

        if (!TopicPattern.TryParse(mapping.Topic, out _, out var problem))
        {
            builder.AddError(problem!, $"{at}.{nameof(mapping.Topic)}");
        }

        if (mapping.Up.Count == 0 || mapping.Up.Any(string.IsNullOrEmpty))
        {
            builder.AddError("needs at least one payload that means up, none empty; for example online", $"{at}.{nameof(mapping.Up)}");
        }

        if (mapping.Down.Count == 0 || mapping.Down.Any(string.IsNullOrEmpty))
        {
            builder.AddError("needs at least one payload that means down, none empty; for example offline", $"{at}.{nameof(mapping.Down)}");
        }

        var comparer = mapping.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        var both = mapping.Up.Intersect(mapping.Down, comparer).Concat(mapping.Ignore.Intersect(mapping.Up.Concat(mapping.Down), comparer)).ToList();
        if (both.Count > 0)
        {
            builder.AddError($"'{both[0]}' is in more than one of Up, Down and Ignore; a payload must mean one thing", at);
        }

        if (mapping.AllowPlainText && string.IsNullOrEmpty(mapping.JsonField))
        {
            builder.AddError("only applies with JsonField; set JsonField (for example state) or remove AllowPlainText", $"{at}.{nameof(mapping.AllowPlainText)}");
        }
    }
}
