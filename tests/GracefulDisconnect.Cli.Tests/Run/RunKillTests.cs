using System.Text.Json;
using Xunit.Abstractions;
using System.Text;
using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Run.RunWorkspace;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>
/// "Nothing lost": <c>gracefuldisconnect run</c> as a child process on a live stream (timestamps are now,
/// grace 2 s), killed with SIGKILL at several moments, left down while re-checks come due, and restarted on
/// the same store; the notification file must then hold exactly the outages longer than the grace, each once.
/// Malformed and oversized lines are mixed into the stream. What a kill leaves in the notification file (a line whose
/// delivery was never confirmed, a torn line) is taken up by the restart as it is.
/// </summary>
public sealed class RunKillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Flap = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Kill_AfterTheDisconnectsWereRead_BeforeTheRechecksAreDue_RestartNotifiesEachLongOutageOnce()
    {
        await using var run = new RunWorkspace();
        var first = run.Start();
        var t0 = Now();
        var malformed = MalformedLines();
        await first.WriteAsync(Lines(
        [
            Utf8(Down("long-1", t0)),
            Utf8(LifecycleDown("long-2", t0, 7)),
            Utf8(RuleDown("long-3", t0)),
            Utf8(Down("flap-1", t0)),
            .. malformed,
            OversizedLine("oversized", t0),
        ]));
        await UntilPastAsync(t0 + Flap);
        await first.WriteLinesAsync(Up("flap-1", t0 + Flap));

        // Every line read (the store has the states, stderr the complaints), then kill -9 before anything is due.
        var oversizedLine = 4 + malformed.Length + 1;
        await UntilAsync(
            () => run.StoredState("long-1") == false && run.StoredState("long-2") == false && run.StoredState("long-3") == false
                && run.StoredState("flap-1") == true && first.StdErr.Contains($"line {oversizedLine}:", StringComparison.Ordinal),
            () => "every line to be read\n" + first);
        first.Kill();

        for (var line = 5; line <= oversizedLine; line++)
        {
            Assert.Contains($"line {line}: ", first.StdErr, StringComparison.Ordinal);
        }

        Assert.Contains($"line {oversizedLine}: line is longer than 65536 bytes; skipped", first.StdErr, StringComparison.Ordinal);
        Assert.Null(run.StoredState("oversized"));

        // Down while every re-check comes due; the restart has no more input and exits once nothing is pending.
        await UntilPastAsync(t0 + GracePeriod + TimeSpan.FromMilliseconds(500));
        var second = run.Start("--exit-when-idle");
        second.CloseInput();
        Assert.True(await second.WaitForExitAsync() == 0, second.ToString());

        run.AssertNotifiedExactly([OutageId("long-1", t0), OutageId("long-2", t0), OutageId("long-3", t0)], second.ToString());
        Assert.Equal(0, run.Count("SELECT count(*) FROM device WHERE wake_at IS NOT NULL"));
        Assert.Equal(0, run.Count("SELECT count(*) FROM delivery WHERE delivered_at IS NULL"));
    }

    [Fact]
    public async Task Kill_RightAfterADisconnectLineWasWritten_TheSourceDeliversItAgain_NotifiedOnce()
    {
        await using var run = new RunWorkspace();
        var first = run.Start();
        var t0 = Now();
        await first.WriteLinesAsync(Down("read-before", t0));
        await UntilAsync(() => run.StoredState("read-before") == false, () => "the first disconnect to be read\n" + first);

        // Killed the instant the line is in the pipe: it may or may not have been read and recorded.
        var racingAt = Now();
        var racing = Down("racing", racingAt);
        await first.WriteLinesAsync(racing);
        first.Kill();

        // An at-least-once source (MQTT QoS 1, a queue) delivers what was not acknowledged again after the restart.
        var second = run.Start("--exit-when-idle");
        var t1 = Now();
        await second.WriteLinesAsync(racing, "oops", Down("flap-after", t1));
        await UntilPastAsync(t1 + Flap);
        await second.WriteLinesAsync(Up("flap-after", t1 + Flap));
        second.CloseInput();
        Assert.True(await second.WaitForExitAsync() == 0, second.ToString());

        Assert.Contains("line 2: not valid JSON", second.StdErr, StringComparison.Ordinal);
        run.AssertNotifiedExactly([OutageId("read-before", t0), OutageId("racing", racingAt)], second.ToString());
    }

    [Fact]
    public async Task Kill_WhileNotifying_TwiceInARow_EveryOutageEndsUpInTheFileAndAtTheWebhookExactlyOnce()
    {
        await using var run = new RunWorkspace();
        var things = Enumerable.Range(0, 40).Select(i => $"burst-{i:00}").ToArray();

        // A second channel as a user configures one: a signed webhook, here a loopback receiver that takes 100 ms to
        // answer, so notifying the fleet takes seconds and each kill lands with a message on the wire, unanswered.
        using var receiver = new HoldingWebhookReceiver(TimeSpan.FromMilliseconds(100));
        var config = Path.Combine(run.Folder, "webhook.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            GracefulDisconnect = new { Webhook = new { Url = receiver.UrlFor(Sender), Secret = "kill-test-secret-0123456789abcdef" } },
        }));
        var first = run.Start("--config", config);
        var t0 = Now();

        // A regional outage: the whole fleet drops at once, and all their re-checks come due together.
        await first.WriteLinesAsync([.. things.Select(thing => Down(thing, t0))]);
        await UntilAsync(() => receiver.AnsweredFrom(Sender) > 0, () => "the first webhook answer\n" + first);
        var onTheWire = await KillMidSendAsync(receiver, first, held: 1);
        var answeredAtFirstKill = receiver.AnsweredFrom(Sender);

        // Restarted, and killed again, mid-send, as soon as the webhook has acknowledged anything more.
        receiver.Answer(Sender);
        var second = run.Start("--config", config);
        await UntilAsync(() => receiver.AnsweredFrom(Sender) > answeredAtFirstKill, () => "more webhook answers after the restart\n" + second);
        onTheWire.Add((await KillMidSendAsync(receiver, second, held: 2))[^1]);

        output.WriteLine($"{answeredAtFirstKill} of {things.Length} acknowledged at the first kill, {receiver.AnsweredFrom(Sender)} at the second; on the wire: {string.Join(", ", onTheWire)}");
        receiver.Answer(Sender);
        var third = run.Start("--config", config, "--exit-when-idle");
        third.CloseInput();
        Assert.True(await third.WaitForExitAsync() == 0, third.ToString());

        var expected = things.Select(thing => OutageId(thing, t0)).ToList();
        run.AssertNotifiedExactly(expected, third.ToString());
        Assert.Equal(0, run.Count("SELECT count(*) FROM delivery WHERE delivered_at IS NULL"));

        // The webhook acknowledged every outage once: a message it answered is never sent again, and the two on the
        // wire at the kills (sent, never answered) were sent again after the restart and answered then, once.
        var answered = receiver.Answered.Select(request => request.Id).ToList();
        Assert.True(answered.Count == expected.Count && new HashSet<string>(expected).SetEquals(answered), $"answered: {string.Join(", ", receiver.Answered)}\n{third}");
        Assert.Equal(onTheWire, receiver.Received.Where(request => !request.Done).ToList());
        Assert.All(onTheWire, held => Assert.Single(receiver.Answered, request => request.Id == held.Id));
    }

    [Fact]
    public async Task Restart_AfterAKillBetweenWritingALineAndConfirmingIt_TheLineIsNotWrittenAgainNorGluedToATornOne()
    {
        await using var run = new RunWorkspace();
        var t0 = Now() - TimeSpan.FromSeconds(10);

        // What kills leave in the notify file: a whole line the outbox never heard was written (killed before its
        // confirmation), then a line torn in the middle of its write.
        var written = $$"""{"id":"{{OutageId("written", t0)}}","thing":"written","verdict":"notify","offlineSince":"{{Iso(t0)}}","decidedAt":"{{Iso(t0 + GracePeriod)}}","grace":"00:00:02"}""";
        const string Torn = """{"id":"torn@1","thi""";
        await File.WriteAllTextAsync(run.NotifyPath, written + "\n" + Torn);

        // The source delivers again what was not acknowledged: all three outages, long overdue.
        var restart = run.Start("--exit-when-idle");
        await restart.WriteLinesAsync(Down("written", t0), Down("torn", t0), Down("fresh", t0));
        restart.CloseInput();
        Assert.True(await restart.WaitForExitAsync() == 0, restart.ToString());

        var lines = run.NotificationLines();
        Assert.True(lines.Length == 4, string.Join("\n", lines));
        Assert.Equal([written, Torn], lines[..2]);
        Assert.Equal(
            [OutageId("fresh", t0), OutageId("torn", t0)],
            lines[2..].Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()).Order());
        Assert.Equal(0, run.Count("SELECT count(*) FROM delivery WHERE delivered_at IS NULL"));
        Assert.Equal(3, run.Count("SELECT count(*) FROM delivery"));
    }

    private const string Sender = "run";

    // Holds the sender's next webhook request unanswered and kills the process once it is on the wire (the previous
    // one had its answer: a channel sends one message at a time); returns every request held so far.
    private static async Task<List<HoldingWebhookReceiver.Request>> KillMidSendAsync(HoldingWebhookReceiver receiver, RunningCli process, int held)
    {
        receiver.StopAnswering(Sender);
        await UntilAsync(() => receiver.HeldFrom(Sender).Count == held, () => $"request {held} to be held on the wire\n{process}");
        process.Kill();
        return receiver.HeldFrom(Sender);
    }

    [Fact]
    public async Task Kill_LeftDownWhileOutagesEnd_TheirEventsArriveLateAfterTheRestart_TheLongOnesAreReportedAsTheyWere()
    {
        await using var run = new RunWorkspace();
        var first = run.Start();
        var t0 = Now();
        await first.WriteLinesAsync(Down("back-late", t0), Down("back-soon", t0), Down("still-down", t0));
        await UntilAsync(
            () => run.StoredState("back-late") == false && run.StoredState("back-soon") == false && run.StoredState("still-down") == false,
            () => "the disconnects to be read\n" + first);
        first.Kill();

        // While it is down: one thing comes back within the grace, one only after it. The source keeps those
        // events and delivers them, with their real (past) times, a moment after the tool is back (it takes the
        // source a moment to notice), when the overdue re-checks could already have run.
        var backSoon = t0 + Flap;
        var backLate = t0 + GracePeriod + TimeSpan.FromSeconds(1);
        await UntilPastAsync(backLate + TimeSpan.FromMilliseconds(200));
        var second = run.Start("--exit-when-idle");
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        await second.WriteLinesAsync(Up("back-soon", backSoon), Up("back-late", backLate));
        second.CloseInput();
        Assert.True(await second.WaitForExitAsync() == 0, second.ToString());

        // Still down: offline. Back after its grace while we were down: the outage is told as it was, offline from
        // t0 to its reconnect (truth rule 2), never "offline" for a device we know is back. Back within its grace: nothing.
        var lines = run.NotificationLines().Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.True(lines.Count == 2, string.Join("\n", run.NotificationLines()) + "\n" + second);
        var stillDown = Assert.Single(lines, line => line.GetProperty("thing").GetString() == "still-down");
        Assert.Equal("notify", stillDown.GetProperty("verdict").GetString());
        var late = Assert.Single(lines, line => line.GetProperty("thing").GetString() == "back-late");
        Assert.Equal("recovered", late.GetProperty("verdict").GetString());
        Assert.Equal(OutageId("back-late", t0) + "#recovered", late.GetProperty("id").GetString());
        Assert.Equal("00:00:03", late.GetProperty("offlineFor").GetString());
    }

    private static byte[] Utf8(string line) => Encoding.UTF8.GetBytes(line);
}
