import Crypto
import Foundation
import GRDB

/// What the reference receiver stores submissions in: a SQLite file, or a PostgreSQL
/// database that several receivers behind a load balancer share. Either way the submission
/// id is the primary key, so a submission is stored once however often and wherever it
/// arrives, and an answer means the body is on disk.
protocol ReceiverStore: Sendable {
    /// Stores `body` under `id` unless it is there already.
    func store(id: String, kioskId: String, body: Data, now: Date) async throws -> StoreOutcome
    /// Whether the database answers (`/v1/health`).
    func isAvailable() async -> Bool
}

enum StoreOutcome: Equatable, Sendable {
    /// Stored now.
    case created(receivedAt: String)
    /// Stored before with the same bytes.
    case repeated(receivedAt: String)
    /// Stored before with other bytes.
    case conflict
}

/// The receipt's `receivedAt`: RFC 3339 in UTC with milliseconds, the same from both stores.
/// Counted in whole milliseconds, rounded, so that a time read back from a database (whose
/// binary fraction may fall just below the millisecond) prints as it was stored.
func receivedAtText(_ date: Date) -> String {
    let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
    let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
    let whole = Date(timeIntervalSince1970: TimeInterval(fraction < 0 ? seconds - 1 : seconds))
        .formatted(Date.ISO8601FormatStyle())
    let millis = fraction < 0 ? fraction + 1000 : fraction
    // "2026-11-23T20:17:04Z" → "2026-11-23T20:17:04.076Z"
    return whole.dropLast() + "." + String(repeating: "0", count: millis < 10 ? 2 : millis < 100 ? 1 : 0) + String(millis) + "Z"
}


/// A submission checked and waiting for its commit.
struct PendingSubmission: Sendable {
    var id: String
    var kioskId: String
    var body: Data
    var digest: Data
    /// `receivedAtText` of when the request arrived.
    var receivedAt: String
}

/// SQLite in WAL mode with `synchronous=FULL`, so a 201 means the body is on disk.
/// Submissions that arrive together share one transaction (`CommitBatcher`).
final class SQLiteReceiverStore: ReceiverStore {
    typealias Outcome = StoreOutcome

    let path: String
    private let pool: DatabasePool
    /// One writer, as SQLite has: what arrives during a commit goes in the next one.
    private let batcher: CommitBatcher<PendingSubmission, Outcome>

    init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        self.pool = pool
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
        // A rowid table with the id as a unique key: bodies are kilobytes, and in a WITHOUT
        // ROWID table every insert reshuffled them inside the primary-key tree.
        migrator.registerMigration("v2-rowid") { db in
            try db.execute(
                sql: """
                    CREATE TABLE submission_v2 (
                      id TEXT NOT NULL UNIQUE,
                      kioskId TEXT NOT NULL,
                      receivedAt TEXT NOT NULL,
                      bodySha256 BLOB NOT NULL,
                      body BLOB NOT NULL
                    );
                    INSERT INTO submission_v2 (id, kioskId, receivedAt, bodySha256, body)
                      SELECT id, kioskId, receivedAt, bodySha256, body FROM submission ORDER BY receivedAt, id;
                    DROP TABLE submission;
                    ALTER TABLE submission_v2 RENAME TO submission;
                    CREATE INDEX submission_received ON submission (receivedAt, id);
                    """)
        }
        try migrator.migrate(pool)
        batcher = CommitBatcher(maximumBatch: 256, maximumCommits: 1) { [pool] batch in await Self.commit(batch, to: pool) }
    }

    func store(id: String, kioskId: String, body: Data, now: Date) async throws -> Outcome {
        try await batcher.submit(
            PendingSubmission(id: id, kioskId: kioskId, body: body, digest: Data(SHA256.hash(data: body)), receivedAt: receivedAtText(now)))
    }

    /// Stores a batch in one transaction, one after another, so a second copy of an id in the
    /// same batch finds the first. A failed transaction fails every submission in it: none
    /// was stored, and each kiosk tries again.
    private static func commit(_ batch: [PendingSubmission], to pool: DatabasePool) async -> [Result<Outcome, any Error>] {
        do {
            return try await pool.write { db in
                try batch.map { submission -> Result<Outcome, any Error> in
                    // Cached statements: compiled once, not at every submission.
                    if let row = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT receivedAt, bodySha256 FROM submission WHERE id = ?"), arguments: [submission.id])
                    {
                        return .success((row["bodySha256"] as Data) == submission.digest ? .repeated(receivedAt: row["receivedAt"]) : .conflict)
                    }
                    try db.cachedStatement(sql: "INSERT INTO submission (id, kioskId, receivedAt, bodySha256, body) VALUES (?, ?, ?, ?, ?)")
                        .execute(arguments: [submission.id, submission.kioskId, submission.receivedAt, submission.digest, submission.body])
                    return .success(.created(receivedAt: submission.receivedAt))
                }
            }
        } catch {
            return Array(repeating: .failure(error), count: batch.count)
        }
    }

    func isAvailable() async -> Bool {
        (try? await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}
