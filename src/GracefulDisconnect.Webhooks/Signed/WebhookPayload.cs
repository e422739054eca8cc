namespace GracefulDisconnect.Webhooks;

/// <summary>
/// The JSON body of the generic webhook: <c>id</c>, <c>kind</c>, <c>thing</c>, <c>offlineSince</c>, <c>decidedAt</c>,
/// <c>grace</c>, <c>outageId</c>, <c>subject</c>, <c>message</c>, and when they apply <c>offlineFor</c>,
/// <c>reminder</c>, <c>disconnects</c> and <c>things</c>. Instants are ISO-8601 UTC with milliseconds and <c>Z</c>;
/// durations <c>[d.]hh:mm:ss</c>. Text is sent whole (the receiver decides what to show), lone surrogates as U+FFFD.
/// </summary>
internal static class WebhookPayload
{
    public static byte[] Build(DeviceNotification notification)
        => JsonPayload.Write(notification, static (writer, n) =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", SafeText.Clean(n.NotificationId));
            writer.WriteString("kind", n.Kind.ToReportName());
            writer.WriteString("thing", SafeText.Clean(n.ThingName));
            writer.WriteString("offlineSince", JsonPayload.Instant(n.OfflineSince));
            writer.WriteString("decidedAt", JsonPayload.Instant(n.DecidedAt));
            writer.WriteString("grace", JsonPayload.Duration(n.GracePeriod));
            writer.WriteString("outageId", SafeText.Clean(n.OutageId));
            writer.WriteString("subject", SafeText.Clean(n.Subject));
            writer.WriteString("message", SafeText.Clean(n.Message));
            NotificationJson.WriteKindFields(writer, n, SafeText.Clean);
            writer.WriteEndObject();
        });
}
