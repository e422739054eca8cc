using System.Text.Json;
using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.Replay;

/// <summary>The opt-in alert flags of replay, end to end through <c>CliApp</c>: exact lines, usage errors, the table.</summary>
public sealed class ReplayAlertsTests
{
    private static JsonElement[] Parse(CliResult result) => [.. result.OutLines.Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    private static string Verdict(JsonElement line) => line.GetProperty("verdict").GetString()!;

    private static string[] Verdicts(CliResult result) => [.. Parse(result).Select(Verdict)];

    private static string Line(string thing, string verdict, string offlineSince, string decidedAt, string extra)
        => "{\"thing\":\"" + thing + "\",\"verdict\":\"" + verdict + "\",\"offlineSince\":\"" + Out(offlineSince) + "\",\"decidedAt\":\"" + Out(decidedAt) + "\",\"grace\":\"00:05:00\"" + extra + "}";

    private static async Task<CliResult> ReplayOkAsync(IEnumerable<string> lines, params string[] options)
    {
        var result = await InProcessCli.ReplayAsync(lines, options);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.StdErr);
        return result;
    }

    // ---- --recovery ----

    [Fact]
    public async Task Replay_Recovery_PrintsRecoveredLineWithOfflineForAndRecoveredAt()
    {
        var result = await ReplayOkAsync([Down("t1", "00:00:00"), Up("t1", "00:12:30")], "--grace", "5m", "--recovery");

        Assert.Equal(
            [
                Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00"),
                Line("t1", "recovered", "00:00:00", "00:12:30", ",\"offlineFor\":\"00:12:30\",\"recoveredAt\":\"" + Out("00:12:30") + "\""),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_RecoveryFromLifecycleMilliseconds_OfflineForIsExact()
    {
        var result = await ReplayOkAsync(
            [Lifecycle("t1", false, "00:00:00.451", versionNumber: 3), Lifecycle("t1", true, "00:12:00.000", versionNumber: 4, receivedAt: "00:12:02")],
            "--grace", "5m", "--recovery");

        var recovered = Parse(result)[1];
        Assert.Equal("recovered", Verdict(recovered));
        Assert.Equal("00:11:59.5490000", recovered.GetProperty("offlineFor").GetString());
        Assert.Equal(Out("00:12:00"), recovered.GetProperty("recoveredAt").GetString());
        Assert.Equal(Out("00:12:02"), recovered.GetProperty("decidedAt").GetString());
        Assert.Equal(Out("00:00:00.451"), recovered.GetProperty("offlineSince").GetString());
    }

    [Fact]
    public async Task Replay_RecoveryButOutageShorterThanGraceOrConnectRepeated_NoRecoveredLineOrOnlyOne()
    {
        var result = await ReplayOkAsync(
            [Down("short", "00:00:00"), Up("short", "00:01:00"), Down("long", "00:00:00"), Up("long", "00:20:00"), Up("long", "00:20:00", receivedAt: "00:21:00")],
            "--grace", "5m", "--recovery");

        Assert.Equal(["skip-reconnected", "notify", "recovered"], Verdicts(result));
    }

    [Fact]
    public async Task Replay_WithoutRecoveryFlag_NoRecoveredLine()
    {
        var result = await ReplayOkAsync([Down("t1", "00:00:00"), Up("t1", "00:12:30")], "--grace", "5m");

        Assert.Equal([Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00")], result.OutLines);
    }

    // ---- --stable-for ----

    // Down for longer than the grace three times, back for 40 seconds in between, then for good.
    private static readonly string[] FlappingOutages =
        [Down("t1", "00:00:00"), Up("t1", "00:10:00"), Down("t1", "00:10:40"), Up("t1", "00:17:00"), Down("t1", "00:17:40"), Up("t1", "00:24:00")];

    [Fact]
    public async Task Replay_StableFor_FlappingBackAndForth_OneNotifyAndOneRecoveredFromTheLastReturn()
    {
        var result = await ReplayOkAsync(FlappingOutages, "--grace", "5m", "--recovery", "--stable-for", "10m");

        Assert.Equal(
            [
                Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00"),
                Decision("t1", "skip-duplicate", "00:10:40", "00:15:40", "00:05:00"),
                Decision("t1", "skip-duplicate", "00:17:40", "00:22:40", "00:05:00"),
                Line("t1", "recovered", "00:00:00", "00:34:00", ",\"offlineFor\":\"00:24:00\",\"recoveredAt\":\"" + Out("00:24:00") + "\""),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_StableForWithoutRecovery_StillOneNotify()
    {
        var result = await ReplayOkAsync(FlappingOutages, "--grace", "5m", "--stable-for", "10m");

        Assert.Equal(["notify", "skip-duplicate", "skip-duplicate"], Verdicts(result));
    }

    [Fact]
    public async Task Replay_WithoutStableFor_TheSameFlappingIsThreeOutages()
    {
        var result = await ReplayOkAsync(FlappingOutages, "--grace", "5m", "--recovery");

        Assert.Equal(["notify", "recovered", "notify", "recovered", "notify", "recovered"], Verdicts(result));
    }

    // ---- --remind-every / --remind-max ----

    [Fact]
    public async Task Replay_RemindEveryWithMax_PrintsNumberedRemindersAtNotifyPlusInterval()
    {
        var result = await ReplayOkAsync([Down("t1", "00:00:00")], "--grace", "5m", "--remind-every", "10m", "--remind-max", "2");

        Assert.Equal(
            [
                Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00"),
                Line("t1", "reminder", "00:00:00", "00:15:00", ",\"offlineFor\":\"00:15:00\",\"reminder\":1"),
                Line("t1", "reminder", "00:00:00", "00:25:00", ",\"offlineFor\":\"00:25:00\",\"reminder\":2"),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_RemindEveryWithoutMax_StopsAtTheEndOfTheRecording()
    {
        var result = await ReplayOkAsync([Down("t1", "00:00:00"), Up("other", "00:35:00")], "--grace", "5m", "--remind-every", "10m");

        var reminders = Parse(result).Where(line => Verdict(line) == "reminder").ToList();
        Assert.Equal([Out("00:15:00"), Out("00:25:00"), Out("00:35:00")], reminders.Select(r => r.GetProperty("decidedAt").GetString()));
        Assert.Equal([1, 2, 3], reminders.Select(r => r.GetProperty("reminder").GetInt32()));
    }

    [Fact]
    public async Task Replay_RemindersAndRecovery_RemindersStopAtTheReconnectAndTheRecoveryFollows()
    {
        var result = await ReplayOkAsync([Down("t1", "00:00:00"), Up("t1", "00:27:00")], "--grace", "5m", "--remind-every", "10m", "--remind-max", "5", "--recovery");

        Assert.Equal(["notify", "reminder", "reminder", "recovered"], Verdicts(result));
        Assert.Equal("00:27:00", Parse(result)[3].GetProperty("offlineFor").GetString());
    }

    // ---- --flap ----

    private static IEnumerable<string> FlappingHour(string thing, int startMinute)
        => Enumerable.Range(0, 12).SelectMany(i => new[]
        {
            Down(thing, TimeSpan.FromMinutes(startMinute + (i * 5)).ToString()),
            Up(thing, TimeSpan.FromMinutes(startMinute + (i * 5) + 2).ToString()),
        });

    [Fact]
    public async Task Replay_FlapForAnHour_PrintsOneFlappingLineAtTheSixthDisconnect()
    {
        var result = await ReplayOkAsync(FlappingHour("t1", 0), "--grace", "5m", "--flap", "6/1h");

        var flapping = Assert.Single(result.OutLines, line => line.Contains("\"flapping\"", StringComparison.Ordinal));
        Assert.Equal(Line("t1", "flapping", "00:25:00", "00:25:00", ",\"disconnects\":6"), flapping);
        Assert.DoesNotContain("notify", Verdicts(result));
    }

    [Fact]
    public async Task Replay_FlapAgainAfterAQuietWindow_SecondFlappingLine()
    {
        var result = await ReplayOkAsync(FlappingHour("t1", 0).Concat(FlappingHour("t1", 115)), "--grace", "5m", "--flap", "6/1h");

        var flappings = Parse(result).Where(line => Verdict(line) == "flapping").Select(line => line.GetProperty("offlineSince").GetString());
        Assert.Equal([Out("00:25:00"), Out("02:20:00")], flappings);
    }

    [Fact]
    public async Task Replay_FlapWithDuplicatesInTwoFormats_StillOneFlapping()
    {
        // Each disconnect as a generic line and again as a lifecycle event with the same millisecond time.
        var lines = Enumerable.Range(0, 6).SelectMany(i => new[]
        {
            Down("t1", $"00:{i * 5:D2}:00.250"),
            Lifecycle("t1", false, $"00:{i * 5:D2}:00.250"),
            Up("t1", $"00:{(i * 5) + 1:D2}:00"),
        });

        var result = await ReplayOkAsync(lines, "--grace", "5m", "--flap", "3/1h");

        var flapping = Assert.Single(Parse(result), line => Verdict(line) == "flapping");
        Assert.Equal(Out("00:10:00.250"), flapping.GetProperty("offlineSince").GetString());
        Assert.Equal(3, flapping.GetProperty("disconnects").GetInt32());
    }

    // ---- --digest / --digest-by ----

    [Fact]
    public async Task Replay_ThousandDevicesDropWithinAMinute_DigestLinesListEveryDeviceAndNoNotifyLine()
    {
        var things = Enumerable.Range(0, 1000).Select(i => $"dev-{i:D4}").ToList();
        var lines = things.Select((thing, i) => Down(thing, TimeSpan.FromMilliseconds(i * 60).ToString()));

        var result = await ReplayOkAsync(lines, "--grace", "5m", "--digest", "30s/10");

        var parsed = Parse(result);
        Assert.Equal(["digest", "digest"], parsed.Select(Verdict));
        Assert.Equal(
            "{\"group\":\"*\",\"verdict\":\"digest\",\"offlineSince\":\"" + Out("00:00:00") + "\",\"decidedAt\":\"" + Out("00:05:30") + "\",\"grace\":\"00:05:00\",\"lastOfflineSince\":\"" + Out("00:00:29.940") + "\",\"count\":500,\"things\":["
            + string.Join(",", things.Take(500).Select(t => "\"" + t + "\"")) + "]}",
            result.OutLines[0]);
        Assert.Equal([500, 500], parsed.Select(line => line.GetProperty("count").GetInt32()));
        Assert.Equal(things, parsed.SelectMany(line => line.GetProperty("things").EnumerateArray().Select(t => t.GetString()!)));
        Assert.All(parsed, line => Assert.False(line.TryGetProperty("thing", out _)));
    }

    [Fact]
    public async Task Replay_DigestBelowTheMinimum_NotifyLinesPrintedIndividually()
    {
        var result = await ReplayOkAsync([Down("a", "00:00:00"), Down("b", "00:00:10")], "--grace", "5m", "--digest", "30s/3");

        Assert.Equal(
            [Decision("a", "notify", "00:00:00", "00:05:00", "00:05:00"), Decision("b", "notify", "00:00:10", "00:05:10", "00:05:00")],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_DigestByPrefix_OneDigestPerSiteAndSmallSitesIndividually()
    {
        var lines = Enumerable.Range(0, 4).Select(i => Down($"osaka-gw{i}", "00:00:00"))
            .Concat(Enumerable.Range(0, 3).Select(i => Down($"kyoto-gw{i}", "00:00:01")))
            .Append(Down("nara-gw0", "00:00:02"));

        var result = await ReplayOkAsync(lines, "--grace", "5m", "--digest", "30s/3", "--digest-by", "prefix");

        var parsed = Parse(result);
        var digests = parsed.Where(line => Verdict(line) == "digest").ToList();
        Assert.Equal(["osaka", "kyoto"], digests.Select(d => d.GetProperty("group").GetString()));
        Assert.Equal([4, 3], digests.Select(d => d.GetProperty("count").GetInt32()));
        var notify = Assert.Single(parsed, line => Verdict(line) == "notify");
        Assert.Equal("nara-gw0", notify.GetProperty("thing").GetString());
    }

    [Fact]
    public async Task Replay_DigestByPrefixWithSeparator_SplitsOnThatCharacter()
    {
        var lines = new[] { Down("osaka_gw-1", "00:00:00"), Down("osaka_gw-2", "00:00:00"), Down("kyoto_gw-1", "00:00:00") };

        var result = await ReplayOkAsync(lines, "--grace", "5m", "--digest", "30s/2", "--digest-by", "prefix:_");

        var digest = Assert.Single(Parse(result), line => Verdict(line) == "digest");
        Assert.Equal("osaka", digest.GetProperty("group").GetString());

        // Both batches close at 00:05:30, in the order they opened.
        Assert.Equal(["digest", "notify"], Verdicts(result));
    }

    [Fact]
    public async Task Replay_DigestByAll_IsTheDefaultGrouping()
    {
        var lines = new[] { Down("osaka-1", "00:00:00"), Down("kyoto-1", "00:00:00") };

        var all = await ReplayOkAsync(lines, "--grace", "5m", "--digest", "30s/2", "--digest-by", "all");
        var byDefault = await ReplayOkAsync(lines, "--grace", "5m", "--digest", "30s/2");

        Assert.Equal(all.StdOut, byDefault.StdOut);
        Assert.Equal("*", Assert.Single(Parse(all)).GetProperty("group").GetString());
    }

    [Fact]
    public async Task Replay_DigestWithSkips_NeverPrintsAFoldedNotify()
    {
        var lines = new[]
        {
            Down("a", "00:00:00"), Down("b", "00:00:00"), Down("c", "00:00:00"), Up("c", "00:01:00"),
            Down("d", "00:00:00"), Down("d", "00:00:00"),
        };

        var result = await ReplayOkAsync(lines, "--grace", "5m", "--digest", "30s/3");

        Assert.Equal(["skip-reconnected", "skip-duplicate", "digest"], Verdicts(result));
        Assert.Equal(["a", "b", "d"], Parse(result)[2].GetProperty("things").EnumerateArray().Select(t => t.GetString()));
    }

    // ---- usage errors ----

    [Theory]
    [InlineData(new[] { "--remind-max", "3" }, "--remind-max needs --remind-every.")]
    [InlineData(new[] { "--remind-every", "10m", "--remind-max", "0" }, "--remind-max: must be between 1 and 1000.")]
    [InlineData(new[] { "--remind-every", "10m", "--remind-max", "-1" }, "--remind-max: must be between 1 and 1000.")]
    [InlineData(new[] { "--remind-every", "500ms" }, "--remind-every: must be between 1m and 30d, not '500ms'.")]
    [InlineData(new[] { "--remind-every", "30s" }, "--remind-every: must be between 1m and 30d, not '30s'.")]
    [InlineData(new[] { "--remind-every", "31d" }, "--remind-every: must be between 1m and 30d, not '31d'.")]
    [InlineData(new[] { "--remind-every", "10m", "--remind-max", "1001" }, "--remind-max: must be between 1 and 1000.")]
    [InlineData(new[] { "--remind-every", "often" }, "--remind-every: 'often' is not a duration")]
    [InlineData(new[] { "--stable-for", "31d" }, "--stable-for: must be between 1s and 30d, not '31d'.")]
    [InlineData(new[] { "--stable-for", "soon" }, "--stable-for: 'soon' is not a duration")]
    [InlineData(new[] { "--flap", "1/1h" }, "--flap: a flap threshold counts 2 to 10000 disconnects, not 1.")]
    [InlineData(new[] { "--flap", "abc" }, "--flap: 'abc' is not a flap threshold; use <disconnects>/<window>, for example 6/1h.")]
    [InlineData(new[] { "--flap", "6/31d" }, "--flap: a flap window is 1s to 30d, not 31.00:00:00.")]
    [InlineData(new[] { "--digest", "30s" }, "--digest: '30s' is not a digest threshold; use <window>/<min things>, for example 30s/10.")]
    [InlineData(new[] { "--digest", "2h/10" }, "--digest: a digest window is 1s to 1h (every notification waits that long), not 02:00:00.")]
    [InlineData(new[] { "--digest", "30s/1" }, "--digest: a digest needs 2 to 1000000 things, not 1.")]
    [InlineData(new[] { "--digest", "30s/10", "--digest-by", "nonsense" }, "--digest-by: 'nonsense' is not a grouping; use all, prefix or prefix:<one character>.")]
    [InlineData(new[] { "--digest", "30s/10", "--digest-by", "prefix:" }, "--digest-by: 'prefix:' is not a grouping")]
    [InlineData(new[] { "--digest", "30s/10", "--digest-by", "prefix:--" }, "--digest-by: 'prefix:--' is not a grouping")]
    [InlineData(new[] { "--digest-by", "prefix" }, "--digest-by needs --digest.")]
    public async Task Replay_InvalidAlertFlags_Exits2WithAClearMessage(string[] flags, string expected)
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00")], ["--grace", "5m", .. flags]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.EndsWith("Run 'gracefuldisconnect replay --help' for usage.\n", result.StdErr, StringComparison.Ordinal);
    }

    // ---- table ----

    // a-1: notified, recovers at 00:12; a-2: notified, never back (one reminder); b-1: flaps three times in five
    // minutes, never down for the grace period; c-1: notified alone in its site (released individually, reminded).
    private static readonly string[] AlertFleet =
    [
        Down("a-1", "00:00:00"), Down("a-2", "00:00:00"),
        Down("b-1", "00:00:00"), Up("b-1", "00:01:00"), Down("b-1", "00:02:00"), Up("b-1", "00:03:00"), Down("b-1", "00:04:00"), Up("b-1", "00:04:30"),
        Down("c-1", "00:01:00"),
        Up("a-1", "00:12:00"),
    ];

    private static readonly string[] AllAlertFlags =
        ["--recovery", "--remind-every", "10m", "--remind-max", "1", "--flap", "3/1h", "--digest", "30s/2", "--digest-by", "prefix"];

    [Fact]
    public async Task Replay_TableWithEveryAlert_AddsAColumnPerAlertAndTheMessages()
    {
        var result = await ReplayOkAsync(AlertFleet, ["--grace", "5m", "--output", "table", .. AllAlertFlags]);

        Assert.Equal(
            ["grace", "outages", "notify", "skip-reconnected", "skip-superseded", "skip-unknown", "skip-duplicate", "median delay", "p95 delay", "recovered", "reminder", "flapping", "digested", "digest", "messages"],
            TableParser.Header(result.StdOut));
        var row = Assert.Single(TableParser.Rows(result.StdOut));
        Assert.Equal("6", row["outages"]);
        Assert.Equal("3", row["notify"]);
        Assert.Equal("3", row["skip-reconnected"]);
        Assert.Equal("1", row["recovered"]);
        Assert.Equal("2", row["reminder"]);
        Assert.Equal("1", row["flapping"]);
        Assert.Equal("2", row["digested"]);
        Assert.Equal("1", row["digest"]);

        // c-1's notify on its own, a recovery, two reminders, a flapping and a digest.
        Assert.Equal("6", row["messages"]);
        Assert.EndsWith(
            "\nmessages: everything sent - notify decisions on their own plus every alert; digested: notify decisions folded into a digest.\n",
            result.StdOut,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_TableAndJsonl_CountTheSameMessages()
    {
        var table = await ReplayOkAsync(AlertFleet, ["--grace", "5m", "--output", "table", .. AllAlertFlags]);
        var jsonl = await ReplayOkAsync(AlertFleet, ["--grace", "5m", .. AllAlertFlags]);

        var sent = Verdicts(jsonl).Where(verdict => !verdict.StartsWith("skip-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["flapping", "digest", "notify", "recovered", "reminder", "reminder"], sent);
        Assert.Equal(sent.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), TableParser.Rows(table.StdOut)[0]["messages"]);
    }

    [Fact]
    public async Task Replay_TableWithOneAlert_OnlyItsColumnAndMessagesPerGrace()
    {
        var result = await ReplayOkAsync(
            [Down("t1", "00:00:00"), Up("t1", "00:12:00"), Down("t2", "00:00:00"), Up("t2", "00:03:00")],
            "--grace", "5m", "--grace", "2m", "--output", "table", "--recovery");

        Assert.Equal(["recovered", "messages"], TableParser.Header(result.StdOut)[^2..]);
        var rows = TableParser.Rows(result.StdOut);

        // 5m: t1 notified and recovered; 2m: both notified and both recovered.
        Assert.Equal(["1", "2"], rows.Select(row => row["recovered"]));
        Assert.Equal(["2", "4"], rows.Select(row => row["messages"]));
        Assert.EndsWith("\nmessages: everything sent - notify decisions on their own plus every alert.\n", result.StdOut, StringComparison.Ordinal);
    }
}
