using System.Net;
using System.Net.Sockets;
using GracefulDisconnect.Webhooks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Webhooks.Tests.Hostile;

/// <summary>
/// Every way a post can fail, through the Slack channel (all three share one transport): what is retried here, what
/// is left to the engine, and that no exception or log line of any category, at Trace, carries the URL's secret.
/// </summary>
public sealed class ErrorPathTests : IAsyncLifetime
{
    private const string Secret = "Zk3Qm8Wp2Rt6Yv9Bx4Nc7Hd1";
    private readonly CapturingLoggerProvider _logs = new();
    private LoopbackReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _logs.Dispose();
    }

    private string Url => _receiver.Url($"services/T0ABCDEF1/B0ABCDEF2/{Secret}");

    [Theory]
    [InlineData(400, "invalid_payload")]
    [InlineData(403, "action_prohibited")]
    [InlineData(404, "channel_not_found")]
    [InlineData(410, "channel_is_archived")]
    public async Task NotifyAsync_ClientError_IsNotRetriedAndNamesChannelStatusAndSnippet(int status, string body)
    {
        await using var provider = Build();
        _receiver.Enqueue(new ScriptedResponse(status, body));

        var error = await SendFailingAsync(provider);

        Assert.Single(_receiver.Requests);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(body, error.ResponseSnippet);
        Assert.Equal(("Slack", "slack"), (error.Channel, error.ChannelName));
        Assert.StartsWith($"Slack notifier 'slack' was refused: HTTP {status} (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"): {body}.", error.Message, StringComparison.Ordinal);
        Assert.Contains(_logs.Entries, entry => entry.EventId == 4003);
        AssertNoSecret();
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task NotifyAsync_TransientStatusThenSuccess_IsRetriedAndSucceeds(int status)
    {
        await using var provider = Build();
        _receiver.Enqueue(new ScriptedResponse(status, "try again"));

        await provider.Notifier().NotifyAsync(Notifications.Offline());

        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Equal(_receiver.Requests[0].Body, _receiver.Requests[1].Body);
        Assert.Contains(_logs.Entries, entry => entry.EventId == 4001 && entry.Message.Contains($"HTTP {status}", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, entry => entry.EventId == 4000);
        AssertNoSecret();
    }

    [Fact]
    public async Task NotifyAsync_ServerErrorOnEveryAttempt_ThrowsAfterTheConfiguredRetries()
    {
        await using var provider = Build(options => options.MaxRetryAttempts = 2);
        _receiver.Enqueue(Enumerable.Repeat(new ScriptedResponse(503, "<html>Service Unavailable</html>"), 3).ToArray());

        var error = await SendFailingAsync(provider);

        Assert.Equal(3, _receiver.Requests.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("<html>Service Unavailable</html>", error.ResponseSnippet);
        AssertNoSecret();
    }

    [Fact]
    public async Task NotifyAsync_RetriesOff_LeavesEveryRetryToTheEngine()
    {
        await using var provider = Build(options => options.MaxRetryAttempts = 0);
        _receiver.Enqueue(new ScriptedResponse(500, "oops"));

        var error = await SendFailingAsync(provider);

        Assert.Single(_receiver.Requests);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Fact]
    public async Task NotifyAsync_TooManyRequestsWithRetryAfter_WaitsThatLongOnTheInjectedClock()
    {
        var time = new FakeTimeProvider(Notifications.DecidedAt);
        await using var provider = Build(time: time);
        _receiver.Enqueue(new ScriptedResponse(429, "rate_limited", RetryAfterSeconds: 7));

        var send = provider.Notifier().NotifyAsync(Notifications.Offline()).AsTask();
        await Eventually.TrueAsync(() => _logs.Entries.Any(entry => entry.EventId == 4001), "the retry is scheduled");
        Assert.Contains("retrying in 00:00:07", _logs.Entries.Single(entry => entry.EventId == 4001).Message, StringComparison.Ordinal);

        // Second by second on the injected clock (the retry's timer may be set just after the log line): nothing
        // is sent again before 7 seconds have passed.
        var advanced = 0;
        while (_receiver.Requests.Count < 2 && advanced < 10)
        {
            Assert.Single(_receiver.Requests);
            time.Advance(TimeSpan.FromSeconds(1));
            advanced++;
            var until = DateTime.UtcNow.AddMilliseconds(advanced < 7 ? 5 : 300);
            while (_receiver.Requests.Count < 2 && DateTime.UtcNow < until)
            {
                await Task.Delay(1);
            }
        }

        await send;
        Assert.InRange(advanced, 7, 9);
        Assert.Equal(2, _receiver.Requests.Count);
    }

    [Fact]
    public async Task NotifyAsync_RetryAfterLongerThanMaxRetryDelay_IsNotRetriedHereButReported()
    {
        await using var provider = Build(options => options.MaxRetryDelay = TimeSpan.FromSeconds(30));
        _receiver.Enqueue(new ScriptedResponse(429, "rate_limited", RetryAfterSeconds: 120));

        var error = await SendFailingAsync(provider);

        Assert.Single(_receiver.Requests);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Contains("asked to wait 120 s, longer than MaxRetryDelay (30 s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_NoAnswer_TimesOutOnTheInjectedClockAndSaysSo()
    {
        var time = new FakeTimeProvider(Notifications.DecidedAt);
        await using var provider = Build(options => options.MaxRetryAttempts = 0, time);
        _receiver.Enqueue(new ScriptedResponse(0, Hang: true));

        var send = provider.Notifier().NotifyAsync(Notifications.Offline()).AsTask();
        await _receiver.WaitForRequestsAsync(1);
        time.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(() => send);

        Assert.Null(error.StatusCode);
        Assert.StartsWith("Slack notifier 'slack' timed out: 127.0.0.1 did not answer within 5 s (AttemptTimeout).", error.Message, StringComparison.Ordinal);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task NotifyAsync_NoAnswerThenSuccess_TheTimedOutAttemptIsRetried()
    {
        await using var provider = Build(options => options.AttemptTimeout = TimeSpan.FromMilliseconds(200));
        _receiver.Enqueue(new ScriptedResponse(0, Hang: true));

        await provider.Notifier().NotifyAsync(Notifications.Offline());

        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Contains(_logs.Entries, entry => entry.EventId == 4001 && entry.Message.Contains("TimeoutRejectedException", StringComparison.Ordinal));
        AssertNoSecret();
    }

    [Fact]
    public async Task NotifyAsync_ConnectionRefused_IsRetriedThenReportedWithTheHostOnly()
    {
        var port = FreePort();
        await using var provider = TestHost.Build(
            builder => builder.AddSlackNotifier(options =>
            {
                options.Url = $"http://127.0.0.1:{port}/services/T0ABCDEF1/B0ABCDEF2/{Secret}";
                TestHost.FastRetries(options, attempts: 1);
            }),
            _logs);

        var error = await SendFailingAsync(provider);

        Assert.Null(error.StatusCode);
        Assert.StartsWith("Slack notifier 'slack' could not reach 127.0.0.1: the connection failed, after up to 1 retries.", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Single(_logs.Entries, entry => entry.EventId == 4001);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task NotifyAsync_Redirect_IsNotFollowed()
    {
        await using var provider = Build();
        _receiver.Enqueue(new ScriptedResponse(302, "", Location: _receiver.Url("elsewhere")));

        var error = await SendFailingAsync(provider);

        Assert.Single(_receiver.Requests);
        Assert.Equal(HttpStatusCode.Found, error.StatusCode);
        Assert.Contains("redirects are not followed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_ErrorBodyEchoingTheUrl_HasTheSecretMaskedAndIsCutShort()
    {
        await using var provider = Build();
        var echo = $"no such hook: {Url}\r\nPOST /services/T0ABCDEF1/B0ABCDEF2/{Secret} HTTP/1.1\n{new string('x', 500)}";
        _receiver.Enqueue(new ScriptedResponse(404, echo));

        var error = await SendFailingAsync(provider);

        Assert.NotNull(error.ResponseSnippet);
        Assert.InRange(error.ResponseSnippet.Length, 1, 200);
        Assert.StartsWith("no such hook: ***  POST *** HTTP/1.1 xxx", error.ResponseSnippet, StringComparison.Ordinal);
        Assert.DoesNotContain(error.ResponseSnippet, char.IsControl);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task RecheckAsync_ChannelFailsInTheEngine_TheEnginesFailureLogCarriesNoSecret()
    {
        await using var provider = Build(options => options.MaxRetryAttempts = 0);
        _receiver.Enqueue(new ScriptedResponse(500, $"upstream {Url} failed"));

        var outcome = await provider.RecheckAndDeliverAsync(new DisconnectTrigger("pump-7", Notifications.OfflineSince));

        // Decided and kept in the outbox; the channel's refusal is logged, and the message waits for its retry.
        Assert.Equal(RecheckResult.Notified, outcome.Result);
        Assert.Equal(1, (await provider.GetRequiredService<IDeviceStore>().CountAsync()).Undelivered);
        Assert.Contains("Slack notifier 'slack' was refused: HTTP 500", _logs.AllText(), StringComparison.Ordinal);
        AssertNoSecret();
    }

    private ServiceProvider Build(Action<SlackNotifierOptions>? configure = null, TimeProvider? time = null)
        => TestHost.Build(
            builder => builder.AddSlackNotifier(options =>
            {
                options.Url = Url;
                TestHost.FastRetries(options);
                configure?.Invoke(options);
            }),
            _logs,
            time);

    private async Task<WebhookDeliveryException> SendFailingAsync(IServiceProvider provider)
    {
        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(async () => await provider.Notifier().NotifyAsync(Notifications.Offline()));
        AssertNoSecret(error);
        return error;
    }

    private void AssertNoSecret(Exception? error = null)
    {
        var texts = new List<(string Where, string Text)> { ("logs", _logs.AllText()) };
        if (error is not null)
        {
            texts.Add(("exception", error.ToString()));
            if (error is WebhookDeliveryException { ResponseSnippet: { } snippet })
            {
                texts.Add(("snippet", snippet));
            }
        }

        foreach (var (where, text) in texts)
        {
            Assert.False(text.Contains(Secret, StringComparison.OrdinalIgnoreCase), $"the secret is in the {where}:\n{text}");
            Assert.False(text.Contains("B0ABCDEF2/", StringComparison.Ordinal), $"the URL's path is in the {where}:\n{text}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
