using Microsoft.Extensions.DependencyInjection;

namespace GracefulDisconnect;

/// <summary>
/// Wraps the registered implementation of a service (often an internal type of the engine) in a decorator,
/// keeping its lifetime. Used by <see cref="GracefulDisconnectBuilder.DecorateRecheckHandler"/> and
/// <see cref="GracefulDisconnectBuilder.DecorateScheduler"/>.
/// </summary>
internal static class ServiceDecoration
{
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        var index = -1;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                index = i;
            }
        }

        if (index < 0)
        {
            throw new InvalidOperationException($"No {typeof(TService).Name} is registered to decorate.");
        }

        var original = services[index];
        services[index] = ServiceDescriptor.Describe(
            typeof(TService),
            provider => decorate(provider, (TService)Create(provider, original)),
            original.Lifetime);
        return services;
    }

    private static object Create(IServiceProvider provider, ServiceDescriptor descriptor)
        => descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
}
