namespace GracefulDisconnect.Mqtt.Tests.Broker;

/// <summary>
/// Retained availability: a retained "down" on subscribe is an outage under way; the broker repeats it on every new
/// subscription, and the source forwards it once per process.
/// </summary>
[Collection(SharedMosquitto.Name)]
public sealed class RetainedStateTests(MosquittoFixture fixture) : IAsyncLifetime
{
    private readonly List<string> _retainedTopics = [];

    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task RetainedOffline_PublishedBeforeStart_ForwardedOnceAsFirstSeen()
    {
        var device = Names.Unique("tas");
        await PublishRetainedAsync($"tele/{device}/LWT", "Offline");
        var beforeStart = DateTimeOffset.UtcNow;

        await using var host = await SourceHost.StartAsync(Broker.Uri, options => options.Presets.Add(MqttPreset.Tasmota));

        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the retained offline; log: {host.LogText()}");
        var outage = host.Sink.EventsOf(device).Single();
        Assert.False(outage.Connected);

        // Its real start is unknown; the time we first saw it is the honest lower bound.
        Assert.True(outage.At >= beforeStart, $"{outage.At:o} is not after the start {beforeStart:o}");
    }

    [Fact]
    public async Task RetainedOffline_SourceRestartedInSameProcess_NotForwardedAgain()
    {
        var (device, sentinel) = (Names.Unique("tas"), Names.Unique("sentinel"));
        await PublishRetainedAsync($"tele/{device}/LWT", "Offline");
        await using var host = await SourceHost.StartAsync(Broker.Uri, options => options.Presets.Add(MqttPreset.Tasmota));
        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the retained offline; log: {host.LogText()}");

        await host.RestartSourceAsync();
        await Broker.PublishAsync($"tele/{sentinel}/LWT", "Online");

        // The broker sends retained messages on subscribe, before anything published after it: once the sentinel is in,
        // the repeat has been seen and dropped.
        await Eventually.TrueAsync(() => host.Sink.EventsOf(sentinel).Count == 1, () => $"the sentinel; log: {host.LogText()}");
        Assert.Single(host.Sink.EventsOf(device));
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 5024 && r.Message.Contains(device, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetainedOnline_AfterLiveOfflineAndReconnect_ForwardedBecauseItIsNews()
    {
        var (device, sentinel) = (Names.Unique("tas"), Names.Unique("sentinel"));
        await using var host = await SourceHost.StartAsync(Broker.Uri, options => options.Presets.Add(MqttPreset.Tasmota));
        await Broker.PublishAsync($"tele/{device}/LWT", "Offline");
        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the live offline; log: {host.LogText()}");

        // While the source is away the device comes back; the broker keeps only its retained Online.
        var source = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<MqttEventSource>().Single();
        await source.StopAsync(CancellationToken.None);
        await PublishRetainedAsync($"tele/{device}/LWT", "Online");
        await source.StartAsync(CancellationToken.None);
        await host.WaitConnectedAsync();
        await Broker.PublishAsync($"tele/{sentinel}/LWT", "Online");

        await Eventually.TrueAsync(() => host.Sink.EventsOf(sentinel).Count == 1, () => $"the sentinel; log: {host.LogText()}");
        Assert.Equal([false, true], host.Sink.EventsOf(device).Select(e => e.Connected));
    }

    [Fact]
    public async Task RetainedOffline_NewProcess_ForwardedAgainForTheEngineToTreatAsTheSameOutage()
    {
        // The memory of what was forwarded lives in the process. A new process (same client id, same broker session) is
        // sent the retained offline again and forwards it: the engine must see a disconnect of a device already in an
        // open outage as that same outage. This test pins down that boundary of the guarantee.
        var device = Names.Unique("tas");
        var clientId = Names.Unique("gd-proc");
        await PublishRetainedAsync($"tele/{device}/LWT", "Offline");

        DateTimeOffset firstSeen;
        await using (var first = await SourceHost.StartAsync(Broker.Uri, options => Configure(options, clientId)))
        {
            await Eventually.TrueAsync(() => first.Sink.EventsOf(device).Count == 1, () => $"the retained offline; log: {first.LogText()}");
            firstSeen = first.Sink.EventsOf(device).Single().At;
        }

        await using var second = await SourceHost.StartAsync(Broker.Uri, options => Configure(options, clientId));
        await Eventually.TrueAsync(() => second.Sink.EventsOf(device).Count == 1, () => $"the retained offline again; log: {second.LogText()}");
        var repeat = second.Sink.EventsOf(device).Single();
        Assert.False(repeat.Connected);
        Assert.True(repeat.At >= firstSeen, "a repeat is never earlier than the first sighting, so it cannot open an earlier outage");

        static void Configure(MqttSourceOptions options, string clientId)
        {
            options.ClientId = clientId;
            options.Presets.Add(MqttPreset.Tasmota);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var topic in _retainedTopics)
        {
            await Broker.ClearRetainedAsync(topic);
        }
    }

    private Task PublishRetainedAsync(string topic, string payload)
    {
        _retainedTopics.Add(topic);
        return Broker.PublishAsync(topic, payload, retain: true);
    }
}
