using Microsoft.Extensions.Hosting;

namespace GracefulDisconnect.Sqlite;

/// <summary>Runs the <see cref="SqliteScheduler"/> dispatcher for the lifetime of the host and stops it gracefully.</summary>
internal sealed class SqliteSchedulerHostedService(SqliteScheduler scheduler) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        scheduler.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => scheduler.StopAsync(cancellationToken);
}
