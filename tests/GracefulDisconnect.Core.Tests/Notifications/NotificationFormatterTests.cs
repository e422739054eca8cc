using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Notifications;

public class NotificationFormatterTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    private static readonly DisconnectTrigger Trigger = new("t1", Instants.Noon);

    private static NotificationFormatter Formatter(Action<GracefulDisconnectOptions>? configure = null) => new(TestOptions.Create(configure));

    [Fact]
    public void Create_DefaultOptions_RendersUtcInvariantText()
    {
        var notification = Formatter().Create(Trigger, Instants.Noon.AddMinutes(5).AddSeconds(30), Grace);

        Assert.Equal("t1 is offline", notification.Subject);
        Assert.Equal(
            "t1 has been offline since 2026-01-01 12:00:00 +00:00 (for 5m 30s; grace period 5m).",
            notification.Message);
    }

    [Fact]
    public void Create_Always_FillsTheStructuredFields()
    {
        var decidedAt = Instants.Noon.AddMinutes(6);

        var notification = Formatter().Create(new DisconnectTrigger("t1", Instants.Noon.Ms(451), 3), decidedAt, Grace);

        Assert.Equal("t1", notification.ThingName);
        Assert.Equal(Instants.Noon.Ms(451), notification.OfflineSince);
        Assert.Equal(decidedAt, notification.DecidedAt);
        Assert.Equal(Grace, notification.GracePeriod);
        Assert.Equal("t1@1767268800", notification.OutageId);
    }

    [Fact]
    public void Create_EveryPlaceholder_IsReplaced()
    {
        var formatter = Formatter(o =>
        {
            o.Templates.Subject = "{outageId}";
            o.Templates.Message = "{thing}|{offlineSince}|{offlineFor}|{grace}|{decidedAt}|{outageId}";
        });

        var notification = formatter.Create(Trigger, Instants.Noon.AddHours(2).AddMinutes(5), Grace);

        Assert.Equal("t1@1767268800", notification.Subject);
        Assert.Equal("t1|2026-01-01 12:00:00 +00:00|2h 5m|5m|2026-01-01 14:05:00 +00:00|t1@1767268800", notification.Message);
    }

    [Fact]
    public void Create_EscapedBraces_AreLiteral()
    {
        var formatter = Formatter(o => o.Templates.Message = "{{thing}} = {thing} {{{grace}}}");

        Assert.Equal("{thing} = t1 {5m}", formatter.Create(Trigger, Instants.Noon.AddMinutes(5), Grace).Message);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(60, "1m")]
    [InlineData(3600, "1h")]
    [InlineData(3661, "1h 1m 1s")]
    [InlineData(90061, "1d 1h 1m 1s")]
    [InlineData(172800, "2d")]
    [InlineData(-30, "0s")]
    public void Create_OfflineFor_IsShortAndExactToTheSecond(int seconds, string expected)
    {
        var formatter = Formatter(o => o.Templates.Message = "{offlineFor}");

        Assert.Equal(expected, formatter.Create(Trigger, Instants.Noon.AddSeconds(seconds).AddMilliseconds(400), Grace).Message);
    }

    [Fact]
    public void Create_SubSecondGrace_ShowsZeroSeconds()
    {
        var formatter = Formatter(o => o.Templates.Message = "{grace}");

        Assert.Equal("0s", formatter.Create(Trigger, Instants.Noon, TimeSpan.FromMilliseconds(250)).Message);
    }

    [Fact]
    public void Create_TokyoTimeZone_ShowsLocalTime()
    {
        var formatter = Formatter(o => o.TimeZone = "Asia/Tokyo");

        var notification = formatter.Create(Trigger, Instants.Noon.AddMinutes(5), Grace);

        Assert.Contains("since 2026-01-01 21:00:00 +09:00", notification.Message, StringComparison.Ordinal);
        Assert.Equal(Instants.Noon, notification.OfflineSince);
    }

    [Fact]
    public void Create_TokyoTimeZoneAndJapaneseCulture_UsesJapaneseNames()
    {
        var formatter = Formatter(o =>
        {
            o.TimeZone = "Asia/Tokyo";
            o.Culture = "ja-JP";
            o.TimestampFormat = "yyyy/MM/dd (ddd) tt h:mm";
            o.Templates.Message = "{thing}: {offlineSince} から {decidedAt} まで";
        });

        var notification = formatter.Create(Trigger, Instants.Noon.AddHours(-11), Grace);

        // 12:00Z is 21:00 (PM) on Thursday 1 January in Tokyo; 01:00Z is 10:00 (AM).
        Assert.Equal("t1: 2026/01/01 (木) 午後 9:00 から 2026/01/01 (木) 午前 10:00 まで", notification.Message);
    }

    [Fact]
    public void Create_InvariantCulture_UsesEnglishNames()
    {
        var formatter = Formatter(o =>
        {
            o.TimestampFormat = "ddd d MMM yyyy HH:mm";
            o.Templates.Message = "{offlineSince}";
        });

        Assert.Equal("Thu 1 Jan 2026 12:00", formatter.Create(Trigger, Instants.Noon, Grace).Message);
    }

    [Fact]
    public void Constructor_UnknownPlaceholder_Throws()
    {
        var exception = Assert.Throws<FormatException>(() => Formatter(o => o.Templates.Subject = "{host}"));

        Assert.Contains("{host}", exception.Message, StringComparison.Ordinal);
    }
}
