using System.Globalization;
using System.Text.Json;

namespace GracefulDisconnect.Cli.Check;

/// <summary>
/// The one JSON line <c>check</c> prints:
/// <c>{"thing","verdict","offlineSince","connected","checkedAt","grace","dueAt","stateChangedAt"[,"shadowName"][,"messageId"]}</c>.
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
    string? MessageId = null)
{
    public async Task WriteLineAsync(Stream output, CancellationToken cancellationToken)
    {
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("thing", ThingName);
            writer.WriteString("verdict", Verdict.ToReportName());
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
