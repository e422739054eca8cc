using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Engine;

/// <summary>
/// Runs the engine's two loops in a host: due re-checks and reminders, and outbox delivery. Each wakes when a commit
/// made work due, and polls the store in any case (another process may have committed, a lease may have expired).
/// A store failure is logged and retried with backoff; it never stops the host.
/// </summary>
internal sealed class DeviceEngineService(DeviceEngine engine, DeviceEngineHealth health, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<DeviceEngineService> logger) : BackgroundService
{
    internal static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(
            LoopAsync("due", async token => await engine.RunDueAsync(token).ConfigureAwait(false) > 0, stoppingToken),
            LoopAsync("delivery", async token => await engine.DeliverAsync(token).ConfigureAwait(false) > 0, stoppingToken));

    private async Task LoopAsync(string name, Func<CancellationToken, Task<bool>> pass, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var more = await pass(stoppingToken).ConfigureAwait(false);
                failures = 0;
                health.PassSucceeded(name);
                if (!more)
                {
                    await engine.WaitForWorkAsync(Poll, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (DeviceStoreException exception) when (!exception.IsTransient)
            {
                // Retrying a corrupt or vanished store fails the same way forever: stop, and say why once.
                Log.StoreFatal(logger, exception.Message);
                health.Failed(exception);
                lifetime.StopApplication();
                return;
            }
            catch (Exception exception)
            {
                failures++;
                health.PassFailed(name, exception, time.GetUtcNow());
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(failures, 10))));
                if (exception is DeviceStoreException)
                {
                    // The user's environment (a full disk): the message says it all, a stack trace would only hide it.
                    Log.StoreUnavailable(logger, exception.Message, delay);
                }
                else
                {
                    Log.StoreFailed(logger, delay, exception);
                }

                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
