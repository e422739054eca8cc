using System.Text;
using System.Text.Json.Nodes;
using GracefulDisconnect.Webhooks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GracefulDisconnect.Webhooks.Tests.Slack;

public sealed class SlackNotifierTests : IAsyncLifetime
{
    private const string Secret = "xq7Rk2LmP9vTzW4nYb8cHd3F";
    private LoopbackReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private string Url => _receiver.Url($"services/T0ABCDEF1/B0ABCDEF2/{Secret}");

    private ServiceProvider Build(Action<SlackNotifierOptions>? configure = null)
        => TestHost.Build(builder => builder.AddSlackNotifier(options =>
        {
            options.Url = Url;
            TestHost.FastRetries(options);
            configure?.Invoke(options);
        }));

    [Fact]
    public async Task NotifyAsync_Offline_PostsBlockKitWithHeaderMessageAndFacts()
    {
        await using var provider = Build();

        await provider.Notifier().NotifyAsync(Notifications.Offline());

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/services/T0ABCDEF1/B0ABCDEF2/{Secret}", request.RawTarget);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.StartsWith("GracefulDisconnect.Webhooks/", request.Header("User-Agent"), StringComparison.Ordinal);
        Json.Equal(
            """
            {
              "text": "greenhouse-pi-3 is offline",
              "blocks": [
                { "type": "header", "text": { "type": "plain_text", "text": "greenhouse-pi-3 is offline", "emoji": true } },
                { "type": "section", "text": { "type": "mrkdwn", "text": "greenhouse-pi-3 has been offline since 2026-01-01 00:10:00 +00:00." } },
                { "type": "context", "elements": [
                  { "type": "mrkdwn", "text": "*Thing:* `greenhouse-pi-3`" },
                  { "type": "mrkdwn", "text": "*Kind:* notify" },
                  { "type": "mrkdwn", "text": "*Offline since:* <!date^1767226200^{date_short_pretty} {time_secs}|2026-01-01 00:10:00 UTC>" },
                  { "type": "mrkdwn", "text": "*Outage:* `greenhouse-pi-3@1767226200`" }
                ] }
              ]
            }
            """,
            request.BodyText);
    }

    [Fact]
    public async Task NotifyAsync_Recovered_ShowsHowLongItWasOffline()
    {
        await using var provider = Build();

        await provider.Notifier().NotifyAsync(Notifications.Recovered());

        var facts = ContextTexts(Body());
        Assert.Equal(["*Thing:* `greenhouse-pi-3`", "*Kind:* recovered", facts[2], "*Was offline for:* 2h 5m", "*Outage:* `greenhouse-pi-3@1767226200`"], facts);
        Assert.Equal("greenhouse-pi-3 is back online", (string?)Body()["text"]);
    }

    [Fact]
    public async Task NotifyAsync_Reminder_ShowsItsNumberAndTheOutageSoFar()
    {
        await using var provider = Build();

        await provider.Notifier().NotifyAsync(Notifications.Reminder());

        var facts = ContextTexts(Body());
        Assert.Contains("*Kind:* reminder", facts);
        Assert.Contains("*Offline for:* 1d 3h", facts);
        Assert.Contains("*Reminder:* #2", facts);
    }

