namespace GracefulDisconnect.Sqlite;

/// <summary>
/// The device store's schema, as migrations applied in order; <c>device_store_schema</c> records how far a file has
/// come. Times are UTC ticks. Never edit a migration that has shipped: add the next one.
/// </summary>
internal static class SqliteDeviceSchema
{
    public static readonly string[] Migrations =
    [
        // 1: device records with their version and wake time, and the outbox, one row per notification and channel.
        """
        CREATE TABLE device (
            thing       TEXT    NOT NULL PRIMARY KEY,
            version     INTEGER NOT NULL,
            state       TEXT    NOT NULL,
            wake_at     INTEGER,
            lease_until INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX device_wake ON device (wake_at) WHERE wake_at IS NOT NULL;

        CREATE TABLE delivery (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            channel         TEXT    NOT NULL,
            notification_id TEXT    NOT NULL,
            payload         TEXT    NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL DEFAULT 0,
            lease_until     INTEGER NOT NULL DEFAULT 0,
            delivered_at    INTEGER,
            UNIQUE (channel, notification_id)
        );
        CREATE INDEX delivery_due ON delivery (channel, next_attempt_at) WHERE delivered_at IS NULL;
        """,

        // 2: the status committed with each record (offline or not, since when, UTC ticks), for listings by status.
        // Rows of version 1 have none until their next commit.
        """
        ALTER TABLE device ADD COLUMN offline INTEGER;
        ALTER TABLE device ADD COLUMN status_since INTEGER;
        CREATE INDEX device_status ON device (offline, status_since, thing) WHERE offline IS NOT NULL;
        """,
    ];

    public static int CurrentVersion => Migrations.Length;
}
