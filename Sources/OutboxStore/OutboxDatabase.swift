import Crypto
public import Foundation
import GRDB
public import Outbox

#if canImport(Glibc)
import Glibc
#endif

/// The encrypted SQLite outbox: submissions wait here, durable and sealed, until the back
/// office acknowledges them (architecture.md, "Outbox").
///
/// - Durable: WAL with `synchronous=FULL`, so `enqueue` returns only once its commit is
///   fsynced (the marks of sending, `beginDelivery` and `acknowledge`, wait for the next
///   fsync instead: losing one only sends a submission again); `secure_delete` overwrites
///   deleted rows; temporary tables stay in memory.
/// - Sealed: each body is AES-256-GCM encrypted under the provisioned key, with the
///   submission id as associated data, so a payload cannot be moved to another row.
/// - One writer: every change goes through one `DatabasePool` writer, in one transaction.
///
/// Every method is synchronous and safe from any thread; callers on an actor hop to a
/// thread of their own for the fsync.
public final class OutboxDatabase: Sendable {
    /// Where the daemon keeps the queue on a kiosk.
    public static let defaultPath = "/var/lib/madoguchi/outbox.sqlite"

    /// The database file.
    public let path: String
    /// What the queue refuses to grow past.
    public let limits: OutboxLimits
    private let pool: DatabasePool
    /// `nil` when staff tools opened the queue without the key: metadata only.
    private let key: OutboxKey?

    /// The constant sealed into `outbox_meta.keyCheck`.
    private static let keyCheckText = Data("madoguchi outbox key check v1".utf8)

    /// Opens the outbox at `path`, creating it (0600) when missing, and brings its schema
    /// up to date. A database sealed with another key fails with `wrongKey` before
    /// anything is written.
    public convenience init(path: String, key: OutboxKey, limits: OutboxLimits = OutboxLimits()) throws(OutboxError) {
        try self.init(path: path, key: Optional(key), limits: limits, create: true)
    }

    /// Opens an existing outbox for staff tools (`madoguchi queue …`), which need no
    /// payload: with `key`, it is checked as at start; without, only metadata can be read
    /// and changed (status, entries, retry), and anything that seals or opens a payload
    /// fails with `keyMissing`. Never creates the database: a missing file is `notCreated`.
    public convenience init(existing path: String, key: OutboxKey?, limits: OutboxLimits = OutboxLimits()) throws(OutboxError) {
        guard FileManager.default.fileExists(atPath: path) else { throw .notCreated(path) }
        try self.init(path: path, key: key, limits: limits, create: false)
    }

    private init(path: String, key: OutboxKey?, limits: OutboxLimits, create: Bool) throws(OutboxError) {
        self.path = path
        self.limits = limits
        self.key = key
        if FileManager.default.fileExists(atPath: path) {
            if let key { try Self.verifyKey(path: path, key: key) }
        } else if create {
            try Self.createFile(path: path)
        } else {
            throw .notCreated(path)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // DatabasePool turns WAL on with synchronous=NORMAL, which syncs only at
            // checkpoints; the one writer connection needs FULL again (the fsync test
            // catches it otherwise).
            try pool.barrierWriteWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            try OutboxSchema.migrator.migrate(pool)
            if let key {
                try pool.write { db in
                    if try Data.fetchOne(db, sql: "SELECT keyCheck FROM outbox_meta WHERE id = 1") == nil {
                        let check = try AES.GCM.seal(Self.keyCheckText, using: key.key).combined ?? Data()
                        try db.execute(sql: "INSERT INTO outbox_meta (id, keyCheck) VALUES (1, ?)", arguments: [check])
                    }
                }
            }
        } catch {
            throw Self.mapped(error, path: path)
        }
    }

    /// Closes the database; later calls fail.
    public func close() throws(OutboxError) {
        do { try pool.close() } catch { throw Self.mapped(error, path: path) }
    }

    // MARK: - the order of a finish

