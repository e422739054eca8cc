using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Runs <see cref="FleetIndexSweep"/> every <see cref="FleetIndexSweepOptions.Interval"/> while the host runs, the
/// first time at start (what went offline while we were down is found at once). A failed sweep is logged and the next
/// one runs on time: an index that is not ready yet or a throttled account must not stop the host.
/// </summary>
internal sealed class FleetIndexSweepService(FleetIndexSweep sweep, IOptions<FleetIndexSweepOptions> options, TimeProvider time, ILogger<FleetIndexSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await sweep.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                AwsLog.SweepFailed(logger, interval, exception);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
