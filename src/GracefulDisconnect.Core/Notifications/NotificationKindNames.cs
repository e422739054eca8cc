namespace GracefulDisconnect;

/// <summary>The stable names of notification kinds used in JSON output, message attributes and metrics.</summary>
public static class NotificationKindNames
{
    /// <summary>The report name of a kind: <c>notify</c>, <c>recovered</c>, <c>reminder</c>, <c>flapping</c> or <c>digest</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The name.</returns>
    public static string ToReportName(this NotificationKind kind) => kind switch
    {
        NotificationKind.Offline => "notify",
        NotificationKind.Recovered => "recovered",
        NotificationKind.Reminder => "reminder",
        NotificationKind.Flapping => "flapping",
        NotificationKind.Digest => "digest",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
