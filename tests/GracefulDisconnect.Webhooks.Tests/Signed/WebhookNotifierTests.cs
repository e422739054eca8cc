using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GracefulDisconnect.Webhooks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Webhooks.Tests.Signed;

public sealed class WebhookNotifierTests : IAsyncLifetime
{
    private const string Secret = "s3cr3t-0123456789abcdef-ZYXWV";
    private const string BearerToken = "Bearer gw-token-5f4e3d2c1b";
    private readonly FakeTimeProvider _time = new(Notifications.DecidedAt);
    private readonly CapturingLoggerProvider _logs = new();
    private LoopbackReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private ServiceProvider Build(Action<WebhookNotifierOptions>? configure = null)
        => TestHost.Build(
            builder => builder.AddWebhookNotifier(options =>
            {
                options.Url = _receiver.Url("hooks/device-offline");
                options.Secret = Secret;
                options.Headers["Authorization"] = BearerToken;
                options.Headers["X-Tenant"] = "fleet-7";
                TestHost.FastRetries(options);
                configure?.Invoke(options);
            }),
            _logs,
            _time);

    [Fact]
    public async Task NotifyAsync_Offline_PostsTheJsonBodyWithTimestampSignatureIdAndExtraHeaders()
    {
        await using var provider = Build();

        await provider.Notifier().NotifyAsync(Notifications.Offline());

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal(("POST", "/hooks/device-offline"), (request.Method, request.RawTarget));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Json.Equal(
            """
            {
              "id": "greenhouse-pi-3@1767226200",
              "kind": "notify",
              "thing": "greenhouse-pi-3",
              "offlineSince": "2026-01-01T00:10:00.000Z",
              "decidedAt": "2026-01-01T00:15:00.123Z",
              "grace": "00:05:00",
              "outageId": "greenhouse-pi-3@1767226200",
              "subject": "greenhouse-pi-3 is offline",
              "message": "greenhouse-pi-3 has been offline since 2026-01-01 00:10:00 +00:00."
            }
            """,
            request.BodyText);
        Assert.StartsWith("{\"id\":\"greenhouse-pi-3@1767226200\",\"kind\":\"notify\",", request.BodyText, StringComparison.Ordinal);
        Assert.Equal("1767226500", request.Header("X-GracefulDisconnect-Timestamp"));
        Assert.Equal("greenhouse-pi-3@1767226200", request.Header("X-GracefulDisconnect-Id"));
        Assert.Equal(BearerToken, request.Header("Authorization"));
        Assert.Equal("fleet-7", request.Header("X-Tenant"));
        Assert.Equal(IndependentSignature(Secret, request.Header("X-GracefulDisconnect-Timestamp")!, request.Body), request.Header("X-GracefulDisconnect-Signature"));
    }

    [Fact]
    public async Task NotifyAsync_EveryKind_AddsOnlyTheFieldsThatApplyAndEachIsSignedAndVerifiable()
    {
        await using var provider = Build();
        var notifier = provider.Notifier();

        await notifier.NotifyAsync(Notifications.Recovered());
        await notifier.NotifyAsync(Notifications.Reminder());
        await notifier.NotifyAsync(Notifications.Flapping());
        await notifier.NotifyAsync(Notifications.Digest(3, "factory-a"));

        var bodies = _receiver.Requests.Select(request => JsonNode.Parse(request.BodyText)!.AsObject()).ToList();
        Assert.Equal(("recovered", "greenhouse-pi-3@1767226200#recovered", "02:05:00"), ((string?)bodies[0]["kind"], (string?)bodies[0]["id"], (string?)bodies[0]["offlineFor"]));
        Assert.Equal(("reminder", "greenhouse-pi-3@1767226200#reminder-2", "1.03:00:00", 2), ((string?)bodies[1]["kind"], (string?)bodies[1]["id"], (string?)bodies[1]["offlineFor"], (int?)bodies[1]["reminder"]));
        Assert.Equal(("flapping", 7), ((string?)bodies[2]["kind"], (int?)bodies[2]["disconnects"]));
        Assert.Equal(["sensor-001", "sensor-002", "sensor-003"], bodies[3]["things"]!.AsArray().Select(thing => (string?)thing));
        Assert.Equal(("digest", "factory-a", "factory-a@1767226200#digest"), ((string?)bodies[3]["kind"], (string?)bodies[3]["thing"], (string?)bodies[3]["id"]));
        Assert.False(bodies[0].ContainsKey("reminder") || bodies[0].ContainsKey("disconnects") || bodies[0].ContainsKey("things"));
        Assert.False(bodies[2].ContainsKey("offlineFor") || bodies[2].ContainsKey("reminder"));
        foreach (var request in _receiver.Requests)
        {
            Assert.Equal((string?)JsonNode.Parse(request.BodyText)!["id"], request.Header("X-GracefulDisconnect-Id"));
            Assert.Equal(WebhookSignatureResult.Valid, Verify(request, _time.GetUtcNow()));
        }
    }