    /// Adds a submission and returns once its commit is on disk. `body` is the submission
    /// JSON without `print` (recorded later with `recordPrint`). Refuses, writing nothing,
    /// when the queue holds `limits.maxSubmissions` or the disk is nearly full.
    public func enqueue(id: SubmissionID, body: Data, now: Date = Date()) throws(OutboxError) {
        let form = try SubmissionBody.validate(body, id: id).get()
        try checkFreeSpace(adding: body.count)
        let sealed = try seal(body, id: id)
        let limit = limits.maxSubmissions
        try write { db in
            // The rowid span bounds the count from above in two b-tree lookups (one min or
            // max per SELECT, or SQLite scans); only a queue near its limit (or one with old
            // rows far behind new ones) is counted row by row. Statements are cached: this
            // is the path a resident waits on.
            let span = try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT coalesce((SELECT max(rowid) FROM submission) - (SELECT min(rowid) FROM submission) + 1, 0)")
            ) ?? 0
            if span >= limit {
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM submission") ?? 0
                guard count < limit else { throw OutboxError.queueFull(limit: limit) }
            }
            let exists = try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM submission WHERE id = ?)"), arguments: [id.description])
            guard exists != true else { throw OutboxError.duplicate(id) }
            try db.cachedStatement(
                sql: "INSERT INTO submission (id, createdAt, form, formVersion, payload) VALUES (?, ?, ?, ?, ?)"
            ).execute(arguments: [id.description, now.milliseconds, form.form, form.version, sealed])
        }
    }

    /// Records what happened at the printer on a waiting submission; only then may it be
    /// sent. A result is recorded once.
    public func recordPrint(_ id: SubmissionID, _ record: PrintRecord) throws(OutboxError) {
        if let problem = record.problem { throw .invalidPrint(problem) }
        try write { db in
            try db.execute(
                sql: """
                    UPDATE submission SET printOutcome = ?, printSheets = ?, printReasons = ?, printResidentConfirmed = ?
                    WHERE id = ? AND printOutcome IS NULL
                    """,
                arguments: [
                    record.outcome.rawValue, record.sheets, record.reasons.joined(separator: " "),
                    record.residentConfirmed, id.description,
                ])
            if db.changesCount == 0 {
                guard try Self.exists(db, id) else { throw OutboxError.notFound(id) }
                throw OutboxError.wrongState(id, operation: "record the print result of", state: "print recorded")
            }
        }
    }

    /// After a restart: submissions being sent go back to waiting, and a print that never
    /// ended is recorded as failed with `madoguchi-interrupted`. The daemon calls this once
    /// at start, before syncing. Returns how many rows of each it changed.
    @discardableResult
    public func recoverAfterRestart() throws(OutboxError) -> (resent: Int, interrupted: Int) {
        try write { db in
            try db.execute(sql: "UPDATE submission SET state = 'pending' WHERE state = 'delivering'")
            let resent = db.changesCount
            let interrupted = PrintRecord.interrupted
            try db.execute(
                sql: """
                    UPDATE submission SET printOutcome = ?, printSheets = ?, printReasons = ? WHERE printOutcome IS NULL
                    """,
                arguments: [interrupted.outcome.rawValue, interrupted.sheets, interrupted.reasons.joined(separator: " ")])
            return (resent, db.changesCount)
        }
    }

    // MARK: - sending (used by the sync worker)

    /// Submissions that may be sent now, oldest first: waiting, print recorded, back-off
    /// over, and the queue not paused.
    public func due(now: Date = Date(), limit: Int = 50) throws(OutboxError) -> [OutboxEntry] {
        try read { db in
            guard try Row.fetchOne(db, sql: "SELECT pausedAt FROM outbox_meta WHERE id = 1")?["pausedAt"] as Int64? == nil
            else { return [] }
            return try Row.fetchAll(
                db,
                sql: Self.selectEntries + """
                     WHERE state = 'pending' AND printOutcome IS NOT NULL AND (nextAttemptAt IS NULL OR nextAttemptAt <= ?)
                     ORDER BY createdAt, rowid LIMIT ?
                    """,
                arguments: [now.milliseconds, limit]
            ).map(Self.entry)
        }
    }

    /// Marks a due submission as being sent and returns the exact bytes to send: the
    /// stored body with its print result. Every try of the same submission gets the same
    /// bytes.
    public func beginDelivery(_ id: SubmissionID) throws(OutboxError) -> Data {
        try writeMark { db in try self.beginDelivery(id, db: db) }
    }

    /// The checks and the bytes come before the update, so a failure changes nothing.
    private func beginDelivery(_ id: SubmissionID, db: Database) throws -> Data {
        // Cached statements: a drain runs these thousands of times.
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT state, printOutcome FROM submission WHERE id = ?"), arguments: [id.description])
        else { throw OutboxError.notFound(id) }
        let state: String = row["state"]
        guard state == DeliveryState.pending.rawValue, row["printOutcome"] as String? != nil else {
            throw OutboxError.wrongState(id, operation: "send", state: row["printOutcome"] as String? == nil ? "awaiting print" : state)
        }
        let body = try bytesToSend(id, db: db)
        try db.cachedStatement(sql: "UPDATE submission SET state = 'delivering', attempts = attempts + 1 WHERE id = ?")
            .execute(arguments: [id.description])
        return body
    }

    /// `beginDelivery` for several submissions in one fsynced transaction (the sync worker
    /// groups the sends that start while the previous commit is syncing). Each id gets its
    /// own answer: one that is not waiting any more fails alone, and the others go.
    public func beginDelivery(_ ids: [SubmissionID]) throws(OutboxError) -> [Result<Data, OutboxError>] {
        try writeMark { db in
            try ids.map { id -> Result<Data, OutboxError> in
                do {
                    return .success(try self.beginDelivery(id, db: db))
                } catch let error as OutboxError {
                    // Nothing was changed for this id: its checks come before its update.
                    return .failure(error)
                }
            }
        }
    }

    /// Several acknowledgements in one fsynced transaction (the sync worker groups the
    /// answers that arrive while the previous commit is syncing). Ids not being sent any
    /// more (a restart put them back) are left alone; returns how many rows were deleted.
    @discardableResult
    public func acknowledge(_ ids: [SubmissionID], now: Date = Date()) throws(OutboxError) -> Int {
        try writeMark { db in
            var deleted = 0
            let statement = try db.cachedStatement(sql: "DELETE FROM submission WHERE id = ? AND state = 'delivering'")
            for id in ids {
                try statement.execute(arguments: [id.description])
                deleted += db.changesCount
            }
            if deleted > 0 {
                try db.execute(sql: "UPDATE outbox_meta SET lastSyncAt = ? WHERE id = 1", arguments: [now.milliseconds])
            }
            return deleted
        }
    }

    /// The back office acknowledged the submission (201 or 200): its row is deleted and
    /// overwritten (`secure_delete`).
    public func acknowledge(_ id: SubmissionID, now: Date = Date()) throws(OutboxError) {
        try writeMark { db in
            try self.requireState(db, id, .delivering, operation: "acknowledge")
            try db.execute(sql: "DELETE FROM submission WHERE id = ?", arguments: [id.description])
            try db.execute(sql: "UPDATE outbox_meta SET lastSyncAt = ? WHERE id = 1", arguments: [now.milliseconds])
        }
    }

    /// Sending failed in a way that is worth retrying: back to waiting until `at`.
    /// `problem` must hold no personal data (a status, a problem type, a network error).
    public func scheduleRetry(_ id: SubmissionID, at: Date, status: Int?, problem: String) throws(OutboxError) {
        try write { db in
            try self.requireState(db, id, .delivering, operation: "retry")
            try db.execute(
                sql: "UPDATE submission SET state = 'pending', nextAttemptAt = ?, lastStatus = ?, lastError = ? WHERE id = ?",
                arguments: [at.milliseconds, status, String(problem.prefix(300)), id.description])
        }
    }

    /// The back office refused this one submission (400, 409, 413, 422): kept, sealed,
    /// for staff, and no longer sent.
    public func deadLetter(_ id: SubmissionID, status: Int?, problem: String, now: Date = Date()) throws(OutboxError) {
        try write { db in
            try self.requireState(db, id, .delivering, operation: "dead-letter")
            try db.execute(
                sql: """
                    UPDATE submission SET state = 'dead-letter', lastStatus = ?, lastError = ?, deadLetteredAt = ?
                    WHERE id = ?
                    """,
                arguments: [status, String(problem.prefix(300)), now.milliseconds, id.description])
        }
    }

    /// Pauses the whole queue (401/403: a credential problem); nothing is dead-lettered.
    public func pause(reason: String, now: Date = Date()) throws(OutboxError) {
        try write { db in
            try db.execute(
                sql: "UPDATE outbox_meta SET pausedReason = ?, pausedAt = coalesce(pausedAt, ?) WHERE id = 1",
                arguments: [String(reason.prefix(300)), now.milliseconds])
        }
    }

    /// Lifts a pause.
    public func resume() throws(OutboxError) {
        try write { db in
            try db.execute(sql: "UPDATE outbox_meta SET pausedReason = NULL, pausedAt = NULL WHERE id = 1")
        }
    }

    /// Staff asked to send again (`madoguchi queue retry`): a dead letter goes back to
    /// waiting and a waiting submission's back-off ends now. `nil` does so for every
    /// submission and also lifts a pause. Returns how many submissions changed.
    @discardableResult
    public func retry(_ id: SubmissionID? = nil) throws(OutboxError) -> Int {
        try write { db in
            guard let id else {
                try db.execute(sql: "UPDATE outbox_meta SET pausedReason = NULL, pausedAt = NULL WHERE id = 1")
                try db.execute(
                    sql: """
                        UPDATE submission SET state = 'pending', nextAttemptAt = NULL, deadLetteredAt = NULL
                        WHERE state = 'dead-letter' OR (state = 'pending' AND nextAttemptAt IS NOT NULL)
                        """)
                return db.changesCount
            }
            guard let state = try String.fetchOne(
                db, sql: "SELECT state FROM submission WHERE id = ?", arguments: [id.description])
            else { throw OutboxError.notFound(id) }
            guard state != DeliveryState.delivering.rawValue else {
                throw OutboxError.wrongState(id, operation: "retry", state: state)
            }
            try db.execute(
                sql: "UPDATE submission SET state = 'pending', nextAttemptAt = NULL, deadLetteredAt = NULL WHERE id = ?",
                arguments: [id.description])
            return db.changesCount
        }
    }

    /// Deletes dead letters older than `date` (`[outbox] deadLetterRetentionDays`).
    @discardableResult
    public func purgeDeadLetters(before date: Date) throws(OutboxError) -> Int {
        try write { db in
            try db.execute(
                sql: "DELETE FROM submission WHERE state = 'dead-letter' AND deadLetteredAt < ?",
                arguments: [date.milliseconds])
            return db.changesCount
        }
    }

    // MARK: - diagnostics

    /// The queue at a glance.
    public func status() throws(OutboxError) -> QueueStatus {
        let limit = limits.maxSubmissions
        return try read { db in
            let counts = try Row.fetchOne(
                db,
                sql: """
                    SELECT
                      count(*) FILTER (WHERE state != 'dead-letter') AS waiting,
                      count(*) FILTER (WHERE state != 'dead-letter' AND printOutcome IS NULL) AS awaitingPrint,
                      count(*) FILTER (WHERE state = 'delivering') AS delivering,
                      count(*) FILTER (WHERE state = 'dead-letter') AS deadLetters,
                      min(createdAt) FILTER (WHERE state != 'dead-letter') AS oldest,
                      min(nextAttemptAt) FILTER (WHERE state = 'pending') AS nextAttempt,
                      count(*) FILTER (WHERE state = 'pending' AND printOutcome IS NOT NULL AND nextAttemptAt IS NULL) AS dueNow
                    FROM submission
                    """)
            let meta = try Row.fetchOne(db, sql: "SELECT pausedReason, pausedAt, lastSyncAt FROM outbox_meta WHERE id = 1")
            let pausedAt = meta?["pausedAt"] as Int64?
            let dueNow: Int = counts?["dueNow"] ?? 0
            return QueueStatus(
                waiting: counts?["waiting"] ?? 0,
                awaitingPrint: counts?["awaitingPrint"] ?? 0,
                delivering: counts?["delivering"] ?? 0,
                deadLetters: counts?["deadLetters"] ?? 0,
                oldestWaiting: (counts?["oldest"] as Int64?).map(Date.init(milliseconds:)),
                paused: pausedAt.map { Pause(reason: meta?["pausedReason"] ?? "", since: Date(milliseconds: $0)) },
                lastSyncAt: (meta?["lastSyncAt"] as Int64?).map(Date.init(milliseconds:)),
                nextAttemptAt: dueNow > 0 ? nil : (counts?["nextAttempt"] as Int64?).map(Date.init(milliseconds:)),
                limit: limit)
        }
    }

    /// Every submission's metadata, oldest first; never a payload.
    public func entries() throws(OutboxError) -> [OutboxEntry] {
        try read { db in
            try Row.fetchAll(db, sql: Self.selectEntries + " ORDER BY createdAt, rowid").map(Self.entry)
        }
    }

    /// The bytes that would be sent for `id` (the body, with the print result once it is
    /// recorded), decrypted; for the sync worker and for staff resolving a dead letter.
    public func payload(_ id: SubmissionID) throws(OutboxError) -> Data {
        try read { db in try self.bytesToSend(id, db: db) }
    }

    /// `PRAGMA integrity_check`: `["ok"]` when the file is sound.
    public func integrityCheck() throws(OutboxError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The schema versions applied, oldest first.
    public func appliedMigrations() throws(OutboxError) -> [String] {
        try read { db in try OutboxSchema.migrator.appliedIdentifiers(db).sorted() }
    }

    /// Every schema version this build knows, oldest first.
    public static var schemaVersions: [String] { OutboxSchema.versions }

    // MARK: - inside

    private static let entryColumns = """
        id, state, form, formVersion, createdAt, printOutcome, printSheets, printReasons, printResidentConfirmed,
        attempts, nextAttemptAt, lastStatus, lastError, length(payload) AS sealedBytes
        """
    private static let selectEntries = "SELECT \(entryColumns) FROM submission"

    private static func entry(_ row: Row) -> OutboxEntry {
        let printOutcome = (row["printOutcome"] as String?).flatMap(PrintRecord.Outcome.init(rawValue:))
        let reasons = (row["printReasons"] as String? ?? "").split(separator: " ").map(String.init)
        return OutboxEntry(
            id: SubmissionID(row["id"] as String) ?? SubmissionID(),
            state: DeliveryState(rawValue: row["state"]) ?? .pending,
            form: row["form"],
            formVersion: row["formVersion"],
            createdAt: Date(milliseconds: row["createdAt"]),
            print: printOutcome.map {
                PrintRecord(outcome: $0, sheets: row["printSheets"] ?? 0, reasons: reasons, residentConfirmed: row["printResidentConfirmed"])
            },
            attempts: row["attempts"],
            nextAttemptAt: (row["nextAttemptAt"] as Int64?).map(Date.init(milliseconds:)),
            lastStatus: row["lastStatus"],
            lastError: row["lastError"],
            sealedBytes: row["sealedBytes"])
    }

    private func bytesToSend(_ id: SubmissionID, db: Database) throws -> Data {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(Self.entryColumns), payload FROM submission WHERE id = ?"),
            arguments: [id.description])
        else { throw OutboxError.notFound(id) }
        let body = try unseal(row["payload"], id: id)
        guard let print = Self.entry(row).print else { return body }
        return SubmissionBody.withPrint(body, print)
    }

    private static func exists(_ db: Database, _ id: SubmissionID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM submission WHERE id = ?)", arguments: [id.description]) ?? false
    }

    private func requireState(_ db: Database, _ id: SubmissionID, _ wanted: DeliveryState, operation: String) throws {
        guard let state = try String.fetchOne(db, sql: "SELECT state FROM submission WHERE id = ?", arguments: [id.description])
        else { throw OutboxError.notFound(id) }
        guard state == wanted.rawValue else { throw OutboxError.wrongState(id, operation: operation, state: state) }
    }

    private func seal(_ body: Data, id: SubmissionID) throws(OutboxError) -> Data {
        guard let key else { throw .keyNotLoaded }
        do {
            guard let combined = try AES.GCM.seal(body, using: key.key, authenticating: Data(id.description.utf8)).combined
            else { throw OutboxError.storage("AES-GCM gave no combined box") }
            return combined
        } catch let error as OutboxError {
            throw error
        } catch {
            throw .storage("AES-GCM seal failed")
        }
    }

    private func unseal(_ sealed: Data, id: SubmissionID) throws(OutboxError) -> Data {
        guard let key else { throw .keyNotLoaded }
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key.key, authenticating: Data(id.description.utf8))
        } catch {
            throw .damaged(id)
        }
    }

    private func checkFreeSpace(adding bytes: Int) throws(OutboxError) {
        let directory = (path as NSString).deletingLastPathComponent
        var info = statvfs()
        guard statvfs(directory.isEmpty ? "." : directory, &info) == 0 else { return }
        let free = Int64(info.f_bavail) * Int64(info.f_frsize)
        if free < limits.minFreeBytes + Int64(bytes) * 4 { throw .diskFull(path: directory, freeBytes: free) }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(OutboxError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Self.mapped(error, path: path)
        }
    }

    /// A change that only records how far sending has come (a send begun, an answer
    /// received), committed without an fsync of its own: the next fsynced commit (any
    /// `enqueue`), or the kernel's writeback, makes it durable, since the WAL is written in
    /// order. Power lost before that can only undo the mark, never a submission: the row is
    /// again waiting, is sent again, and the back office answers the repeat by its id (200,
    /// the same receipt). Half the fsyncs of a drain were these marks.
    private func writeMark<T>(_ body: (Database) throws -> T) throws(OutboxError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Back to FULL whatever happens: an enqueue must never run without its fsync.
                defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
                var result: T?
                try db.inTransaction {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw Self.mapped(error, path: path)
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(OutboxError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.mapped(error, path: path)
        }
    }

    /// SQLite's error as an outbox error: never the SQL or its arguments.
    private static func mapped(_ error: any Error, path: String) -> OutboxError {
        if let error = error as? OutboxError { return error }
        guard let error = error as? DatabaseError else { return .storage(String(describing: type(of: error))) }
        switch error.resultCode {
        case .SQLITE_FULL:
            return .diskFull(path: (path as NSString).deletingLastPathComponent, freeBytes: nil)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM:
            return .databaseUnusable(path: path, detail: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        default:
            return .storage("SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "")")
        }
    }

    /// Checks the key against an existing database through a read-only connection, so a
    /// wrong key changes nothing.
    private static func verifyKey(path: String, key: OutboxKey) throws(OutboxError) {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            let check = try queue.read { db -> Data? in
                guard try db.tableExists("outbox_meta") else { return nil }
                return try Data.fetchOne(db, sql: "SELECT keyCheck FROM outbox_meta WHERE id = 1")
            }
            guard let check else { return }
            guard let opened = try? AES.GCM.open(AES.GCM.SealedBox(combined: check), using: key.key),
                opened == keyCheckText
            else { throw OutboxError.wrongKey(database: path) }
        } catch {
            throw mapped(error, path: path)
        }
    }

    /// Creates an empty 0600 database file (and its 0750 folder), so SQLite's WAL and
    /// shared-memory files, which copy its mode, are private too.
    private static func createFile(path: String) throws(OutboxError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        }
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 || errno == EEXIST else {
            throw .databaseUnusable(path: path, detail: String(cString: strerror(errno)))
        }
        if descriptor >= 0 {
            fchmod(descriptor, 0o600)
            Glibc.close(descriptor)
        }
    }
}

extension Date {
    fileprivate var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    fileprivate init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
