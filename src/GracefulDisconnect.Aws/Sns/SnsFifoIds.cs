using System.Security.Cryptography;
using System.Text;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Message group and deduplication ids for FIFO topics: up to 128 characters of letters, digits and
/// punctuation. Ids that do not fit are replaced by their SHA-256, so the same outage always maps to
/// the same id and SNS drops a re-sent notification within its five-minute deduplication window.
/// </summary>
internal static class SnsFifoIds
{
    private const int MaxLength = 128;

    /// <summary>Per thing: one device's notifications stay in order, different devices do not wait for each other.</summary>
    public static string GroupId(string thingName) => Fit(thingName);

    /// <summary>Per message (<see cref="DeviceNotification.NotificationId"/>): a recovery or reminder is not a duplicate of its outage.</summary>
    public static string DeduplicationId(string notificationId) => Fit(notificationId);

    private static string Fit(string value)
        => value.Length is > 0 and <= MaxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || (char.IsAscii(c) && char.IsPunctuation(c)) || (char.IsAscii(c) && char.IsSymbol(c)))
            ? value
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
