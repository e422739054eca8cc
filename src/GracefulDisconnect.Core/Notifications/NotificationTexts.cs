namespace GracefulDisconnect;

/// <summary>Ready-made message texts for every kind of notification, with the time zone and culture that go with them.</summary>
public static class NotificationTexts
{
    /// <summary>
    /// Japanese texts, as the reference flow sent them: culture <c>ja-JP</c>, time zone <c>Asia/Tokyo</c>, times such as
    /// <c>2026年1月1日(木) 21:00:00</c>, and subject and message templates for every kind. Durations keep their short
    /// form (<c>2h 5m</c>). Call it before changing single templates; it overwrites all of them.
    /// </summary>
    /// <param name="options">The options to change.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static GracefulDisconnectOptions Japanese(GracefulDisconnectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Culture = "ja-JP";
        options.TimeZone = "Asia/Tokyo";
        options.TimestampFormat = "yyyy年M月d日(ddd) HH:mm:ss";
        options.Templates.Subject = "{thing} がオフラインです";
        options.Templates.Message = "{thing} は {offlineSince} からオフラインです（{offlineFor} 経過、猶予 {grace}）。";
        options.Templates.RecoveredSubject = "{thing} が復旧しました";
        options.Templates.RecoveredMessage = "{thing} は {recoveredAt} に復旧しました（{offlineSince} から {offlineFor} オフライン）。";
        options.Templates.ReminderSubject = "{thing} はまだオフラインです";
        options.Templates.ReminderMessage = "リマインダー {reminder} 回目: {thing} は {offlineSince} からオフラインのままです（{offlineFor} 経過）。";
        options.Templates.FlappingSubject = "{thing} の接続が不安定です";
        options.Templates.FlappingMessage = "{thing} は {window} の間に {disconnects} 回切断しました（最新 {disconnectedAt}）。";
        options.Templates.DigestSubject = "{count} 台のデバイスがオフラインです";
        options.Templates.DigestMessage = "{offlineSince} から {lastOfflineSince} の間に {count} 台がオフラインになりました: {things}";
        options.Templates.DigestMoreThings = " ほか {more} 台";
        options.Templates.DigestThingSeparator = "、";
        return options;
    }
}
