using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Catches disconnects that never reached us (a lost lifecycle event, a rule that failed, an engine down while the
/// queue's messages expired): asks the AWS IoT fleet index for the things the broker has offline, and hands each one's
/// disconnect, at the time the index gives, to the engine as an ordinary event. The engine then does what it does
/// with any disconnect: one re-check after the grace through its state source, one notification per outage. A
/// disconnect the engine already has is the same change and changes nothing, so running the sweep every few minutes
/// notifies nothing twice.
/// </summary>
public sealed class FleetIndexSweep
{
    private const int Batch = 100;
    private readonly IIotFleetIndex _index;
    private readonly IConnectionEventSink _sink;
    private readonly FleetIndexSweepOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the sweep.</summary>
    /// <param name="index">The fleet index (<c>AddAwsIotFleetIndex</c>).</param>
    /// <param name="sink">Where the disconnects go: the device engine.</param>
    /// <param name="options">The sweep's options.</param>
    /// <param name="logger">The logger.</param>
    public FleetIndexSweep(IIotFleetIndex index, IConnectionEventSink sink, IOptions<FleetIndexSweepOptions> options, ILogger<FleetIndexSweep> logger)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _index = index;
        _sink = sink;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Runs one sweep: every page of the query, the offline things' disconnects recorded 100 at a time.</summary>
    /// <param name="cancellationToken">Cancels the sweep; what was recorded before stays recorded.</param>
    /// <returns>How many offline things were handed to the engine.</returns>
    /// <exception cref="AwsServiceException">The fleet index refused the search (not indexed, a bad query, access denied).</exception>
    /// <exception cref="DeviceStoreException">The engine's store could not record a batch.</exception>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var batch = new List<ConnectionEvent>(Batch);
        var found = 0;
        await foreach (var thing in _index.SearchAsync(_options.Query, cancellationToken).ConfigureAwait(false))
        {
            // Only what the index says is offline, with a time: a thing it holds no connectivity for says nothing.
            if (thing.Connectivity is not { Connected: false } offline)
            {
                continue;
            }

            batch.Add(new ConnectionEvent(thing.ThingName, Connected: false, At: offline.ChangedAt, offline.Version));
            if (batch.Count == Batch)
            {
                found += await RecordAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }

        found += await RecordAsync(batch, cancellationToken).ConfigureAwait(false);
        AwsLog.Swept(_logger, _options.Query, found);
        return found;
    }

    private async Task<int> RecordAsync(List<ConnectionEvent> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        await _sink.RecordAsync([.. batch], cancellationToken).ConfigureAwait(false);
        var count = batch.Count;
        batch.Clear();
        return count;
    }
}
