using Amazon.DynamoDBv2;
using GracefulDisconnect;
using GracefulDisconnect.DynamoDb;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the shared DynamoDB store to the GracefulDisconnect engine.</summary>
public static class DynamoDbStoreGracefulDisconnectBuilderExtensions
{
    /// <summary>
    /// Keeps device records, due wakes and the outbox in one DynamoDB table (<see cref="DynamoDbDeviceStore"/>), so
    /// several processes on that table share the fleet and each outage is notified once. Options are validated when
    /// the host starts; the table is checked (or created, with <see cref="DynamoDbStoreOptions.CreateTableIfMissing"/>)
    /// by the store's first call. An <see cref="IAmazonDynamoDB"/> registered by the application is used when there is
    /// one; otherwise the store makes its own from the options and the SDK's default chains. The store is one
    /// singleton, also resolvable as <see cref="DynamoDbDeviceStore"/>.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options; <see cref="DynamoDbStoreOptions.TableName"/> is required.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder UseDynamoDbStore(this GracefulDisconnectBuilder builder, Action<DynamoDbStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<DynamoDbStoreOptions, DynamoDbStoreOptionsValidator>().Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static provider => DynamoDbDeviceStore.Create(
            provider.GetRequiredService<IOptions<DynamoDbStoreOptions>>().Value,
            provider.GetService<IAmazonDynamoDB>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>()));
        services.Replace(ServiceDescriptor.Singleton<IDeviceStore>(static provider => provider.GetRequiredService<DynamoDbDeviceStore>()));
        return builder;
    }
}
