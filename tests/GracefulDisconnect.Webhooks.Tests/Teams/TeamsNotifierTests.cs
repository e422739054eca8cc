using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GracefulDisconnect.Webhooks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GracefulDisconnect.Webhooks.Tests.Teams;

public sealed class TeamsNotifierTests : IAsyncLifetime
{
    private const string Sig = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9f";
    private readonly CapturingLoggerProvider _logs = new();
    private LoopbackReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await LoopbackReceiver.StartAsync();
        _receiver.Success = (202, string.Empty); // what a workflow trigger answers
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _logs.Dispose();
    }

    private string Url => _receiver.Url($"workflows/0a1b2c3d4e5f40718293a4b5c6d7e8f9/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={Sig}");

    private ServiceProvider Build(Action<TeamsNotifierOptions>? configure = null)
        => TestHost.Build(
            builder => builder.AddTeamsNotifier(options =>
            {
                options.Url = Url;
                TestHost.FastRetries(options);
                configure?.Invoke(options);
            }),
            _logs);

    [Fact]
    public async Task NotifyAsync_Offline_PostsAMessageWithOneAdaptiveCard()
    {
        await using var provider = Build();

        await provider.Notifier().NotifyAsync(Notifications.Offline());

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.EndsWith($"&sig={Sig}", request.RawTarget, StringComparison.Ordinal);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Json.Equal(
            """
            {
              "type": "message",
              "attachments": [
                {
                  "contentType": "application/vnd.microsoft.card.adaptive",
                  "contentUrl": null,
                  "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                      { "type": "TextBlock", "text": "greenhouse-pi-3 is offline", "weight": "Bolder", "size": "Medium", "wrap": true },
                      { "type": "TextBlock", "text": "greenhouse-pi-3 has been offline since 2026-01-01 00:10:00 +00:00.", "wrap": true },
                      { "type": "FactSet", "facts": [
                        { "title": "Thing", "value": "greenhouse-pi-3" },
                        { "title": "Kind", "value": "notify" },
                        { "title": "Offline since", "value": "2026-01-01 00:10:00 UTC" },
                        { "title": "Outage", "value": "greenhouse-pi-3@1767226200" }
                      ] }
                    ]
                  }
                }
              ]
            }
            """,
            request.BodyText);
        Assert.Contains(_logs.Entries, entry => entry.EventId == 4000 && entry.Message.Contains("to Teams 'teams': HTTP 202", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotifyAsync_RecoveredReminderFlapping_AddTheirFacts()
    {
        await using var provider = Build();
        var notifier = provider.Notifier();

        await notifier.NotifyAsync(Notifications.Recovered());
        await notifier.NotifyAsync(Notifications.Reminder());
        await notifier.NotifyAsync(Notifications.Flapping());

        var facts = _receiver.Requests.Select(request => Facts(Card(request.BodyText))).ToList();
        Assert.Contains(("Was offline for", "2h 5m"), facts[0]);
        Assert.Contains(("Kind", "recovered"), facts[0]);
        Assert.Contains(("Offline for", "1d 3h"), facts[1]);
        Assert.Contains(("Reminder", "#2"), facts[1]);
        Assert.Contains(("Disconnects", "7"), facts[2]);
        Assert.Contains(("Kind", "flapping"), facts[2]);
    }

    [Fact]
    public async Task NotifyAsync_Digest_ListsTheFirstDevicesAndHowManyMore()
    {
        await using var provider = Build(options => options.MaxListedThings = 2);

        await provider.Notifier().NotifyAsync(Notifications.Digest(4, "factory-a"));

        var body = Card(_receiver.Requests[0].BodyText)["body"]!.AsArray();
        Assert.Equal(["TextBlock", "TextBlock", "TextBlock", "FactSet"], body.Select(element => (string?)element!["type"]));
        Assert.Equal("4 devices: sensor-001, sensor-002 and 2 more", (string?)body[2]!["text"]);
        Assert.Contains(("Group", "factory-a"), Facts(Card(_receiver.Requests[0].BodyText)));
        Assert.Contains(("First offline", "2026-01-01 00:10:00 UTC"), Facts(Card(_receiver.Requests[0].BodyText)));
    }

    [Fact]
    public async Task NotifyAsync_HugeJapaneseMessage_IsCutSoTheWholeBodyStaysUnderTheTeamsLimit()
    {
        await using var provider = Build();
        var message = string.Concat(Enumerable.Repeat("温室センサーがオフラインです。", 3000));

        await provider.Notifier().NotifyAsync(Notifications.Offline() with { Message = message, Subject = new string('件', 800) });

        var request = Assert.Single(_receiver.Requests);
        Assert.InRange(request.Body.Length, 10_000, TeamsCard.MaxPayloadBytes);
        var body = Card(request.BodyText)["body"]!.AsArray();
        var title = (string)body[0]!["text"]!;
        var text = (string)body[1]!["text"]!;
        Assert.Equal(TeamsCard.MaxTitleLength, title.Length);
        Assert.StartsWith("温室センサーがオフラインです。", text, StringComparison.Ordinal);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.Contains(Encoding.UTF8.GetBytes("温室"), Enumerable.Range(0, request.Body.Length - 6).Select(i => request.Body[i..(i + 6)]));
        Assert.Contains(_logs.Entries, entry => entry.EventId == 4002);
    }

    [Fact]
    public async Task NotifyAsync_WorkflowRejectsTheBody_ThrowsWithoutTheSignatureOfTheUrl()
    {
        await using var provider = Build();
        _receiver.Enqueue(new ScriptedResponse(400, """{"error":{"code":"TriggerInputSchemaMismatch","message":"The input body for trigger 'manual' of type 'Request' did not match its schema; sig=""" + Sig + "\"}}"));

        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(async () => await provider.Notifier().NotifyAsync(Notifications.Offline()));

        Assert.Single(_receiver.Requests);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.StartsWith("Teams notifier 'teams' was refused: HTTP 400 (BadRequest): {\"error\":{\"code\":\"TriggerInputSchemaMismatch\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("sig=***", error.ResponseSnippet, StringComparison.Ordinal);
        foreach (var text in new[] { error.ToString(), _logs.AllText() })
        {
            Assert.DoesNotContain(Sig, text, StringComparison.Ordinal);
            Assert.DoesNotContain("0a1b2c3d4e5f40718293a4b5c6d7e8f9", text, StringComparison.Ordinal);
        }
    }

    private static JsonObject Card(string body)
    {
        var message = JsonNode.Parse(body)!;
        var attachment = Assert.Single(message["attachments"]!.AsArray())!;
        return attachment["content"]!.AsObject();
    }

    private static List<(string Title, string Value)> Facts(JsonObject card)
        => [.. card["body"]!.AsArray().Single(element => (string?)element!["type"] == "FactSet")!["facts"]!.AsArray()
            .Select(fact => ((string)fact!["title"]!, (string)fact["value"]!))];
}
