using System.Globalization;
using System.Text.Json;

namespace GracefulDisconnect.Cli.Check;

/// <summary>
/// The one JSON line <c>check</c> prints:
/// <c>{"thing","verdict","offlineSince","connected","checkedAt","grace","dueAt","stateChangedAt","source"[,"disconnectReason"][,"shadowName"][,"messageId"]}</c>
/// (<c>sweep</c> prints the same line for each thing it found).
/// Times are UTC with milliseconds, as in <c>replay</c>; unknown values are <c>null</c>.
/// </summary>
internal sealed record CheckReport(
    string ThingName,
    Verdict Verdict,
    DateTimeOffset? OfflineSince,
    ConnectionSnapshot? Snapshot,
    DateTimeOffset CheckedAt,
    TimeSpan Grace,
    DateTimeOffset? DueAt,
    string? ShadowName,
    string? MessageId = null,
    CheckSource Source = CheckSource.Shadow,
    string? DisconnectReason = null,
    bool Duplicate = false)
{
    public async Task WriteLineAsync(Stream output, CancellationToken cancellationToken)
    {
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("thing", ThingName);
            // A notify already sent for this outage (sweep --store) is reported as replay reports it.
            writer.WriteString("verdict", Duplicate ? RecheckResult.SkippedDuplicate.ToReportName() : Verdict.ToReportName());
            WriteTime(writer, "offlineSince", OfflineSince);
            if (Snapshot is { } snapshot)
            {
                writer.WriteBoolean("connected", snapshot.Connected);
            }
            else
            {
                writer.WriteNull("connected");
            }

            WriteTime(writer, "checkedAt", CheckedAt);
            writer.WriteString("grace", DurationText.Format(Grace));
            WriteTime(writer, "dueAt", DueAt);
            WriteTime(writer, "stateChangedAt", Snapshot?.ChangedAt);
            writer.WriteString("source", Source == CheckSource.Connectivity ? "connectivity" : "shadow");
            if (DisconnectReason is not null)
            {
                writer.WriteString("disconnectReason", DisconnectReason);
            }

            if (ShadowName is not null)
            {
                writer.WriteString("shadowName", ShadowName);
            }

            if (MessageId is not null)
            {
                writer.WriteString("messageId", MessageId);
            }

            writer.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
