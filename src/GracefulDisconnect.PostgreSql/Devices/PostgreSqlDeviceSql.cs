namespace GracefulDisconnect.PostgreSql;

/// <summary>
/// The store's statements for one schema, built once: the schema name is validated as a plain identifier
/// (<see cref="PostgreSqlStoreOptionsValidator"/>) and quoted, and every value goes in as a parameter.
/// </summary>
internal sealed class PostgreSqlDeviceSql
{
    public PostgreSqlDeviceSql(string schema)
    {
        Schema = schema;
        var s = Quote(schema);
        Channel = schema + "_wake";
        Notify = $"NOTIFY {Quote(Channel)}";
        Listen = $"LISTEN {Quote(Channel)}";
        Load = $"SELECT thing, version, state FROM {s}.device WHERE thing = ANY(@things)";

        // Row locks in one order (by thing) before writing, so two commits over the same devices queue instead of
        // deadlocking; new devices are inserted in the same order for the same reason.
        Lock = $"SELECT count(*) FROM (SELECT 1 FROM {s}.device WHERE thing = ANY(@things) ORDER BY thing FOR UPDATE) AS locked";

        // One statement for the whole commit: the conditional writes of every device, then the outbox rows of the
        // devices that were written (a conflicted device's messages are not), in the order given, so sequence
        // numbers follow commit order within a channel. Returns the devices written.
        Commit = $"""
            WITH input AS (
                SELECT * FROM unnest(@things::text[], @expected::bigint[], @states::text[], @wakes::timestamptz[], @offline::boolean[], @since::timestamptz[]) AS i (thing, expected, state, wake_at, offline, status_since)
            ), updated AS (
                UPDATE {s}.device AS d
                SET version = d.version + 1, state = i.state, wake_at = i.wake_at, lease_until = '-infinity', offline = i.offline, status_since = i.status_since
                FROM input AS i
                WHERE i.expected > 0 AND d.thing = i.thing AND d.version = i.expected
                RETURNING d.thing
            ), inserted AS (
                INSERT INTO {s}.device (thing, version, state, wake_at, offline, status_since)
                SELECT thing, 1, state, wake_at, offline, status_since FROM input WHERE expected = 0 ORDER BY thing
                ON CONFLICT (thing) DO NOTHING
                RETURNING thing
            ), written AS (
                SELECT thing FROM updated UNION ALL SELECT thing FROM inserted
            ), queued AS (
                INSERT INTO {s}.delivery (channel, notification_id, payload)
                SELECT o.channel, o.notification_id, o.payload
                FROM unnest(@outbox_things::text[], @channels::text[], @ids::text[], @payloads::text[]) WITH ORDINALITY AS o (thing, channel, notification_id, payload, position)
                WHERE o.thing IN (SELECT thing FROM written)
                ORDER BY o.position
                ON CONFLICT (channel, notification_id) DO NOTHING
            )
            SELECT thing FROM written
            """;

        // SKIP LOCKED: a row another claimer is taking right now is left to it rather than waited for, so each due
        // device goes to exactly one caller and claimers never queue behind each other.
        ClaimDue = $"""
            WITH due AS (
                SELECT thing, wake_at FROM {s}.device
                WHERE wake_at <= @now AND lease_until <= @now
                ORDER BY wake_at, thing
                LIMIT @max
                FOR UPDATE SKIP LOCKED
            )
            UPDATE {s}.device AS d SET lease_until = @until
            FROM due WHERE d.thing = due.thing
            RETURNING d.thing, due.wake_at
            """;
        ClaimDeliveries = $"""
            WITH due AS (
                SELECT seq FROM {s}.delivery
                WHERE channel = @channel AND delivered_at IS NULL AND next_attempt_at <= @now AND lease_until <= @now
                ORDER BY seq
                LIMIT @max
                FOR UPDATE SKIP LOCKED
            )
            UPDATE {s}.delivery AS d SET lease_until = @until
            FROM due WHERE d.seq = due.seq
            RETURNING d.seq, d.notification_id, d.payload, d.attempts
            """;
        Complete = $"UPDATE {s}.delivery SET delivered_at = @now, lease_until = '-infinity' WHERE seq = @seq";
        Retry = $"UPDATE {s}.delivery SET attempts = attempts + 1, next_attempt_at = @at, lease_until = '-infinity' WHERE seq = @seq AND delivered_at IS NULL";
        Count = $"SELECT (SELECT count(*) FROM {s}.device WHERE wake_at IS NOT NULL), (SELECT count(*) FROM {s}.delivery WHERE delivered_at IS NULL), (SELECT count(*) FROM {s}.device WHERE offline)";

        // Keyset paging on the index (offline, status_since, thing COLLATE "C"): the row comparison is one index range.
        const string Listed = "SELECT thing, version, state, status_since FROM {0}.device WHERE offline = @offline";
        ListOldestFirst = string.Format(System.Globalization.CultureInfo.InvariantCulture, Listed, s) + " ORDER BY status_since, thing COLLATE \"C\" LIMIT @max";
        ListOldestFirstAfter = string.Format(System.Globalization.CultureInfo.InvariantCulture, Listed, s) + " AND (status_since, thing COLLATE \"C\") > (@since, @thing COLLATE \"C\") ORDER BY status_since, thing COLLATE \"C\" LIMIT @max";
        ListNewestFirst = string.Format(System.Globalization.CultureInfo.InvariantCulture, Listed, s) + " ORDER BY status_since DESC, thing COLLATE \"C\" DESC LIMIT @max";
        ListNewestFirstAfter = string.Format(System.Globalization.CultureInfo.InvariantCulture, Listed, s) + " AND (status_since, thing COLLATE \"C\") < (@since, @thing COLLATE \"C\") ORDER BY status_since DESC, thing COLLATE \"C\" DESC LIMIT @max";
    }

    public string Schema { get; }

    /// <summary>The LISTEN/NOTIFY channel of this schema's deployment.</summary>
    public string Channel { get; }

    public string Notify { get; }

    public string Listen { get; }

    public string Load { get; }

    public string Lock { get; }

    public string Commit { get; }

    public string ClaimDue { get; }

    public string ClaimDeliveries { get; }

    public string Complete { get; }

    public string Retry { get; }

    public string Count { get; }

    public string ListOldestFirst { get; }

    public string ListOldestFirstAfter { get; }

    public string ListNewestFirst { get; }

    public string ListNewestFirstAfter { get; }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
