namespace GracefulDisconnect.PostgreSql;

/// <summary>
/// The store's schema, as migrations applied in order inside the configured schema (<c>{schema}</c> is replaced by
/// its quoted name); <c>schema_version</c> records which were applied. Times are <c>timestamptz</c>; a claim that
/// was never taken or is over is <c>-infinity</c>. Never edit a migration that has shipped: add the next one.
/// </summary>
internal static class PostgreSqlDeviceSchema
{
    public static readonly string[] Migrations =
    [
        // 1: device records with their version, wake time and claim; the outbox, one row per notification and
        // channel, kept once delivered so the same notification committed again is not offered again.
        """
        CREATE TABLE {schema}.device (
            thing       text        NOT NULL PRIMARY KEY,
            version     bigint      NOT NULL,
            state       text        NOT NULL,
            wake_at     timestamptz,
            lease_until timestamptz NOT NULL DEFAULT '-infinity'
        );
        CREATE INDEX device_wake ON {schema}.device (wake_at) WHERE wake_at IS NOT NULL;

        CREATE TABLE {schema}.delivery (
            seq             bigserial   NOT NULL PRIMARY KEY,
            channel         text        NOT NULL,
            notification_id text        NOT NULL,
            payload         text        NOT NULL,
            attempts        integer     NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL DEFAULT '-infinity',
            lease_until     timestamptz NOT NULL DEFAULT '-infinity',
            delivered_at    timestamptz,
            UNIQUE (channel, notification_id)
        );
        CREATE INDEX delivery_due ON {schema}.delivery (channel, seq) WHERE delivered_at IS NULL;
        """,

        // 2: the status committed with each record (offline or not, since when), for listings by status. Rows of
        // version 1 have none until their next commit. COLLATE "C": the port's order is ordinal.
        """
        ALTER TABLE {schema}.device ADD COLUMN offline boolean, ADD COLUMN status_since timestamptz;
        CREATE INDEX device_status ON {schema}.device (offline, status_since, thing COLLATE "C") WHERE offline IS NOT NULL;
        """,
    ];

    public static int CurrentVersion => Migrations.Length;
}
