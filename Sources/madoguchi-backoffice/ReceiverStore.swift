import Crypto
import Foundation
import GRDB

/// Where the reference receiver keeps what kiosks sent: SQLite in WAL mode with
/// `synchronous=FULL`, so a 201 means the body is on disk. The submission id is the
/// primary key, so a submission is stored once however often it arrives.
final class ReceiverStore: Sendable {
    enum Outcome: Equatable {
        /// Stored now.
        case created(receivedAt: String)
        /// Stored before with the same bytes.
        case repeated(receivedAt: String)
        /// Stored before with other bytes.
        case conflict
    }

    let path: String
    private let pool: DatabasePool

    init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try pool.barrierWriteWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE submission (
                      id TEXT PRIMARY KEY NOT NULL,
                      kioskId TEXT NOT NULL,
                      receivedAt TEXT NOT NULL,
                      bodySha256 BLOB NOT NULL,
                      body BLOB NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX submission_received ON submission (receivedAt, id);
                    """)
        }
        try migrator.migrate(pool)
    }

    /// Stores `body` under `id` unless it is there already.
    func store(id: String, kioskId: String, body: Data, now: Date = Date()) async throws -> Outcome {
        let digest = Data(SHA256.hash(data: body))
        let receivedAt = now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        return try await pool.write { db -> Outcome in
            if let row = try Row.fetchOne(
                db, sql: "SELECT receivedAt, bodySha256 FROM submission WHERE id = ?", arguments: [id])
            {
                return (row["bodySha256"] as Data) == digest ? .repeated(receivedAt: row["receivedAt"]) : .conflict
            }
            try db.execute(
                sql: "INSERT INTO submission (id, kioskId, receivedAt, bodySha256, body) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, kioskId, receivedAt, digest, body])
            return .created(receivedAt: receivedAt)
        }
    }

    /// How many submissions are stored, and how many distinct ids (always equal: the test
    /// of "0 duplicated").
    func count() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM submission") ?? 0 }
    }

    /// Whether the database answers (`/v1/health`).
    func isAvailable() async -> Bool {
        (try? await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}
