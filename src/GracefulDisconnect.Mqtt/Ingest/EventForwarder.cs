using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Mqtt;

/// <summary>
/// Hands what has arrived since the last call to the engine as one batch, waits until the engine says it is durable,
/// and only then acknowledges each message of the batch to the broker, in the order received. A batch the engine cannot
/// record is retried with backoff and never acknowledged meanwhile: if the source stops first, the broker still holds
/// the messages for our session and sends them again.
/// </summary>
internal sealed class EventForwarder(
    IConnectionEventSink sink,
    RetainedStateMemory memory,
    IngestProgress progress,
    int maxBatchSize,
    Func<ExponentialBackoff> createBackoff,
    Func<long> currentConnection,
    TimeProvider timeProvider,
    ILogger logger)
{
    public async Task RunAsync(ChannelReader<ReceivedMessage> reader, CancellationToken cancellationToken)
    {
        var batch = new List<ReceivedMessage>(maxBatchSize);
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < maxBatchSize && reader.TryRead(out var message))
            {
                batch.Add(message);
            }

            await ForwardAsync(batch, cancellationToken).ConfigureAwait(false);
            progress.Recorded(batch.Count);
        }
    }

    internal async Task ForwardAsync(IReadOnlyList<ReceivedMessage> batch, CancellationToken cancellationToken)
    {
        var events = new List<ConnectionEvent>(batch.Count);

        // States this batch forwards, remembered only once the engine has them: a state remembered but never recorded
        // would make its redelivery look like a repeat and be dropped.
        var forwarded = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var message in batch)
        {
            if (message.Event is not { } connectionEvent)
            {
                continue;
            }

            if (connectionEvent.SignOfLife)
            {
                // Not a state: nothing to compare with the memory of states, nothing to remember. A retained one is
                // marked so, and the engine does not take the broker's repeat for the device speaking.
                events.Add(message.Retained ? connectionEvent with { Retained = true } : connectionEvent);
                continue;
            }

            var last = forwarded.TryGetValue(connectionEvent.ThingName, out var inBatch) ? inBatch : memory.LastForwarded(connectionEvent.ThingName);
            if (message.Retained && last == connectionEvent.Connected)
            {
                MqttLog.RetainedRepeatSkipped(logger, connectionEvent.ThingName, connectionEvent.Connected);
                continue;
            }

            // Marked, so that the engine, which remembers across restarts what this memory forgets, takes a retained
            // repeat of the state it already has as the same outage going on.
            events.Add(message.Retained ? connectionEvent with { Retained = true } : connectionEvent);
            forwarded[connectionEvent.ThingName] = connectionEvent.Connected;
        }

        if (events.Count > 0)
        {
            var refused = await RecordAsync(events, cancellationToken).ConfigureAwait(false);
            foreach (var thing in refused)
            {
                forwarded.Remove(thing);
            }
        }

        memory.Remember(forwarded);
        await AcknowledgeAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    /// <returns>The devices whose events the engine refused as invalid (skipped, so they do not block the rest).</returns>
    private async Task<IReadOnlyCollection<string>> RecordAsync(List<ConnectionEvent> events, CancellationToken cancellationToken)
    {
        var backoff = createBackoff();
        while (true)
        {
            try
            {
                await sink.RecordAsync(events, cancellationToken).ConfigureAwait(false);
                return [];
            }
            catch (ArgumentException exception) when (events.Count == 1)
            {
                MqttLog.EventRefused(logger, events[0].ThingName, exception);
                return [events[0].ThingName];
            }
            catch (ArgumentException)
            {
                // The port promises nothing of the batch was recorded: find the events it refuses, keep the others.
                return await RecordOneByOneAsync(events, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var delay = backoff.Next();
                MqttLog.RecordFailed(logger, events.Count, timeProvider.GetUtcNow() + delay, exception);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyCollection<string>> RecordOneByOneAsync(List<ConnectionEvent> events, CancellationToken cancellationToken)
    {
        var refused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var connectionEvent in events)
        {
            refused.UnionWith(await RecordAsync([connectionEvent], cancellationToken).ConfigureAwait(false));
        }

        return refused;
    }

    private async Task AcknowledgeAsync(IReadOnlyList<ReceivedMessage> batch, CancellationToken cancellationToken)
    {
        var connection = currentConnection();
        var stale = 0;
        foreach (var message in batch)
        {
            // A packet id belongs to the connection it came on; the broker redelivers the message on the next one.
            if (message.Connection != connection)
            {
                stale++;
                continue;
            }

            try
            {
                await message.Delivery.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                MqttLog.AcknowledgeFailed(logger, exception);
            }
        }

        if (stale > 0)
        {
            MqttLog.StaleAcknowledgementsDropped(logger, stale);
        }
    }
}
