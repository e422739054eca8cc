using Microsoft.Extensions.Logging;
using Npgsql;

namespace GracefulDisconnect.PostgreSql;

/// <summary>
/// Holds one connection that LISTENs on the deployment's channel, so an idle process learns at once that another
/// committed work that is due (a wake at or before now, outbox messages) instead of polling fast. Started by the first
/// waiter; a lost connection is re-opened with backoff, and meanwhile waiters are woken so they poll instead.
/// </summary>
internal sealed class PostgreSqlWakeListener : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlDeviceSql _sql;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task? _loop;

    public PostgreSqlWakeListener(NpgsqlDataSource dataSource, PostgreSqlDeviceSql sql, TimeProvider time, ILogger logger)
    {
        _dataSource = dataSource;
        _sql = sql;
        _time = time;
        _logger = logger;
    }

    /// <summary>Completes with <see langword="true"/> when a signal came (or the channel was lost), <see langword="false"/> after the timeout.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _loop ??= Task.Run(() => ListenAsync(_stop.Token), CancellationToken.None);
        }

        if (!await _signal.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // Several commits for one wake-up: take them all.
        while (_signal.Wait(0, CancellationToken.None))
        {
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
        _signal.Dispose();
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var connectionScope = connection.ConfigureAwait(false);
                connection.Notification += (_, _) => _signal.Release();
                var listen = new NpgsqlCommand(_sql.Listen, connection);
                await using (listen.ConfigureAwait(false))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (failures > 0)
                {
                    // Signals sent while the channel was down are lost: one more pass finds their work.
                    _signal.Release();
                }

                failures = 0;
                PostgreSqlLog.Listening(_logger, _sql.Channel);
                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or IOException)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10))));
                PostgreSqlLog.ListenerLost(_logger, _sql.Channel, exception.Message, delay);
                _signal.Release();
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
