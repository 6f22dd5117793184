import Foundation
import GRDB
import Outbox
import OutboxStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The outbox on real SQLite files: the lifecycle of a submission, encryption at rest, the
/// key, limits and schema upgrades. (Crashes and fsyncs: OutboxDurabilityTests.)
@Suite struct OutboxTests {
    /// A fresh folder with a key file, removed by the caller's `defer`.
    struct Scratch {
        let directory: String
        let key: OutboxKey
        var database: String { directory + "/outbox.sqlite" }

        init() throws {
            directory = NSTemporaryDirectory() + "madoguchi-outbox-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            key = try OutboxKey.create(at: directory + "/outbox.key")
        }

        func open(_ limits: OutboxLimits = OutboxLimits(minFreeBytes: 0)) throws -> OutboxDatabase {
            try OutboxDatabase(path: database, key: key, limits: limits)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }

        /// Every byte of every file in the folder but the key.
        func filesOnDisk() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name != "outbox.key" {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            }
            return files
        }
    }

    /// A submission body (no `print`) for a fictional resident.
    static func body(_ id: SubmissionID, name: String = "見本 花子", marker: String = "MARKER-OUTBOX-7731") -> Data {
        Data(
            """
            {"schemaVersion":1,"id":"\(id)","kioskId":"kasumi-honcho-01","form":{"id":"okuyami","version":1},
             "createdAt":"2026-01-09T10:15:30+09:00",
             "identity":{"name":"\(name)","address":"東京都千代田区霞が関一丁目1番1号 \(marker)","birth":"19750112"},
             "answers":{"deceasedName":"見本 一郎","note":"\(marker)"},
             "outcome":{"form":"okuyami","version":1,"mode":"staff","procedures":[],"computed":{},"print":[]}}
            """.utf8)
    }

    static func json(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func aSubmissionIsSentOnlyAfterItsPrintResultAndAlwaysWithTheSameBytes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outbox = try scratch.open()
        let id = SubmissionID()
        try outbox.enqueue(id: id, body: Self.body(id))
        #expect(try outbox.due().isEmpty, "no submission is sent before its print result is recorded")
        #expect(try outbox.status().awaitingPrint == 1)

        try outbox.recordPrint(id, PrintRecord(outcome: .assumed, sheets: 2, residentConfirmed: true))
        #expect(try outbox.due().map(\.id) == [id])
        let first = try outbox.beginDelivery(id)
        let sent = try Self.json(first)
        #expect(sent["id"] as? String == id.description)
        let print = try #require(sent["print"] as? [String: Any])
        #expect(print["outcome"] as? String == "assumed" && print["sheets"] as? Int == 2 && print["residentConfirmed"] as? Bool == true)

        let later = Date().addingTimeInterval(60)
        try outbox.scheduleRetry(id, at: later, status: 503, problem: "503 from the back office")
        #expect(try outbox.due().isEmpty, "a back-off keeps it waiting")
        #expect(try outbox.status().nextAttemptAt.map { abs($0.timeIntervalSince(later)) < 0.01 } == true)
        #expect(try outbox.due(now: later).map(\.id) == [id])
        #expect(try outbox.beginDelivery(id) == first, "a retry sends byte-identical data")
        #expect(try outbox.entries().first?.attempts == 2)

        try outbox.acknowledge(id)
        #expect(try outbox.entries().isEmpty)
        let status = try outbox.status()
        #expect(status.waiting == 0 && status.lastSyncAt != nil)
        #expect(throws: OutboxError.notFound(id)) { try outbox.acknowledge(id) }
    }

    @Test func aRestartResendsWhatWasBeingSentAndMarksUnfinishedPrintsInterrupted() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (printing, sending) = (SubmissionID(), SubmissionID())
        do {
            let outbox = try scratch.open()
            try outbox.enqueue(id: printing, body: Self.body(printing))
            try outbox.enqueue(id: sending, body: Self.body(sending))
            try outbox.recordPrint(sending, .notPrinted)
            _ = try outbox.beginDelivery(sending)
            try outbox.close()
        }
        let outbox = try scratch.open()
        let recovered = try outbox.recoverAfterRestart()
        #expect(recovered.resent == 1 && recovered.interrupted == 1)
        let entries = Dictionary(uniqueKeysWithValues: try outbox.entries().map { ($0.id, $0) })
        #expect(entries[printing]?.print == .interrupted)
        #expect(entries[sending]?.state == .pending && entries[sending]?.print == .notPrinted)
        #expect(Set(try outbox.due().map(\.id)) == [printing, sending])
    }

    @Test func manyAcknowledgementsShareOneCommitAndSkipWhatIsNoLongerBeingSent() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outbox = try scratch.open()
        defer { try? outbox.close() }
        let ids = (0..<5).map { _ in SubmissionID() }
        for id in ids {
            try outbox.enqueue(id: id, body: Self.body(id))
            try outbox.recordPrint(id, PrintRecord(outcome: .confirmed, sheets: 1))
        }
        for id in ids.prefix(4) { _ = try outbox.beginDelivery(id) }
        try outbox.recoverAfterRestart()  // ids[0...3] back to waiting …
        for id in ids.prefix(3) { _ = try outbox.beginDelivery(id) }  // … and ids[0...2] sent again
        #expect(try outbox.acknowledge(ids) == 3)
        #expect(try outbox.entries().map(\.id) == Array(ids.suffix(2)))
        #expect(try outbox.status().lastSyncAt != nil)
        #expect(try outbox.acknowledge([SubmissionID()]) == 0)
    }

    @Test func manySendsBeginInOneCommitAndOneThatCannotStartFailsAlone() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outbox = try scratch.open()
        defer { try? outbox.close() }
        let ready = (0..<2).map { _ in SubmissionID() }
        let unprinted = SubmissionID()
        for id in ready + [unprinted] { try outbox.enqueue(id: id, body: Self.body(id)) }
        for id in ready { try outbox.recordPrint(id, PrintRecord(outcome: .confirmed, sheets: 1)) }
        let unknown = SubmissionID()
        let results = try outbox.beginDelivery([ready[0], unknown, unprinted, ready[1]])
        #expect(results.count == 4)
        #expect(try results[0].get() == outbox.payload(ready[0]))
        #expect(try results[3].get() == outbox.payload(ready[1]))
        guard case .failure(.notFound(unknown)) = results[1] else { Issue.record("\(results[1])"); return }
        guard case .failure(.wrongState(unprinted, _, "awaiting print")) = results[2] else { Issue.record("\(results[2])"); return }
        let states = Dictionary(uniqueKeysWithValues: try outbox.entries().map { ($0.id, $0) })
        #expect(states[ready[0]]?.state == .delivering && states[ready[0]]?.attempts == 1)
        #expect(states[ready[1]]?.state == .delivering)
        #expect(states[unprinted]?.state == .pending && states[unprinted]?.attempts == 0)
        // A second try of the same ids finds them being sent: each says so, nothing changes.
        let again = try outbox.beginDelivery(ready)
        #expect(again.allSatisfy { if case .failure(.wrongState) = $0 { true } else { false } })
        #expect(try outbox.entries().first { $0.id == ready[0] }?.attempts == 1)
    }

    @Test func deadLettersAndAPauseWaitForStaff() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outbox = try scratch.open()
        let (refused, waiting) = (SubmissionID(), SubmissionID())
        for id in [refused, waiting] {
            try outbox.enqueue(id: id, body: Self.body(id))
            try outbox.recordPrint(id, PrintRecord(outcome: .confirmed, sheets: 1))
        }
        _ = try outbox.beginDelivery(refused)
        try outbox.deadLetter(refused, status: 422, problem: "422 /print/outcome")
        #expect(try outbox.due().map(\.id) == [waiting])
        try outbox.pause(reason: "401 from the back office")
        #expect(try outbox.due().isEmpty, "a paused queue sends nothing")
        let status = try outbox.status()
        #expect(status.paused?.reason == "401 from the back office" && status.deadLetters == 1 && status.waiting == 1)
        #expect(try outbox.entries().first { $0.id == refused }?.lastStatus == 422)

        #expect(try outbox.retry() == 1)
        #expect(try outbox.status().paused == nil)
        #expect(Set(try outbox.due().map(\.id)) == [refused, waiting])
        #expect(try outbox.purgeDeadLetters(before: Date().addingTimeInterval(3600)) == 0)
    }

    @Test func operationsOutOfOrderAreRefusedWithTheStateTheyMet() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outbox = try scratch.open()
        let id = SubmissionID()
        try outbox.enqueue(id: id, body: Self.body(id))
        #expect(throws: OutboxError.duplicate(id)) { try outbox.enqueue(id: id, body: Self.body(id)) }
        #expect(throws: OutboxError.wrongState(id, operation: "send", state: "awaiting print")) { try outbox.beginDelivery(id) }
        #expect(throws: OutboxError.wrongState(id, operation: "acknowledge", state: "pending")) { try outbox.acknowledge(id) }
        try outbox.recordPrint(id, .notPrinted)
        #expect(throws: OutboxError.wrongState(id, operation: "record the print result of", state: "print recorded")) {
            try outbox.recordPrint(id, .notPrinted)
        }
        let other = SubmissionID()
        #expect(throws: OutboxError.self) { try outbox.enqueue(id: other, body: Self.body(id)) }
        #expect(throws: OutboxError.self) {
            try outbox.recordPrint(id, PrintRecord(outcome: .failed, sheets: 0, reasons: ["Media Empty"]))
        }
    }

    @Test func theFilesOnDiskHoldNoPlaintextAndArePrivate() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outbox = try scratch.open()
        let markers = ["見本 花子", "霞が関一丁目", "MARKER-OUTBOX-7731", "見本 一郎", "19750112"]
        var ids: [SubmissionID] = []
        for _ in 0..<20 {
            let id = SubmissionID()
            try outbox.enqueue(id: id, body: Self.body(id))
            ids.append(id)
        }
        // The data is there, readable with the key…
        let payload = String(decoding: try outbox.payload(ids[0]), as: UTF8.self)
        #expect(markers.allSatisfy(payload.contains))
        // …and nowhere in the database, its WAL or its shared memory, nor any temp file.
        let files = try scratch.filesOnDisk()
        #expect(files.keys.contains("outbox.sqlite-wal"), "the WAL is checked too")
        for (name, bytes) in files {
            for marker in markers {
                #expect(bytes.range(of: Data(marker.utf8)) == nil, "\(marker) in clear in \(name)")
            }
            var info = stat()
            stat(scratch.directory + "/" + name, &info)
            #expect(info.st_mode & 0o077 == 0, "\(name) has mode \(String(info.st_mode & 0o777, radix: 8))")
        }
        #expect(files.keys.allSatisfy { $0.hasPrefix("outbox.sqlite") }, "no other file: \(files.keys.sorted())")
    }

    @Test func aWrongKeyFailsLoudlyAndChangesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let id = SubmissionID()
        do {
            let outbox = try scratch.open()
            try outbox.enqueue(id: id, body: Self.body(id))
            try outbox.close()
        }
        let before = try scratch.filesOnDisk()["outbox.sqlite"]
        let other = try OutboxKey.create(at: scratch.directory + "/other.key")
        try FileManager.default.removeItem(atPath: scratch.directory + "/other.key")
        #expect(throws: OutboxError.wrongKey(database: scratch.database)) {
            _ = try OutboxDatabase(path: scratch.database, key: other)
        }
        #expect(try scratch.filesOnDisk()["outbox.sqlite"] == before, "a wrong key writes nothing to the database")
        #expect(try scratch.open().entries().map(\.id) == [id])
    }

    @Test func keyFilesAreCheckedBeforeUse() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.directory + "/outbox.key"
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try OutboxKey.load(from: .file(path)).fingerprint == scratch.key.fingerprint)
        #expect(throws: OutboxError.keyExists(path)) { _ = try OutboxKey.create(at: path) }
        #expect(throws: OutboxError.keyMissing(scratch.directory + "/none.key")) {
            _ = try OutboxKey.load(from: .file(scratch.directory + "/none.key"))
        }
        chmod(path, 0o644)
        let readable = #expect(throws: OutboxError.self) { _ = try OutboxKey.load(from: .file(path)) }
        #expect(readable?.description.contains("chmod 600") == true)
        chmod(path, 0o600)
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        let malformed = #expect(throws: OutboxError.self) { _ = try OutboxKey.load(from: .file(path)) }
        #expect(malformed?.description.contains("base64") == true)
        let noCredentials = OutboxKeySource.configured(keyFile: nil, keyCredential: "outbox.key", environment: [:])
        let credential = #expect(throws: OutboxError.self) { _ = try OutboxKey.load(from: noCredentials) }
        #expect(credential?.description.contains("CREDENTIALS_DIRECTORY") == true)
        let withCredentials = OutboxKeySource.configured(
            keyFile: nil, keyCredential: "outbox.key", environment: ["CREDENTIALS_DIRECTORY": scratch.directory])
        #expect(withCredentials == .credential(name: "outbox.key", directory: scratch.directory))
    }

    @Test func aFullQueueRefusesNewSubmissionsAndKeepsTheOthers() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outbox = try scratch.open(OutboxLimits(maxSubmissions: 3, minFreeBytes: 0))
        for _ in 0..<3 {
            let id = SubmissionID()
            try outbox.enqueue(id: id, body: Self.body(id))
        }
        let id = SubmissionID()
        let error = #expect(throws: OutboxError.queueFull(limit: 3)) { try outbox.enqueue(id: id, body: Self.body(id)) }
        #expect(error?.description.contains("3") == true)
        #expect(try outbox.entries().count == 3)
        #expect(try outbox.integrityCheck() == ["ok"])
        let nearlyFull = try scratch.open(OutboxLimits(maxSubmissions: 10, minFreeBytes: Int64.max / 8))
        #expect(throws: OutboxError.self) { try nearlyFull.enqueue(id: id, body: Self.body(id)) }
        #expect(try nearlyFull.entries().count == 3, "refused for disk space before writing")
    }

    /// A real full file system (a 1 MiB tmpfs, so root only): SQLite's own SQLITE_FULL path.
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aFullDiskRefusesCleanlyAndCorruptsNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let mount = scratch.directory + "/small"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let mounted = Process()
        mounted.executableURL = URL(fileURLWithPath: "/bin/mount")
        mounted.arguments = ["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mount]
        try mounted.run()
        mounted.waitUntilExit()
        try #require(mounted.terminationStatus == 0, "mount -t tmpfs failed")
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [mount]
            try? unmount.run()
            unmount.waitUntilExit()
        }
        var accepted: [SubmissionID] = []
        var refusal: OutboxError?
        do {
            let outbox = try OutboxDatabase(path: mount + "/outbox.sqlite", key: scratch.key, limits: OutboxLimits(minFreeBytes: 0))
            while refusal == nil && accepted.count < 5000 {
                let id = SubmissionID()
                do {
                    try outbox.enqueue(id: id, body: Self.body(id, marker: String(repeating: "x", count: 2000)))
                    accepted.append(id)
                } catch {
                    refusal = error
                }
            }
            try outbox.close()
        }
        guard case .diskFull = try #require(refusal) else {
            Issue.record("expected diskFull, got \(String(describing: refusal))")
            return
        }
        // Everything accepted is still there, whole, once space is back.
        let outbox = try OutboxDatabase(path: mount + "/outbox.sqlite", key: scratch.key, limits: OutboxLimits(minFreeBytes: 0))
        #expect(try outbox.integrityCheck() == ["ok"])
        #expect(Set(try outbox.entries().map(\.id)) == Set(accepted))
        for id in accepted { #expect(try Self.json(outbox.payload(id))["id"] as? String == id.description) }
        try outbox.close()
    }

    /// Every schema version has a snapshot (`Tests/Fixtures/outbox-schemas/<version>.sql`,
    /// written by that version with `fixture.key`), and each opens and upgrades to the
    /// current schema with its submissions intact.
    @Test func everyEarlierSchemaUpgradesWithItsSubmissions() throws {
        let fixtures = ServicesEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/outbox-schemas").path
        let key = try OutboxKey.parse(
            Data(contentsOf: URL(fileURLWithPath: fixtures + "/fixture.key")), path: fixtures + "/fixture.key")
        for version in OutboxDatabase.schemaVersions {
            let scratch = try Scratch()
            defer { scratch.remove() }
            let sql = try String(contentsOfFile: fixtures + "/\(version).sql", encoding: .utf8)
            let queue = try DatabaseQueue(path: scratch.database)
            try queue.writeWithoutTransaction { try $0.execute(sql: sql) }
            try queue.close()
            let expected = try String(contentsOfFile: fixtures + "/\(version).ids", encoding: .utf8)
                .split(separator: "\n").compactMap { SubmissionID(String($0)) }

            let outbox = try OutboxDatabase(path: scratch.database, key: key)
            #expect(try outbox.appliedMigrations() == OutboxDatabase.schemaVersions, "\(version) upgrades fully")
            #expect(try outbox.entries().map(\.id) == expected, "\(version) keeps its submissions")
            for id in expected { #expect(try Self.json(outbox.payload(id))["id"] as? String == id.description) }
            #expect(try outbox.integrityCheck() == ["ok"])
            let id = SubmissionID()
            try outbox.enqueue(id: id, body: Self.body(id))
        }
    }
}
