using System.Text;
using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Tests.Alerts;

public class AlertTemplatesTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    private static readonly DisconnectTrigger Trigger = new("t1", Instants.Noon);

    private static NotificationFormatter Formatter(Action<GracefulDisconnectOptions>? configure = null)
        => new(TestOptions.Create(configure));

    [Fact]
    public void CreateRecovered_DefaultTemplates_TellWhenAndHowLong()
    {
        var notification = Formatter().CreateRecovered(Trigger, Instants.Noon.AddMinutes(125), Instants.Noon.AddMinutes(126), Grace);

        Assert.Equal(NotificationKind.Recovered, notification.Kind);
        Assert.Equal(TimeSpan.FromMinutes(125), notification.OfflineFor);
        Assert.Equal(Instants.Noon, notification.OfflineSince);
        Assert.Equal("t1@1767268800#recovered", notification.NotificationId);
        Assert.Equal("t1 is back online", notification.Subject);
        Assert.Equal("t1 is back online since 2026-01-01 14:05:00 +00:00, after 2h 5m offline (since 2026-01-01 12:00:00 +00:00).", notification.Message);
    }

    [Fact]
    public void CreateReminder_DefaultTemplates_NumberTheReminder()
    {
        var notification = Formatter().CreateReminder(Trigger, 2, Instants.Noon.AddHours(3), Grace);

        Assert.Equal(NotificationKind.Reminder, notification.Kind);
        Assert.Equal(2, notification.Reminder);
        Assert.Equal(TimeSpan.FromHours(3), notification.OfflineFor);
        Assert.Equal("t1@1767268800#reminder-2", notification.NotificationId);
        Assert.Equal("t1 is still offline", notification.Subject);
        Assert.Equal("Reminder 2: t1 has been offline since 2026-01-01 12:00:00 +00:00 (for 3h).", notification.Message);
    }

    [Fact]
    public void CreateFlapping_DefaultTemplates_CountTheDisconnects()
    {
        var notification = Formatter().CreateFlapping(Trigger, 6, TimeSpan.FromHours(1), Instants.Noon.AddSeconds(1), Grace);

        Assert.Equal(NotificationKind.Flapping, notification.Kind);
        Assert.Equal(6, notification.Disconnects);
        Assert.Equal("t1@1767268800#flapping", notification.NotificationId);
        Assert.Equal("t1 is flapping", notification.Subject);
        Assert.Equal("t1 disconnected 6 times within 1h (latest at 2026-01-01 12:00:00 +00:00).", notification.Message);
    }

    [Fact]
    public void CreateDigest_MoreThingsThanListed_ListsTheFirstAndCountsTheRest()
    {
        string[] things = ["a", "b", "c", "d", "e"];

        var notification = Formatter(o => o.Alerts.DigestListedThings = 3)
            .CreateDigest("osaka", things, Instants.Noon, Instants.Noon.AddSeconds(40), TimeSpan.FromSeconds(30), Instants.Noon.AddMinutes(6), Grace);

        Assert.Equal(NotificationKind.Digest, notification.Kind);
        Assert.Equal(things, notification.Things);
        Assert.Equal("osaka", notification.ThingName);
        Assert.Equal("osaka@1767268800#digest", notification.NotificationId);
        Assert.Equal("5 devices are offline", notification.Subject);
        Assert.Equal("5 devices went offline between 2026-01-01 12:00:00 +00:00 and 2026-01-01 12:00:40 +00:00: a, b, c and 2 more.", notification.Message);
    }

    [Fact]
    public void CreateDigest_AllListed_HasNoMoreText()
    {
        var notification = Formatter(o => o.Templates.DigestMessage = "[{things}] {count} {window} {grace} {outageId}")
            .CreateDigest("*", ["a", "b"], Instants.Noon, Instants.Noon.AddSeconds(40), TimeSpan.FromSeconds(30), Instants.Noon, Grace);

        Assert.Equal("[a, b] 2 30s 5m *@1767268800", notification.Message);
    }

    [Fact]
    public void Create_CustomTemplatesPerKind_UseTheirOwnPlaceholders()
    {
        var formatter = Formatter(o =>
        {
            o.Templates.RecoveredSubject = "{{ok}} {thing} {recoveredAt}";
            o.Templates.ReminderSubject = "#{reminder} {outageId}";
            o.Templates.FlappingSubject = "{disconnects}/{window} {disconnectedAt}";
            o.TimestampFormat = "HH:mm";
        });

        Assert.Equal("{ok} t1 12:10", formatter.CreateRecovered(Trigger, Instants.Noon.AddMinutes(10), Instants.Noon.AddMinutes(10), Grace).Subject);
        Assert.Equal("#1 t1@1767268800", formatter.CreateReminder(Trigger, 1, Instants.Noon.AddHours(1), Grace).Subject);
        Assert.Equal("4/10m 12:00", formatter.CreateFlapping(Trigger, 4, TimeSpan.FromMinutes(10), Instants.Noon, Grace).Subject);
    }

    [Theory]
    [InlineData(NotificationKind.Offline, "{recoveredAt}", false)]
    [InlineData(NotificationKind.Recovered, "{recoveredAt} {offlineFor}", true)]
    [InlineData(NotificationKind.Reminder, "{reminder}", true)]
    [InlineData(NotificationKind.Reminder, "{disconnects}", false)]
    [InlineData(NotificationKind.Flapping, "{disconnects} {window} {disconnectedAt}", true)]
    [InlineData(NotificationKind.Flapping, "{offlineSince}", false)]
    [InlineData(NotificationKind.Digest, "{group} {count} {things}", true)]
    [InlineData(NotificationKind.Digest, "{thing}", false)]
    public void IsValid_PerKind_AcceptsOnlyThatKindsPlaceholders(NotificationKind kind, string template, bool valid)
    {
        Assert.Equal(valid, NotificationTemplate.IsValid(template, kind, out var problem));
        Assert.Equal(valid, problem is null);
        if (!valid)
        {
            Assert.Contains(string.Join("}, {", NotificationTemplate.PlaceholdersOf(kind)), problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Japanese_EveryKind_RendersJapaneseTextAndTokyoTime()
    {
        var options = NotificationTexts.Japanese(new GracefulDisconnectOptions());
        var formatter = new NotificationFormatter(Options.Create(options));

        var offline = formatter.Create(Trigger, Instants.Noon.AddMinutes(5), Grace);
        var recovered = formatter.CreateRecovered(Trigger, Instants.Noon.AddMinutes(65), Instants.Noon.AddMinutes(65), Grace);
        var reminder = formatter.CreateReminder(Trigger, 1, Instants.Noon.AddHours(1), Grace);
        var flapping = formatter.CreateFlapping(Trigger, 6, TimeSpan.FromHours(1), Instants.Noon, Grace);
        var digest = formatter.CreateDigest("osaka", ["a", "b", "c"], Instants.Noon, Instants.Noon.AddSeconds(40), TimeSpan.FromSeconds(30), Instants.Noon, Grace);

        Assert.Equal("ja-JP", options.Culture);
        Assert.Equal("Asia/Tokyo", options.TimeZone);
        Assert.Equal("t1 がオフラインです", offline.Subject);
        Assert.Equal("t1 は 2026年1月1日(木) 21:00:00 からオフラインです（5m 経過、猶予 5m）。", offline.Message);
        Assert.Equal("t1 は 2026年1月1日(木) 22:05:00 に復旧しました（2026年1月1日(木) 21:00:00 から 1h 5m オフライン）。", recovered.Message);
        Assert.Equal("リマインダー 1 回目: t1 は 2026年1月1日(木) 21:00:00 からオフラインのままです（1h 経過）。", reminder.Message);
        Assert.Equal("t1 は 1h の間に 6 回切断しました（最新 2026年1月1日(木) 21:00:00）。", flapping.Message);
        Assert.Equal("3 台のデバイスがオフラインです", digest.Subject);
        Assert.Equal("2026年1月1日(木) 21:00:00 から 2026年1月1日(木) 21:00:40 の間に 3 台がオフラインになりました: a、b、c", digest.Message);

        // Survives the trip through UTF-8, as every channel sends it.
        Assert.Equal(offline.Message, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(offline.Message)));
        Assert.True(Encoding.UTF8.GetBytes(offline.Subject).AsSpan().IndexOf("オフライン"u8) > 0);
    }

    [Fact]
    public void Japanese_DigestWithMoreThanListed_SaysHowManyMoreInJapanese()
    {
        var options = NotificationTexts.Japanese(new GracefulDisconnectOptions());
        options.Alerts.DigestListedThings = 1;
        var formatter = new NotificationFormatter(Options.Create(options));

        var digest = formatter.CreateDigest("*", ["a", "b", "c"], Instants.Noon, Instants.Noon.AddSeconds(40), TimeSpan.FromSeconds(30), Instants.Noon, Grace);

        Assert.EndsWith(": a ほか 2 台", digest.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Japanese_OptionsPassValidation()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(o => NotificationTexts.Japanese(o));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<GracefulDisconnectOptions>>().Value;

        Assert.Equal("ja-JP", options.Culture);
    }

}
