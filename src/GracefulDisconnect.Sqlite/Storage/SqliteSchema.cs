namespace GracefulDisconnect.Sqlite;

/// <summary>
/// The schema, as migrations applied in order; <c>schema_version</c> records how far a file has come.
/// Times are UTC ticks (100 ns since 0001-01-01) except outage starts, which are epoch seconds like
/// <see cref="OutageId"/>. Never edit a migration that has shipped: add the next one.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Stored instead of NULL for a trigger without a version, because NULLs are distinct in a unique key.</summary>
    public const long NoVersion = long.MinValue;

    public static readonly string[] Migrations =
    [
        // 1: pending re-checks, the outage ledger with its outbox, the last known connection state.
        """
        CREATE TABLE pending_recheck (
            thing           TEXT    NOT NULL,
            disconnected_at INTEGER NOT NULL,
            version         INTEGER NOT NULL,
            due_at          INTEGER NOT NULL,
            PRIMARY KEY (thing, disconnected_at, version)
        ) WITHOUT ROWID;
        CREATE INDEX pending_recheck_due ON pending_recheck (due_at);

        CREATE TABLE outbox (
            thing           TEXT    NOT NULL,
            started_at      INTEGER NOT NULL,
            status          TEXT    NOT NULL CHECK (status IN ('claimed', 'released', 'sent')),
            notification    TEXT    NOT NULL,
            claimed_by      TEXT,
            claimed_at      INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            sent_at         INTEGER,
            PRIMARY KEY (thing, started_at)
        );
        CREATE INDEX outbox_unsent ON outbox (next_attempt_at) WHERE status <> 'sent';
        CREATE INDEX outbox_sent ON outbox (sent_at) WHERE status = 'sent';

        CREATE TABLE connection_state (
            thing      TEXT    NOT NULL PRIMARY KEY,
            connected  INTEGER NOT NULL,
            changed_at INTEGER NOT NULL,
            version    INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,

        // 2: the history of each thing's state, so a re-check reads the state as of the end of its grace period.
        """
        CREATE TABLE connection_event (
            thing      TEXT    NOT NULL,
            changed_at INTEGER NOT NULL,
            version    INTEGER NOT NULL,
            connected  INTEGER NOT NULL,
            PRIMARY KEY (thing, changed_at, version, connected)
        ) WITHOUT ROWID;
        INSERT INTO connection_event (thing, changed_at, version, connected) SELECT thing, changed_at, version, connected FROM connection_state;
        """,
    ];

    public static int CurrentVersion => Migrations.Length;
}
