import GRDB

/// The outbox's tables, one GRDB migration per schema version. A migration, once
/// released, never changes: a new version adds a migration, and a snapshot of the old
/// schema goes to `Tests/Fixtures/outbox-schemas/` so the upgrade is tested.
enum OutboxSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // One row: the key check (a constant sealed with the key, so a wrong key is
            // found before anything is written), the pause and the last sync.
            try db.execute(
                sql: """
                    CREATE TABLE outbox_meta (
                      id INTEGER PRIMARY KEY CHECK (id = 1),
                      keyCheck BLOB NOT NULL,
                      pausedReason TEXT,
                      pausedAt INTEGER,
                      lastSyncAt INTEGER
                    );
                    CREATE TABLE submission (
                      id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
                      createdAt INTEGER NOT NULL,
                      form TEXT NOT NULL,
                      formVersion INTEGER NOT NULL,
                      payload BLOB NOT NULL,
                      state TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'delivering', 'dead-letter')),
                      printOutcome TEXT
                        CHECK (printOutcome IN ('confirmed', 'assumed', 'failed', 'notPrinted')),
                      printSheets INTEGER,
                      printReasons TEXT,
                      printResidentConfirmed INTEGER,
                      attempts INTEGER NOT NULL DEFAULT 0,
                      nextAttemptAt INTEGER,
                      lastStatus INTEGER,
                      lastError TEXT,
                      deadLetteredAt INTEGER
                    );
                    CREATE INDEX submission_due ON submission (state, nextAttemptAt);
                    """)
        }
        migrator.registerMigration("v2") { db in
            // `due` walks waiting submissions oldest first; without this index it sorted the
            // whole queue at each call (11 ms at 10 000 waiting, a vehicle after days offline).
            try db.execute(sql: "CREATE INDEX submission_order ON submission (state, createdAt)")
        }
        return migrator
    }

    /// The migrations' identifiers, oldest first.
    static var versions: [String] { migrator.migrations }
}
