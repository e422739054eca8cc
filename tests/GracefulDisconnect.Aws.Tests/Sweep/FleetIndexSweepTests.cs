using System.Collections.Concurrent;
using Amazon.Runtime;
using GracefulDisconnect.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Sweep;

/// <summary>
/// The library's sweep against a SigV4-verifying fake of the IoT control plane, feeding the real device engine: the
/// disconnects that never reached us are found across pages and notified once, however often the sweep runs.
/// </summary>
public sealed class FleetIndexSweepTests : IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    private readonly ConcurrentQueue<DeviceNotification> _sent = new();
    private FakeIotControlPlane _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeIotControlPlane.StartNewAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Sweep_150OfflineOverTwoPages_EachOutagePastTheGraceNotifiedOnce_EvenSweptAgain()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        for (var i = 0; i < 150; i++)
        {
            _fake.PutThing($"lost-{i:D3}", connected: false, now.AddMinutes(-10).AddMilliseconds(i));
        }

        _fake.PutThing("recent", connected: false, now.AddMinutes(-1));
        _fake.PutThing("online", connected: true, now.AddMinutes(-30));
        _fake.PutThingNeverConnected("never");
        await using var provider = Build();
        var sweep = provider.GetRequiredService<FleetIndexSweep>();
        var engine = provider.GetRequiredService<DeviceEngine>();

        Assert.Equal(151, await sweep.SweepAsync());
        await DrainAsync(engine, expected: 150);
        Assert.Equal(151, await sweep.SweepAsync());
        await DrainAsync(engine, expected: 150);

        var notified = _sent.Select(n => n.ThingName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"lost-{i:D3}"), notified);
        Assert.All(_sent, n => Assert.Equal(NotificationKind.Offline, n.Kind));
        Assert.Equal(now.AddMinutes(-10).AddMilliseconds(7), _sent.Single(n => n.ThingName == "lost-007").OfflineSince);
        Assert.Equal(4, _fake.SearchRequests.Count);
        Assert.All(_fake.Requests, request => Assert.True(request.Signature.Valid, request.Signature.Problem));
    }

    [Fact]
    public async Task HostedSweep_FirstRunAtStart_AFailingIndexIsLoggedAndTheHostKeepsRunning()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _fake.PutThing("lost-1", connected: false, now.AddMinutes(-10));
        _fake.FailNext(new ScriptedFailure(400, "IndexNotReadyException", "The index is not ready yet"));
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings { DisableDefaults = true });
        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Services.Configure<GracefulDisconnectOptions>(options => options.GracePeriod = Grace);
        Configure(builder.Services.AddGracefulDisconnect(), options => options.Interval = TimeSpan.FromMinutes(1)).RunDeviceEngine();
        using var host = builder.Build();

        await host.StartAsync();
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!logs.Entries().Any(entry => entry.Contains("[2016]", StringComparison.Ordinal)) && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        await host.StopAsync();

        // The index was not ready at the first sweep: a warning, no crash; the next one runs a minute later.
        Assert.Contains(logs.Entries(), entry => entry.Contains("[2016]", StringComparison.Ordinal) && entry.Contains("Warning", StringComparison.Ordinal));
        Assert.Single(_fake.SearchRequests);
        Assert.Empty(_sent);
    }

    [Theory]
    [InlineData("", "Query")]
    [InlineData("00:00:10", "Interval")]
    public void Options_Invalid_FailOnStartNamingTheOption(string value, string option)
    {
        using var provider = Build(options =>
        {
            if (option == "Query")
            {
                options.Query = value;
            }
            else
            {
                options.Interval = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FleetIndexSweepOptions>>().Value);

        Assert.Contains(option, failure.Message, StringComparison.Ordinal);
    }

    // The engine's passes, as its hosted loops would run them, until the expected notifications are out (a re-check
    // waits a moment after a disconnect is recorded, for what arrives with it).
    private async Task DrainAsync(DeviceEngine engine, int expected)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await engine.RunDueAsync();
            await engine.DeliverAsync();
            if (_sent.Count >= expected)
            {
                await Task.Delay(300);
                await engine.RunDueAsync();
                await engine.DeliverAsync();
                return;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < until);

        Assert.Fail($"{_sent.Count} of {expected} notifications after 20 s");
    }

    private ServiceProvider Build(Action<FleetIndexSweepOptions>? configure = null)
        => AwsTestHost.Build(builder => Configure(builder, configure), services => services.Configure<GracefulDisconnectOptions>(options => options.GracePeriod = Grace));

    private GracefulDisconnectBuilder Configure(GracefulDisconnectBuilder builder, Action<FleetIndexSweepOptions>? configure)
        => builder
            .UseLastKnownState()
            .AddNotifier(new Recording(_sent))
            .AddAwsIotFleetIndex(options =>
            {
                options.Endpoint = _fake.Endpoint.ToString();
                options.Region = AwsTestHost.Region;
                options.Credentials = new SessionAWSCredentials(TestAwsCredentials.AccessKeyId, TestAwsCredentials.SecretAccessKey, TestAwsCredentials.SessionToken);
                options.MaxRequestsPerSecond = 0;
                AwsTestHost.FastRetries(options, attempts: 1);
            })
            .AddFleetIndexSweep(configure);

    private sealed class Recording(ConcurrentQueue<DeviceNotification> sent) : INotifier
    {
        public ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        {
            sent.Enqueue(notification);
            return ValueTask.CompletedTask;
        }
    }
}