    [Fact]
    public async Task NotifyAsync_Flapping_ShowsTheDisconnects()
    {
        await using var provider = Build();

        await provider.Notifier().NotifyAsync(Notifications.Flapping());

        var facts = ContextTexts(Body());
        Assert.Contains("*Kind:* flapping", facts);
        Assert.Contains("*Disconnects:* 7", facts);
        Assert.DoesNotContain(facts, fact => fact.StartsWith("*Reminder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotifyAsync_Digest_ListsTheFirstDevicesAndHowManyMore()
    {
        await using var provider = Build(options => options.MaxListedThings = 3);

        await provider.Notifier().NotifyAsync(Notifications.Digest(5));

        var blocks = Body()["blocks"]!.AsArray();
        Assert.Equal(["header", "section", "section", "context"], blocks.Select(block => (string?)block!["type"]));
        Assert.Equal("*5 devices:*\n• `sensor-001`\n• `sensor-002`\n• `sensor-003`\n…and 2 more", (string?)blocks[2]!["text"]!["text"]);
        Assert.Contains("*Group:* `*`", ContextTexts(Body()));
        Assert.Contains("*Kind:* digest", ContextTexts(Body()));
    }

    [Fact]
    public async Task NotifyAsync_HugeDigest_StaysWithinTheSectionLimit()
    {
        await using var provider = Build(options => options.MaxListedThings = 200);
        var digest = Notifications.Digest(1000) with { Things = [.. Enumerable.Range(0, 1000).Select(i => $"{new string('d', 100)}-{i}")] };

        await provider.Notifier().NotifyAsync(digest);

        var list = (string)Body()["blocks"]![2]!["text"]!["text"]!;
        Assert.InRange(list.Length, 2500, SlackMessage.MaxSectionLength);
        Assert.Matches(@"\n…and \d+ more$", list);
    }

    [Fact]
    public async Task NotifyAsync_AmpersandAndAngleBrackets_AreEscapedInMrkdwnButNotInThePlainTextHeader()
    {
        await using var provider = Build();
        var notification = Notifications.Offline("a<b>&c") with { Subject = "a<b>&c is offline", Message = "<!channel> R&D says 1 < 2 > 0 &amp;" };

        await provider.Notifier().NotifyAsync(notification);

        var body = Body();
        Assert.Equal("a&lt;b&gt;&amp;c is offline", (string?)body["text"]);
        Assert.Equal("a<b>&c is offline", (string?)body["blocks"]![0]!["text"]!["text"]);
        Assert.Equal("&lt;!channel&gt; R&amp;D says 1 &lt; 2 &gt; 0 &amp;amp;", (string?)body["blocks"]![1]!["text"]!["text"]);
        Assert.Contains("*Thing:* `a&lt;b&gt;&amp;c`", ContextTexts(body));
    }

    [Fact]
    public async Task NotifyAsync_LongSubjectAndMessage_AreCutToSlacksLimitsWithAnEllipsis()
    {
        await using var provider = Build();
        var notification = Notifications.Offline() with { Subject = new string('s', 400), Message = string.Concat(Enumerable.Repeat("a&b ", 2000)) };

        await provider.Notifier().NotifyAsync(notification);

        var blocks = Body()["blocks"]!.AsArray();
        var header = (string)blocks[0]!["text"]!["text"]!;
        var message = (string)blocks[1]!["text"]!["text"]!;
        Assert.Equal(SlackMessage.MaxHeaderLength, header.Length);
        Assert.EndsWith("…", header, StringComparison.Ordinal);
        Assert.InRange(message.Length, SlackMessage.MaxSectionLength - 5, SlackMessage.MaxSectionLength);
        Assert.EndsWith("…", message, StringComparison.Ordinal);
        Assert.Matches("^(a&amp;b )*(a(&amp;(b)?)?)?…$", message); // never half an entity
    }

    [Fact]
    public async Task NotifyAsync_JapaneseText_ArrivesAsUtf8Unchanged()
    {
        await using var provider = Build();
        var notification = Notifications.Offline("温室センサー3") with { Subject = "温室センサー3がオフラインです", Message = "温室センサー3は2026年1月1日 9:10 からオフラインです。🌱" };

        await provider.Notifier().NotifyAsync(notification);

        var request = Assert.Single(_receiver.Requests);
        Assert.Contains(Encoding.UTF8.GetBytes("温室センサー3がオフラインです"), Chunks(request.Body, Encoding.UTF8.GetByteCount("温室センサー3がオフラインです")));
        var body = Body();
        Assert.Equal("温室センサー3がオフラインです", (string?)body["blocks"]![0]!["text"]!["text"]);
        Assert.Equal("温室センサー3は2026年1月1日 9:10 からオフラインです。🌱", (string?)body["blocks"]![1]!["text"]!["text"]);
    }

    [Fact]
    public async Task NotifyAsync_EmptySubjectAndMessage_StillSendsNonEmptyTexts()
    {
        await using var provider = Build();

        await provider.Notifier().NotifyAsync(Notifications.Offline() with { Subject = "", Message = " " });

        var blocks = Body()["blocks"]!.AsArray();
        Assert.Equal("greenhouse-pi-3: notify", (string?)blocks[0]!["text"]!["text"]);
        Assert.Equal("greenhouse-pi-3: notify", (string?)blocks[1]!["text"]!["text"]);
    }

    private JsonObject Body() => JsonNode.Parse(_receiver.Requests[^1].BodyText)!.AsObject();

    private static List<string> ContextTexts(JsonObject body)
        => [.. body["blocks"]!.AsArray().Single(block => (string?)block!["type"] == "context")!["elements"]!.AsArray().Select(element => (string)element!["text"]!)];

    private static IEnumerable<byte[]> Chunks(byte[] bytes, int length)
    {
        for (var i = 0; i + length <= bytes.Length; i++)
        {
            yield return bytes[i..(i + length)];
        }
    }
}
