using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GracefulDisconnect;

/// <summary>
/// Returned by <c>AddGracefulDisconnect</c>; adapter packages extend it
/// (<c>.AddAwsIotShadowReader(...)</c>, <c>.AddSnsNotifier(...)</c>, <c>.AddSqsScheduler(...)</c>).
/// </summary>
/// <param name="Services">The service collection being configured.</param>
public sealed record GracefulDisconnectBuilder(IServiceCollection Services)
{
    /// <summary>
    /// Uses <typeparamref name="TReader"/> to read connection state at re-check time. The reader is one
    /// singleton, also resolvable as <typeparamref name="TReader"/> (so code that updates the state and
    /// the engine that reads it share the instance).
    /// </summary>
    /// <typeparam name="TReader">The reader.</typeparam>
    /// <returns>This builder.</returns>
    public GracefulDisconnectBuilder UseShadowReader<TReader>()
        where TReader : class, IShadowReader
    {
        Services.TryAddSingleton<TReader>();
        Services.Replace(ServiceDescriptor.Singleton<IShadowReader>(provider => provider.GetRequiredService<TReader>()));
        return this;
    }

    /// <summary>
    /// Wakes devices through <typeparamref name="TScheduler"/> too (an SQS delay queue: <c>AddSqsScheduler</c>): after each
    /// commit that moves a device's wake time the engine asks it to wake the device then, and the wake comes back through
    /// <see cref="IRecheckHandler"/> (the engine). Without one, the store's due wakes, polled by the engine's loops, are
    /// the schedule; with one they remain, so a host that also runs the loops finds a wake the scheduler lost.
    /// </summary>
    /// <typeparam name="TScheduler">The scheduler.</typeparam>
    /// <returns>This builder.</returns>
    public GracefulDisconnectBuilder UseScheduler<TScheduler>()
        where TScheduler : class, IScheduler
    {
        Services.TryAddSingleton<TScheduler>();
        Services.Replace(ServiceDescriptor.Singleton<IScheduler>(provider => provider.GetRequiredService<TScheduler>()));
        return this;
    }

    /// <summary>
    /// Wakes each device at its wake time from an in-process timer heap (see <see cref="UseScheduler{TScheduler}"/>),
    /// instead of at the due loop's next poll of the store. The store keeps the wakes too: a restart loses none.
    /// </summary>
    /// <returns>This builder.</returns>
    public GracefulDisconnectBuilder UseInMemoryScheduler()
    {
        Services.TryAddSingleton(provider => new InMemoryScheduler(
            provider.GetRequiredService<IRecheckHandler>,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<GracefulDisconnectOptions>>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<InMemoryScheduler>>(),
            provider.GetRequiredService<GracefulDisconnectMetrics>()));
        return UseScheduler<InMemoryScheduler>();
    }

    /// <summary>Adds a notifier. Several may be added; each receives every notification.</summary>
    /// <typeparam name="TNotifier">The notifier.</typeparam>
    /// <returns>This builder.</returns>
    public GracefulDisconnectBuilder AddNotifier<TNotifier>()
        where TNotifier : class, INotifier
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<INotifier, TNotifier>());
        return this;
    }

    /// <summary>Adds a notifier instance. Several may be added; each receives every notification.</summary>
    /// <param name="notifier">The notifier.</param>
    /// <returns>This builder.</returns>
    public GracefulDisconnectBuilder AddNotifier(INotifier notifier)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        Services.AddSingleton(notifier);
        return this;
    }

    /// <summary>
    /// Keeps device records, due wakes and the outbox in <typeparamref name="TStore"/> instead of memory (packages add
    /// durable stores: <c>UseSqliteStore</c>, <c>UsePostgreSqlStore</c>). The store is one singleton, also resolvable as <typeparamref name="TStore"/>.
    /// </summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <returns>This builder.</returns>
    public GracefulDisconnectBuilder UseDeviceStore<TStore>()
        where TStore : class, IDeviceStore
    {
        Services.TryAddSingleton<TStore>();
        Services.Replace(ServiceDescriptor.Singleton<IDeviceStore>(provider => provider.GetRequiredService<TStore>()));
        return this;
    }

    /// <summary>
    /// Uses the engine's own record of the events it was given as the state source at re-check time (the last known
    /// state), instead of a reader of a device registry: the first program needs no <see cref="IShadowReader"/>.
    /// Removes any reader registered before.
    /// </summary>
    /// <returns>This builder.</returns>
    public GracefulDisconnectBuilder UseLastKnownState()
    {
        Services.RemoveAll<IShadowReader>();
        return this;
    }

    /// <summary>
    /// Runs the device engine's loops (due re-checks and reminders, outbox delivery) as a hosted service while the host
    /// runs. Hosts that feed <see cref="DeviceEngine"/> (through <see cref="IConnectionEventSink"/>) need it; without a
    /// host, call <see cref="DeviceEngine.RunDueAsync"/> and <see cref="DeviceEngine.DeliverAsync(CancellationToken)"/> yourself.
    /// </summary>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// In a container without a host (no <see cref="Microsoft.Extensions.Hosting.IHostApplicationLifetime"/>), nothing
    /// would ever start the loops, and recorded disconnects would never be re-checked: resolving the engine then fails
    /// with a message that says what to do instead.
    /// </remarks>
    public GracefulDisconnectBuilder RunDeviceEngine()
    {
        Services.TryAddSingleton<Engine.HostedLoops>();
        Services.TryAddSingleton<DeviceEngineHealth>();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, Engine.DeviceEngineService>());
        return this;
    }
}
