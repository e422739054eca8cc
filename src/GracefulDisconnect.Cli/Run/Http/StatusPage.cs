using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using GracefulDisconnect.Engine;

namespace GracefulDisconnect.Cli.Run.Http;

/// <summary>
/// The status page, rendered on the server: no script at all, one inline style sheet allowed by its hash in the
/// Content-Security-Policy, so even a device name that escaped escaping could run nothing. Every text from a device
/// or the store goes through <see cref="WebUtility.HtmlEncode(string)"/> (names come from MQTT topics, i.e. from anyone
/// who can publish). Refreshes itself every few seconds; narrow screens get one column.
/// </summary>
internal static class StatusPage
{
    public const int RefreshSeconds = 10;

    private const string Style = """
        :root{color-scheme:light dark;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--muted:#6e7781;--line:#d0d7de}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;padding:12px;max-width:1100px}
        h1{font-size:1.35em;margin:.2em 0}h2{font-size:1.1em;margin:1.4em 0 .4em}
        .muted{color:var(--muted)}.bad{color:var(--bad)}.ok{color:var(--ok)}.warn{color:var(--warn)}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;margin:10px 0}
        .card{border:1px solid var(--line);border-radius:8px;padding:8px 10px}.card b{display:block;font-size:1.6em}
        .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}
        th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
        td.thing{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
        @media (max-width:600px){thead{display:none}tr{display:block;border-bottom:1px solid var(--line);padding:4px 0}
        td{display:block;border:0;padding:2px 4px}td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}}
        """;

    /// <summary>The Content-Security-Policy that goes with the page.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static string Render(StatusSnapshot snapshot)
    {
        var html = new StringBuilder(16 * 1024);
        var counts = snapshot.Counts;
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{RefreshSeconds}\">")
            .Append(CultureInfo.InvariantCulture, $"<title>{counts.Offline} offline · GracefulDisconnect</title>")
            .Append("<style>").Append(Style).Append("</style></head><body>");
        html.Append("<h1>GracefulDisconnect</h1><p class=\"muted\">")
            .Append(Encode(snapshot.Store)).Append(" · ").Append(Time(snapshot.Now))
            .Append(CultureInfo.InvariantCulture, $" · refreshes every {RefreshSeconds} s</p>");
        html.Append(snapshot.Source.Connected
            ? $"<p>Source <b class=\"ok\">connected</b>: {Encode(snapshot.Source.Name)}{Since(snapshot.Source)}</p>"
            : $"<p class=\"bad\"><b>Source not connected</b>: {Encode(snapshot.Source.Name)}{Since(snapshot.Source)}. Until it is back, the engine hears nothing from the devices behind it; what is shown here is what it knew.</p>");
        if (snapshot.EngineFault is { } fault)
        {
            html.Append("<p class=\"bad\"><b>The engine stopped:</b> ").Append(Encode(fault)).Append("</p>");
        }

        var pending = snapshot.Offline.Count(row => row.Record?.RecheckDueAt is not null);
        html.Append("<div class=\"cards\">")
            .Append(Card(counts.Offline.ToString(CultureInfo.InvariantCulture), "offline now", counts.Offline > 0 ? "bad" : "ok"))
            .Append(Card(pending.ToString(CultureInfo.InvariantCulture) + (snapshot.NextPage is null ? string.Empty : "+"), "within grace, re-check pending", pending > 0 ? "warn" : "ok"))
            .Append(Card(counts.Waking.ToString(CultureInfo.InvariantCulture), "scheduled wakes (re-checks, reminders, silence checks)", null))
            .Append(Card(counts.Undelivered.ToString(CultureInfo.InvariantCulture), "notifications not yet delivered", counts.Undelivered > 0 ? "warn" : "ok"))
            .Append(Card(snapshot.FailingChannels.Count.ToString(CultureInfo.InvariantCulture), "channels failing", snapshot.FailingChannels.Count > 0 ? "bad" : "ok"))
            .Append("</div>");

