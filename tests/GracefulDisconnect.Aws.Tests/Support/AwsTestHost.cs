using Microsoft.Extensions.DependencyInjection;

namespace GracefulDisconnect.Aws.Tests;

/// <summary>Builds a service provider the way an application would, with options that keep retries fast.</summary>
internal static class AwsTestHost
{
    public const string Region = "ap-northeast-1";

    public static void FastRetries(AwsClientOptions options, int attempts = 3)
    {
        options.MaxRetryAttempts = attempts;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(5);
        options.AttemptTimeout = TimeSpan.FromSeconds(10);
    }

    public static ServiceProvider Build(Action<GracefulDisconnectBuilder> configure, Action<IServiceCollection>? services = null, bool validateOnBuild = false)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        services?.Invoke(collection);
        configure(collection.AddGracefulDisconnect());
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = validateOnBuild, ValidateScopes = true });
    }
}
