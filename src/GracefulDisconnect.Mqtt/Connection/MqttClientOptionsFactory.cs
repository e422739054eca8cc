using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;

namespace GracefulDisconnect.Mqtt;

/// <summary>Builds MQTTnet's client options from validated <see cref="MqttSourceOptions"/>.</summary>
internal static class MqttClientOptionsFactory
{
    public static MqttClientOptions Create(MqttSourceOptions options, MqttBrokerAddress broker)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId(options.ClientId)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.ConnectTimeout);

        // A persistent session is what makes "acknowledge only once recorded" safe: what we did not acknowledge, the
        // broker keeps for this client id and sends again when we are back.
        var persistent = options.SessionExpiry > TimeSpan.Zero;
        if (options.Protocol == MqttProtocol.V5)
        {
            builder
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithCleanStart(!persistent)
                .WithSessionExpiryInterval(persistent ? (uint)Math.Min(options.SessionExpiry.TotalSeconds, uint.MaxValue - 1) : 0)
                .WithReceiveMaximum((ushort)Math.Clamp(options.MaxBatchSize, 1, ushort.MaxValue));
        }
        else
        {
            builder.WithProtocolVersion(MqttProtocolVersion.V311).WithCleanSession(!persistent);
        }

        var username = options.Username ?? broker.Username;
        var password = options.Password ?? broker.Password;
        if (!string.IsNullOrEmpty(username))
        {
            builder.WithCredentials(username, password);
        }

        if (broker.UseTls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (!string.IsNullOrEmpty(options.ClientCertificatePath))
                {
                    tls.WithClientCertificates([LoadClientCertificate(options.ClientCertificatePath, options.ClientCertificatePassword)]);
                }

                if (!string.IsNullOrEmpty(options.CaCertificatePath))
                {
                    tls.WithTrustChain(LoadCertificates(options.CaCertificatePath));
                }
            });
        }

        return builder.Build();
    }

    public static X509Certificate2 LoadClientCertificate(string path, string? password)
        => X509CertificateLoader.LoadPkcs12FromFile(path, password);

    public static X509Certificate2Collection LoadCertificates(string path)
    {
        // A CA file is usually PEM, possibly a bundle of several; DER holds one certificate.
        var collection = new X509Certificate2Collection();
        var bytes = File.ReadAllBytes(path);
        if (System.Text.Encoding.ASCII.GetString(bytes).Contains("-----BEGIN", StringComparison.Ordinal))
        {
            collection.ImportFromPemFile(path);
        }
        else
        {
            collection.Add(X509CertificateLoader.LoadCertificate(bytes));
        }

        return collection;
    }
}
