using GracefulDisconnect.Webhooks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Webhooks.Tests.Signed;

/// <summary>
/// What a channel says in the logs at the levels a service runs with: one line per message sent, a warning per retry,
/// and nothing from the resilience pipeline itself (Polly reports every attempt, at Information when it succeeded and
/// at Warning before a retry; here those are Debug, since the channel's own lines already tell it).
/// </summary>
public sealed class WebhookAttemptLoggingTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private LoopbackReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task NotifyAsync_FirstAttemptSucceeds_OnlyTheSentLineAtInformationOrAbove()
    {
        await using var provider = Build();

        await provider.Notifier().NotifyAsync(Notifications.Offline());

        Assert.Equal([(LogLevel.Information, 4000)], Visible());
        Assert.Contains(_logs.Entries, entry => entry.Category.StartsWith("Polly", StringComparison.Ordinal) && entry.Level == LogLevel.Debug);
    }

    [Fact]
    public async Task NotifyAsync_OneRetry_OneWarningFromTheChannelAndNothingFromThePipelineAboveDebug()
    {
        _receiver.Enqueue(new ScriptedResponse(503));
        await using var provider = Build();

        await provider.Notifier().NotifyAsync(Notifications.Offline());

        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Equal([(LogLevel.Warning, 4001), (LogLevel.Information, 4000)], Visible());
        Assert.DoesNotContain(_logs.Entries, entry => entry.Category.StartsWith("Polly", StringComparison.Ordinal) && entry.Level > LogLevel.Debug);
    }

    private List<(LogLevel Level, int EventId)> Visible()
        => [.. _logs.Entries.Where(entry => entry.Level >= LogLevel.Information).Select(entry => (entry.Level, entry.EventId))];

    private ServiceProvider Build()
        => TestHost.Build(
            builder => builder.AddWebhookNotifier(options =>
            {
                options.Url = _receiver.Url("hooks/device-offline");
                options.Secret = "logging-test-secret-0123456789abcdef";
                TestHost.FastRetries(options);
            }),
            _logs);
}