        html.Append("<h2>Offline now</h2>");
        if (snapshot.Offline.Count == 0)
        {
            html.Append("<p class=\"ok\">Every device is online.</p>");
        }
        else
        {
            html.Append("<div class=\"scroll\"><table><thead><tr><th>Device</th><th>Offline since</th><th>For</th><th>Notified</th></tr></thead><tbody>");
            foreach (var row in snapshot.Offline)
            {
                html.Append("<tr><td class=\"thing\">").Append(Encode(row.ThingName)).Append("</td>")
                    .Append("<td data-label=\"since\">").Append(Time(row.Since)).Append("</td>")
                    .Append("<td data-label=\"for\">").Append(Encode(DurationText.Describe(Positive(snapshot.Now - row.Since)))).Append("</td>")
                    .Append("<td data-label=\"notified\">").Append(Notified(row, snapshot.Now)).Append("</td></tr>");
            }

            html.Append("</tbody></table></div>");
            if (snapshot.NextPage is { } next)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"/?since={next.Since.UtcTicks}&amp;thing={Uri.EscapeDataString(next.ThingName)}\">Next {StatusReader.OfflinePerPage} offline devices →</a></p>");
            }
        }

        html.Append("<h2>Came online in the last 24 hours</h2>");
        if (snapshot.Recovered.Count == 0)
        {
            html.Append("<p class=\"muted\">None.</p>");
        }
        else
        {
            html.Append("<div class=\"scroll\"><table><thead><tr><th>Device</th><th>Back since</th><th>Ago</th><th>Latest outage told</th></tr></thead><tbody>");
            foreach (var row in snapshot.Recovered)
            {
                html.Append("<tr><td class=\"thing\">").Append(Encode(row.ThingName)).Append("</td>")
                    .Append("<td data-label=\"since\">").Append(Time(row.Since)).Append("</td>")
                    .Append("<td data-label=\"ago\">").Append(Encode(DurationText.Describe(Positive(snapshot.Now - row.Since)))).Append("</td>")
                    .Append("<td data-label=\"told\">").Append(row.Record?.LastNotifiedOutageStartedAt is { } told ? $"offline since {Time(told)}" : "<span class=\"muted\">none</span>").Append("</td></tr>");
            }

            html.Append("</tbody></table></div>");
        }

        // Flapping devices are offline now or came back recently, so they are among the rows above.
        var flapping = snapshot.Offline.Concat(snapshot.Recovered).Where(row => row.Record?.Flapping == true).Select(row => row.ThingName).Distinct(StringComparer.Ordinal).ToList();
        html.Append("<h2>Flapping</h2>");
        html.Append(flapping.Count == 0
            ? "<p class=\"muted\">None.</p>"
            : $"<p class=\"warn\">{string.Join(", ", flapping.Select(thing => $"<span class=\"thing\">{Encode(thing)}</span>"))}</p>");

        html.Append("<h2>Channels</h2><div class=\"scroll\"><table><thead><tr><th>Channel</th><th>Deliveries</th></tr></thead><tbody>");
        foreach (var channel in snapshot.Channels)
        {
            var failure = snapshot.FailingChannels.FirstOrDefault(f => f.Channel == channel);
            html.Append("<tr><td>").Append(Encode(channel)).Append("</td><td>");
            html.Append(failure is null
                ? "<span class=\"ok\">ok</span>"
                : $"<span class=\"bad\">failing</span> since {Time(failure.FailedAt)} (attempt {failure.Attempts}, next {Time(failure.RetryAt)}): {Encode(failure.Error)}");
            html.Append("</td></tr>");
        }

        html.Append("</tbody></table></div>");
        html.Append("<p class=\"muted\">Read-only. <a href=\"/metrics\">/metrics</a> · <a href=\"/healthz\">/healthz</a></p></body></html>");
        return html.ToString();
    }

    private static string Notified(StatusRow row, DateTimeOffset now) => row.Record switch
    {
        null => "<span class=\"muted\">record not readable by this version</span>",
        { SilentSince: { } since, SilentNotifiedAt: { } told } => $"<span class=\"bad\">yes, silent</span> (nothing heard since {Time(since)}; told {Time(told)})",
        { NotifiedAt: { } notifiedAt, Reminders: var reminders } => $"<span class=\"bad\">yes</span>, {Time(notifiedAt)}{(reminders > 0 ? $" and {reminders} reminder(s)" : string.Empty)}",
        { RecheckDueAt: { } dueAt } => $"<span class=\"warn\">not yet</span>: re-check {(dueAt > now ? $"in {Encode(DurationText.Describe(dueAt - now))}" : "due now")}",
        _ => "<span class=\"muted\">no</span>",
    };

    private static string Since(EventSourceState source) => source.Since is { } since ? $" (since {Time(since)})" : string.Empty;

    private static string Card(string value, string label, string? tone)
        => $"<div class=\"card\"><b{(tone is null ? string.Empty : $" class=\"{tone}\"")}>{Encode(value)}</b><span class=\"muted\">{Encode(label)}</span></div>";

    private static TimeSpan Positive(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;

    private static string Time(DateTimeOffset value) => Encode(value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
