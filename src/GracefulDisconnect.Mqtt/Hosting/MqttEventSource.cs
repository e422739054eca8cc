using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace GracefulDisconnect.Mqtt;

/// <summary>
/// The MQTT event source: keeps a connection to the broker (reconnecting with backoff), subscribes to the presets' and
/// mappings' topics at QoS 1 on a persistent session, and hands the availability messages to the engine's
/// <see cref="IConnectionEventSink"/>, acknowledging each only once the engine has recorded it.
/// </summary>
internal sealed class MqttEventSource(
    IOptions<MqttSourceOptions> options,
    IOptions<GracefulDisconnectOptions> engineOptions,
    IConnectionEventSink sink,
    RetainedStateMemory memory,
    TimeProvider timeProvider,
    ILogger<MqttEventSource> logger) : BackgroundService, IMqttSourceStatus
{
    // Attached when the host builds its services, before any hosted service starts: the engine's first pass over due
    // re-checks (which may run before this source connects) already waits for what the broker has for us.
    private readonly IngestProgress _progress = IngestProgress.AttachTo(sink, timeProvider);
    private long _connection;
    private volatile bool _connected;
    private long _connectedSinceTicks = long.MinValue;
    private long _disconnectedSinceTicks = long.MinValue;

    public string Broker => MqttBrokerAddress.TryParse(options.Value.Broker, out var address, out _) ? address!.Display : "(no valid broker configured)";

    public bool IsConnected => _connected;

    public DateTimeOffset? ConnectedSince => FromTicks(Interlocked.Read(ref _connectedSinceTicks));

    public DateTimeOffset? DisconnectedSince => FromTicks(Interlocked.Read(ref _disconnectedSinceTicks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Validated on start, so neither can fail here.
        var settings = options.Value;
        if (!MqttBrokerAddress.TryParse(settings.Broker, out var parsed, out var problem))
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MqttSourceOptions), [$"Broker {problem}."]);
        }

        var broker = parsed!;
        // The presets' telemetry is read only when the engine has a use for it: silence detection on for some device.
        var engine = engineOptions.Value;
        var translator = MessageTranslator.FromOptions(settings, watchesSilence: engine.SilentAfter is not null || engine.SilentAfterOverrides.Count > 0);
        foreach (var (heartbeat, availability) in translator.Overlaps)
        {
            MqttLog.HeartbeatOverlapsAvailability(logger, heartbeat, availability);
        }

        var clientOptions = MqttClientOptionsFactory.Create(settings, broker);

        // Bounded: when the engine is slow, the source stops taking messages and the broker holds them (back-pressure).
        var channel = Channel.CreateBounded<ReceivedMessage>(new BoundedChannelOptions(settings.MaxBatchSize)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var forwarder = new EventForwarder(
            sink,
            memory,
            _progress,
            settings.MaxBatchSize,
            () => new ExponentialBackoff(settings.ReconnectInitialDelay, settings.ReconnectMaxDelay),
            () => Interlocked.Read(ref _connection),
            timeProvider,
            logger);

        using var client = new MqttClientFactory().CreateMqttClient();
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += delivery => OnMessageAsync(delivery, translator, channel.Writer, stoppingToken);
        client.DisconnectedAsync += disconnected =>
        {
            // The time first, then the flag: whoever sees "not connected" also sees since when.
            MarkDisconnected();
            _progress.Disconnected();
            Volatile.Read(ref lost).TrySetResult(disconnected.Reason.ToString());
            return Task.CompletedTask;
        };

        using var forwarding = new CancellationTokenSource();
        var forwarderTask = Task.Run(() => forwarder.RunAsync(channel.Reader, forwarding.Token), CancellationToken.None);
        var backoff = new ExponentialBackoff(settings.ReconnectInitialDelay, settings.ReconnectMaxDelay);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                string reason;
                try
                {
                    Volatile.Write(ref lost, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
                    Interlocked.Increment(ref _connection);
                    await ConnectAndSubscribeAsync(client, clientOptions, broker, settings, translator, stoppingToken).ConfigureAwait(false);
                    backoff.Reset();
                    var lostTask = Volatile.Read(ref lost).Task;
                    await Task.WhenAny(lostTask, forwarderTask).WaitAsync(stoppingToken).ConfigureAwait(false);
                    if (forwarderTask.IsCompleted)
                    {
                        // A bug, not a broker problem: without the forwarder nothing is recorded or acknowledged, so
                        // stop the host (through the exception) rather than go on reading messages that are never handled.
                        await forwarderTask.ConfigureAwait(false);
                        throw new InvalidOperationException("The MQTT source's forwarder stopped unexpectedly.");
                    }

                    reason = await lostTask.ConfigureAwait(false);
                    MarkDisconnected();
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception) when (!forwarderTask.IsCompleted)
                {
                    // Connected but not subscribed (a refused subscription request, a timeout): start over cleanly.
                    await DisconnectAsync(client, broker, settings).ConfigureAwait(false);
                    MarkDisconnected();
                    var wait = backoff.Next();
                    MqttLog.ConnectFailed(logger, broker.Display, timeProvider.GetUtcNow() + wait, exception);
                    await DelayAsync(wait, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                var delay = backoff.Next();
                MqttLog.Disconnected(logger, broker.Display, reason, timeProvider.GetUtcNow() + delay);
                await DelayAsync(delay, stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Messages still waiting were never acknowledged: the broker keeps them for the session and sends them again.
            channel.Writer.TryComplete();
            await forwarding.CancelAsync().ConfigureAwait(false);
            try
            {
                await forwarderTask.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await DisconnectAsync(client, broker, settings).ConfigureAwait(false);
        }
    }

    private async Task ConnectAndSubscribeAsync(
        IMqttClient client,
        MqttClientOptions clientOptions,
        MqttBrokerAddress broker,
        MqttSourceOptions settings,
        MessageTranslator translator,
        CancellationToken cancellationToken)
    {
        var result = await client.ConnectAsync(clientOptions, cancellationToken).ConfigureAwait(false);
        if (settings.SessionExpiry > TimeSpan.Zero && !result.IsSessionPresent && Interlocked.Read(ref _connection) > 1)
        {
            MqttLog.SessionNotResumed(logger, broker.Display);
        }

        // Subscribing again even on a resumed session: the broker then sends every retained state once more, which is
        // how we learn what changed while we were blind (QoS 0 wills are not queued for us). Repeats are dropped by the
        // retained-state memory, and across a process restart the engine treats them as the same outage.
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in translator.SubscriptionFilters)
        {
            subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce, retainHandling: MqttRetainHandling.SendAtSubscribe);
        }

        var subscribed = await client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        foreach (var item in subscribed.Items)
        {
            if ((int)item.ResultCode > (int)MqttClientSubscribeResultCode.GrantedQoS2)
            {
                MqttLog.SubscriptionRefused(logger, broker.Display, item.TopicFilter.Topic, item.ResultCode.ToString());
            }
        }

        _connected = true;
        _progress.Connected();
        Interlocked.Exchange(ref _connectedSinceTicks, timeProvider.GetUtcNow().UtcTicks);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var filters = string.Join(", ", translator.SubscriptionFilters);
            MqttLog.Connected(logger, broker.Display, settings.ClientId, result.IsSessionPresent, filters);
        }
    }

    private async Task OnMessageAsync(
        MqttApplicationMessageReceivedEventArgs delivery,
        MessageTranslator translator,
        ChannelWriter<ReceivedMessage> writer,
        CancellationToken stoppingToken)
    {
        // Acknowledged by the forwarder once the engine has recorded it, never by MQTTnet on return.
        delivery.AutoAcknowledge = false;
        var message = delivery.ApplicationMessage;
        try
        {
            var connection = Interlocked.Read(ref _connection);
            var translation = translator.Translate(message.Topic, message.Payload, timeProvider.GetUtcNow());
            ConnectionEvent? connectionEvent = null;
            switch (translation.Outcome)
            {
                case TranslationOutcome.Event:
                    connectionEvent = translation.Event;
                    break;
                case TranslationOutcome.UnknownPayload:
                    if (logger.IsEnabled(LogLevel.Warning))
                    {
                        var payload = PayloadText.ForLog(message.Payload);
                        MqttLog.UnknownPayload(logger, message.Topic, payload, translation.Rule!);
                    }

                    break;
                case TranslationOutcome.InvalidThingName:
                    MqttLog.InvalidThingName(logger, message.Topic, translation.Problem!);
                    break;
                case TranslationOutcome.Ignored:
                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        var payload = PayloadText.ForLog(message.Payload);
                        MqttLog.IgnoredState(logger, translation.Thing!, message.Topic, payload, translation.Rule!);
                    }

                    break;
                default:
                    MqttLog.NoRule(logger, message.Topic);
                    break;
            }

            // Skipped messages are acknowledged too, but in their turn: MQTT wants acknowledgements in the order received.
            _progress.Arrived();
            try
            {
                await writer.WriteAsync(new ReceivedMessage(delivery, connection, connectionEvent, message.Retain), stoppingToken).ConfigureAwait(false);
            }
            catch
            {
                _progress.Recorded(1);
                throw;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
        }
        catch (Exception exception)
        {
            MqttLog.MessageHandlingFailed(logger, message.Topic, exception);
        }
    }

    private async Task DisconnectAsync(IMqttClient client, MqttBrokerAddress broker, MqttSourceOptions settings)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            // A normal disconnect keeps the session (its expiry was set on connect) and what we did not acknowledge in it.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(
                new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(),
                timeout.Token).ConfigureAwait(false);
            MqttLog.Stopped(logger, broker.Display, settings.SessionExpiry);
        }
        catch (Exception exception) when (exception is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            // Stopping anyway; the broker notices the dropped connection by itself.
        }
        finally
        {
            MarkDisconnected();
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void MarkDisconnected()
    {
        // The moment we went blind: kept through failed reconnects, moved only by a new loss after a connection.
        if (DisconnectedSince is not { } since || ConnectedSince is { } connected && connected > since)
        {
            Interlocked.Exchange(ref _disconnectedSinceTicks, timeProvider.GetUtcNow().UtcTicks);
        }

        _connected = false;
    }

    private static DateTimeOffset? FromTicks(long ticks) => ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