    [Fact]
    public async Task NotifyAsync_JapaneseAndMarkupInText_IsSentWholeAsUtf8AndSignedOverTheExactBytes()
    {
        await using var provider = Build();
        var notification = Notifications.Offline("温室センサー3") with { Subject = "<b>温室</b> & \"R&D\"", Message = new string('長', 20_000) };

        await provider.Notifier().NotifyAsync(notification);

        var request = Assert.Single(_receiver.Requests);
        var body = JsonNode.Parse(request.BodyText)!;
        Assert.Equal("<b>温室</b> & \"R&D\"", (string?)body["subject"]);
        Assert.Equal(20_000, ((string)body["message"]!).Length);
        Assert.Equal("温室センサー3", (string?)body["thing"]);
        Assert.Equal("温室センサー3@1767226200", (string?)body["id"]);
        Assert.Equal(Uri.EscapeDataString("温室センサー3@1767226200"), request.Header("X-GracefulDisconnect-Id"));
        Assert.Contains(Encoding.UTF8.GetBytes("\"thing\":\"温室センサー3\""), Enumerable.Range(0, request.Body.Length - 40).Select(i => request.Body[i..(i + Encoding.UTF8.GetByteCount("\"thing\":\"温室センサー3\""))]));
        Assert.Equal(IndependentSignature(Secret, request.Header("X-GracefulDisconnect-Timestamp")!, request.Body), request.Header("X-GracefulDisconnect-Signature"));
    }

    [Fact]
    public async Task NotifyAsync_LaterOnTheClock_SignsWithTheNewTimestamp()
    {
        await using var provider = Build();

        await provider.Notifier().NotifyAsync(Notifications.Offline());
        _time.Advance(TimeSpan.FromMinutes(3));
        await provider.Notifier().NotifyAsync(Notifications.Offline());

        Assert.Equal(["1767226500", "1767226680"], _receiver.Requests.Select(request => request.Header("X-GracefulDisconnect-Timestamp")));
        Assert.NotEqual(_receiver.Requests[0].Header("X-GracefulDisconnect-Signature"), _receiver.Requests[1].Header("X-GracefulDisconnect-Signature"));
    }

    [Fact]
    public async Task NotifyAsync_ReceiverRefuses_TheErrorAndLogsCarryNeitherTheSecretNorTheHeaderValues()
    {
        await using var provider = Build(options => options.MaxRetryAttempts = 0);
        _receiver.Enqueue(new ScriptedResponse(401, $"bad signature; expected key {Secret}, got auth {BearerToken}"));

        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(async () => await provider.Notifier().NotifyAsync(Notifications.Offline()));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("bad signature; expected key ***, got auth ***", error.ResponseSnippet);
        Assert.StartsWith("Webhook notifier 'webhook' was refused: HTTP 401 (Unauthorized)", error.Message, StringComparison.Ordinal);
        foreach (var text in new[] { error.ToString(), _logs.AllText() })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("gw-token-5f4e3d2c1b", text, StringComparison.Ordinal);
        }
    }

    private static WebhookSignatureResult Verify(ReceivedRequest request, DateTimeOffset now)
        => WebhookSignature.Verify(Secret, request.Header("X-GracefulDisconnect-Timestamp"), request.Header("X-GracefulDisconnect-Signature"), request.Body, now);

    /// <summary>The scheme as a receiver in any language computes it, without the package's own code.</summary>
    internal static string IndependentSignature(string secret, string timestamp, byte[] body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var signed = Encoding.ASCII.GetBytes(timestamp + ".").Concat(body).ToArray();
        return "sha256=" + string.Concat(hmac.ComputeHash(signed).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }
}
