import AsyncHTTPClient
import Foundation
import Contracts
import GRDB
import Logging
import MadoguchiConfig
import NIOCore
import NIOHTTP1
import Outbox
import OutboxStore
import Sync
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A program that prints "listening on …" once ready (the receiver, the fault proxy), killed
/// by `stop()`.
final class ListeningProcess: @unchecked Sendable {
    let process: Process
    /// The words after "listening on".
    let announced: [String]

    init(_ executable: String, _ arguments: [String]) async throws {
        let output = Pipe()
        // Standard error goes to a file, read only when the program fails to start: a pipe
        // would need a reader for as long as the program runs.
        let errorPath = NSTemporaryDirectory() + "listening-\(UUID().uuidString).err"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer { try? error.close() }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The announcement, skipping anything printed before it (at most 50 lines).
        let line = try await Task.detached {
            for _ in 0..<50 {
                var bytes: [UInt8] = []
                while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != 10 { bytes.append(byte) }
                let line = String(decoding: bytes, as: UTF8.self)
                if line.hasPrefix("listening on ") || bytes.isEmpty { return line }
            }
            return ""
        }.value
        guard line.hasPrefix("listening on ") else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let problem = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw SyncTests.Failure("\(executable) did not start: \(line) \(problem)")
        }
        announced = line.dropFirst("listening on ".count).split(separator: " ").map(String.init)
    }

    func stop(signal: Int32 = SIGKILL) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    deinit { stop(signal: SIGKILL) }
}

/// The reference receiver on a free port, with a scratch database (a SQLite file, or a
/// PostgreSQL database) and one kiosk token.
struct Receiver {
    static let token = "test-token-kasumi-honcho-01"
    let directory: String
    /// The PostgreSQL database, or nil for the SQLite file in `directory`.
    let postgres: PostgresDatabase?
    var server: ListeningProcess
    var port: Int

    var database: String { postgres?.url ?? directory + "/backoffice.sqlite" }
    var url: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Extra `serve` options (TLS).
    let options: [String]
    /// http, or https when `options` set up TLS.
    let scheme: String

    init(directory: String, port: Int = 0, postgres: PostgresDatabase? = nil, options: [String] = []) async throws {
        self.directory = directory
        self.postgres = postgres
        self.options = options
        scheme = options.contains("--tls-certificate") ? "https" : "http"
        let tokens = directory + "/tokens"
        if !FileManager.default.fileExists(atPath: tokens) {
            try "kasumi-honcho-01 \(Self.digest(Self.token))\nminato-shisho-02 \(Self.digest("other-kiosk-token"))\n"
                .write(toFile: tokens, atomically: true, encoding: .utf8)
        }
        server = try await ListeningProcess(
            ProgramRunner.binDirectory.appendingPathComponent("madoguchi-backoffice").path,
            [
                "serve", "--port", "\(port)", "--database", postgres?.url ?? directory + "/backoffice.sqlite", "--tokens", tokens,
                "--schemas", ServicesEnvironment.packageRoot.path + "/schemas",
            ] + options)
        self.port = try #require(server.announced.first?.split(separator: ":").last.flatMap { Int($0) })
    }

    /// Stops and starts the receiver on the same port and database.
    mutating func restart() async throws {
        server.stop()
        server = try await Receiver(directory: directory, port: port, postgres: postgres, options: options).server
    }

    /// POSTs `body` as submission `id` with the kiosk's token; the status and the answer.
    func post(_ id: SubmissionID, _ body: Data) async throws -> (status: Int, text: String) {
        var request = HTTPClientRequest(url: url + "/v1/submissions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        request.headers.add(name: "Idempotency-Key", value: id.description)
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 16)))
    }

    static func digest(_ token: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(Data(token.utf8))
        try? input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }

    /// Every id the receiver stored, and how many rows (equal when nothing is duplicated).
    func stored() throws -> (ids: Set<String>, rows: Int) {
        if let postgres {
            let ids = try postgres.psql("SELECT id FROM madoguchi_submission").split(separator: "\n").map(String.init)
            return (Set(ids), ids.count)
        }
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        return try queue.read { db in
            (Set(try String.fetchAll(db, sql: "SELECT id FROM submission")), try Int.fetchOne(db, sql: "SELECT count(*) FROM submission") ?? 0)
        }
    }
}

/// A new, empty database on the test PostgreSQL server (scripts/services), dropped by `drop()`.
struct PostgresDatabase: Sendable {
    /// postgres://madoguchi:…@127.0.0.1:PORT/NAME
    let url: String
    let name: String
    /// The services' own database, from which test databases are made and dropped.
    let serverURL: String

    init() throws {
        serverURL = try ServicesEnvironment.load().require("MADOGUCHI_TEST_POSTGRES_URL")
        name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        url = String(serverURL[..<serverURL.lastIndex(of: "/")!]) + "/" + name
        _ = try Self.psql(serverURL, "CREATE DATABASE \(name)")
    }

    func drop() {
        _ = try? Self.psql(serverURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs one SQL command in this database; its rows, unaligned, one per line.
    func psql(_ sql: String) throws -> String { try Self.psql(url, sql) }

    static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SyncTests.Failure("psql failed (exit \(process.terminationStatus)): \(sql)") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The fault proxy (scripts/lib/fault-proxy.py) in front of a receiver.
struct FaultProxy {
    let server: ListeningProcess
    let port: Int
    let control: Int

    var url: String { "http://127.0.0.1:\(port)" }

    init(upstream: Int) async throws {
        server = try await ListeningProcess(
            "/usr/bin/python3", [ServicesEnvironment.packageRoot.path + "/scripts/lib/fault-proxy.py", "\(upstream)"])
        port = try #require(Int(server.announced.first ?? ""))
        control = try #require(Int(server.announced.last ?? ""))
    }

    @discardableResult
    func command(_ path: String, _ body: String = "", method: HTTPMethod = .POST) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(control)\(path)")
        request.method = method
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let data = Data(try await response.body.collect(upTo: 1 << 16).readableBytesView)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    func plan(_ faults: [String]) async throws {
        try await command("/plan", String(decoding: try JSONSerialization.data(withJSONObject: faults), as: UTF8.self))
    }
}

/// Log lines, kept to prove no personal data reaches them.
final class CollectedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var text: String { lock.withLock { lines.joined(separator: "\n") } }

    func logger() -> Logger {
        Logger(label: "sync-test") { _ in CollectingHandler(log: self) }
    }

    struct CollectingHandler: LogHandler {
        let log: CollectedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.append("\(event.level) \(event.message) \(event.metadata ?? [:])")
        }
    }
}

/// The sync worker against the real reference receiver, directly and through a proxy that
/// injects faults. After every scenario: nothing lost, nothing duplicated at the receiver.
@Suite("Sync to the back office", .serialized)
struct SyncTests {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// A scratch folder with an outbox and a receiver.
    struct Bench {
        let scratch: OutboxTests.Scratch
        let outbox: OutboxDatabase
        var receiver: Receiver
        let pki: TestPKI?
        let log = CollectedLog()

        /// With `tls`, a test PKI in the scratch folder, and the receiver serves HTTPS and
        /// requires the kiosk CA's client certificates.
        init(postgres: PostgresDatabase? = nil, tls: Bool = false) async throws {
            scratch = try OutboxTests.Scratch()
            outbox = try scratch.open()
            pki = tls ? try TestPKI(directory: scratch.directory) : nil
            receiver = try await Receiver(directory: scratch.directory, postgres: postgres, options: pki?.receiverOptions ?? [])
        }

        /// `count` valid submissions of the fictional resident, print results recorded.
        func enqueue(_ count: Int, kiosk: String = "kasumi-honcho-01") throws -> [SubmissionID] {
            try (0..<count).map { _ in
                let id = SubmissionID()
                try outbox.enqueue(id: id, body: SyncTests.body(id, kiosk: kiosk))
                try outbox.recordPrint(id, PrintRecord(outcome: .confirmed, sheets: 1))
                return id
            }
        }

        /// A worker on the shared HTTP client (a client of its own would need an async
        /// shutdown that a failing test could skip); timeouts are per request anyway.
        func worker(url: String, token: String = Receiver.token, timeout: Double = 5, concurrency: Int = 4) -> SyncWorker {
            let settings = SyncSettings(
                baseURL: url, credential: .bearer(token), backoff: Backoff(initialSeconds: 0.05, maximumSeconds: 0.2),
                requestSeconds: timeout, concurrency: concurrency)
            return SyncWorker(outbox: outbox, settings: settings, client: HTTPClient.shared, logger: log.logger())
        }

        /// Drains until the outbox is empty or `seconds` pass; returns the reports.
        func drainAll(_ worker: SyncWorker, seconds: Double = 30) async throws -> [DrainReport] {
            var reports: [DrainReport] = []
            let deadline = Date().addingTimeInterval(seconds)
            while try outbox.status().waiting > 0 && Date() < deadline {
                reports.append(await worker.drain())
                try await Task.sleep(for: .milliseconds(50))
            }
            return reports
        }

        /// Nothing lost, nothing duplicated, nothing personal in the log.
        func expectDeliveredExactlyOnce(_ ids: [SubmissionID]) throws {
            let stored = try receiver.stored()
            #expect(stored.rows == stored.ids.count, "a submission was stored twice")
            #expect(Set(ids.map(\.description)).isSubset(of: stored.ids), "lost: \(Set(ids.map(\.description)).subtracting(stored.ids))")
            #expect(try outbox.status().waiting == 0)
            for text in ["見本", "霞が関", "19750112", Receiver.token] {
                #expect(!log.text.contains(text), "the log holds \(text)")
            }
        }

        func remove() {
            receiver.server.stop()
            receiver.postgres?.drop()
            try? outbox.close()
            scratch.remove()
        }
    }

    /// The shipped valid example with a new id and without `print` (the outbox adds it).
    static func body(_ id: SubmissionID, kiosk: String = "kasumi-honcho-01") throws -> Data {
        let path = ServicesEnvironment.packageRoot.path + "/schemas/examples/submission/valid/okuyami-staff.json"
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        object["id"] = id.description
        object["kioskId"] = kiosk
        object.removeValue(forKey: "print")
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    @Test func aQueueDrainsToTheReceiverOnceEvenWhenATryIsRepeatedAfterACrash() async throws {
        let bench = try await Bench()
        defer { bench.remove() }
        let ids = try bench.enqueue(20)
        // A crash after sending and before the acknowledgement was recorded: the restart puts
        // it back to waiting, and it is sent again with the same id and bytes.
        let early = ids[0]
        let worker = bench.worker(url: bench.receiver.url)
        var report = await worker.drain()
        #expect(report.acknowledged == 20 && report.retried == 0 && !report.paused)
        try bench.expectDeliveredExactlyOnce(ids)

        let again = try bench.enqueue(1)[0]
        _ = try bench.outbox.beginDelivery(again)
        #expect(try await bench.receiver.post(again, try bench.outbox.payload(again)).status == 201)
        try bench.outbox.recoverAfterRestart()
        report = await worker.drain()
        #expect(report.acknowledged == 1)
        try bench.expectDeliveredExactlyOnce(ids + [again, early])
    }

    @Test func dropsResetsTimeoutsAndServerErrorsThroughAProxyLoseAndDuplicateNothing() async throws {
        let bench = try await Bench()
        defer { bench.remove() }
        let proxy = try await FaultProxy(upstream: bench.receiver.port)
        defer { proxy.server.stop() }
        try await proxy.plan([
            "drop-request", "reset-mid-body", "delay-response:2", "drop-response", "status:500", "status:503:1",
            "status:408", "status:429", "pass", "drop-response",
        ])
        let ids = try bench.enqueue(12)
        let worker = bench.worker(url: proxy.url, timeout: 1)
        let reports = try await bench.drainAll(worker)
        #expect(reports.reduce(0) { $0 + $1.acknowledged } == 12)
        #expect(reports.reduce(0) { $0 + $1.retried } >= 9)
        #expect(reports.allSatisfy { $0.deadLettered == 0 && !$0.paused })
        #expect(reports.contains { $0.networkDown })
        try bench.expectDeliveredExactlyOnce(ids)
        let stats = try await proxy.command("/stats", method: .GET)
        #expect((stats["faults"] as? [String: Int])?["status"] == 4)
    }

    @Test func retryAfterFromTheBackOfficeIsHonoured() async throws {
        let bench = try await Bench()
        defer { bench.remove() }
        let proxy = try await FaultProxy(upstream: bench.receiver.port)
        defer { proxy.server.stop() }
        try await proxy.plan(["status:503:30"])
        let id = try bench.enqueue(1)[0]
        let worker = bench.worker(url: proxy.url)
        let before = Date()
        let report = await worker.drain()
        #expect(report.retried == 1)
        let entry = try #require(try bench.outbox.entries().first { $0.id == id })
        #expect(entry.lastStatus == 503 && entry.lastError?.hasPrefix("503 receiver trouble") == true)
        #expect((entry.nextAttemptAt?.timeIntervalSince(before) ?? 0) >= 29)
        #expect(try bench.outbox.status().nextAttemptAt != nil)
    }

    @Test func aRefusedCredentialPausesTheWholeQueueAndDeadLettersNothing() async throws {
        let bench = try await Bench()
        defer { bench.remove() }
        let ids = try bench.enqueue(5)
        let wrong = bench.worker(url: bench.receiver.url, token: "not-a-known-token", concurrency: 1)
        let report = await wrong.drain()
        #expect(report.paused && report.acknowledged == 0 && report.deadLettered == 0)
        let status = try bench.outbox.status()
        #expect(status.paused?.reason.hasPrefix("401 credential missing or invalid") == true)
        #expect(status.waiting == 5 && status.deadLetters == 0 && status.delivering == 0)
        #expect(try bench.outbox.due().isEmpty)

        // Another kiosk's token for this kiosk's submissions: 403, paused too.
        try bench.outbox.resume()
        let other = bench.worker(url: bench.receiver.url, token: "other-kiosk-token", concurrency: 1)
        #expect(await other.drain().paused)
        #expect(try bench.outbox.status().paused?.reason.hasPrefix("403") == true)

        // Staff fix the token and resume (madoguchi queue retry --all): everything goes.
        try bench.outbox.retry()
        let right = bench.worker(url: bench.receiver.url)
        #expect(await right.drain().acknowledged == 5)
        try bench.expectDeliveredExactlyOnce(ids)
    }

    @Test func aSubmissionTheReceiverRefusesIsDeadLetteredAndTheOthersGo() async throws {
        let bench = try await Bench()
        defer { bench.remove() }
        let good = try bench.enqueue(3)
        // Valid for the outbox, but its sex code is not one the schema allows: 422.
        let bad = SubmissionID()
        var object = try #require(try JSONSerialization.jsonObject(with: SyncTests.body(bad)) as? [String: Any])
        var identity = try #require(object["identity"] as? [String: Any])
        identity["sex"] = ["code": "7", "meaning": ["ja": "?", "en": "?"]]
        object["identity"] = identity
        try bench.outbox.enqueue(id: bad, body: try JSONSerialization.data(withJSONObject: object))
        try bench.outbox.recordPrint(bad, PrintRecord(outcome: .confirmed, sheets: 1))
        let proxy = try await FaultProxy(upstream: bench.receiver.port)
        defer { proxy.server.stop() }
        try await proxy.plan(["pass", "pass", "pass", "pass", "status:400"])
        let extra = try bench.enqueue(1)
        let worker = bench.worker(url: proxy.url, concurrency: 1)
        let report = await worker.drain()
        #expect(report.acknowledged == 3 && report.deadLettered == 2 && !report.paused)
        let dead = try bench.outbox.entries().filter { $0.state == .deadLetter }
        #expect(Set(dead.map(\.id)) == [bad, extra[0]])
        #expect(dead.first { $0.id == bad }?.lastError == "422 refused by the receiver's checks (schema)")
        #expect(dead.first { $0.id == extra[0] }?.lastStatus == 400)
        let stored = try bench.receiver.stored()
        #expect(stored.ids == Set(good.map(\.description)))
    }

    @Test func theNetworkGoneForAWhileAndBackLosesNothing() async throws {
        let bench = try await Bench()
        defer { bench.remove() }
        let proxy = try await FaultProxy(upstream: bench.receiver.port)
        defer { proxy.server.stop() }
        let ids = try bench.enqueue(10)
        try await proxy.command("/down")
        let worker = bench.worker(url: proxy.url)
        // The first failures stop the pass: the rest of the queue is not hammered.
        let offline = await worker.drain()
        #expect(offline.networkDown && offline.acknowledged == 0 && (1...4).contains(offline.retried))
        let tried = try bench.outbox.entries().filter { $0.attempts > 0 }
        #expect(tried.count == offline.retried && tried.allSatisfy { $0.lastError?.hasPrefix("network:") == true })
        try await proxy.command("/up")
        _ = try await bench.drainAll(worker)
        try bench.expectDeliveredExactlyOnce(ids)
    }

    @Test func theReceiverRestartedMidSyncLosesAndDuplicatesNothing() async throws {
        var bench = try await Bench()
        defer { bench.remove() }
        let ids = try bench.enqueue(200)
        let worker = bench.worker(url: bench.receiver.url, timeout: 2)
        let draining = Task { await worker.drain() }
        // Kill the receiver while submissions are in flight, then bring it back.
        while try bench.receiver.stored().rows < 20 { try await Task.sleep(for: .milliseconds(5)) }
        bench.receiver.server.stop(signal: SIGKILL)
        _ = await draining.value
        try await bench.receiver.restart()
        _ = try await bench.drainAll(worker)
        try bench.expectDeliveredExactlyOnce(ids)
    }

    @Test func theRunLoopSendsANewSubmissionWhenWoken() async throws {
        let bench = try await Bench()
        defer { bench.remove() }
        let worker = bench.worker(url: bench.receiver.url)
        let running = Task { await worker.run() }
        defer { running.cancel() }
        try await Task.sleep(for: .milliseconds(200))
        let ids = try bench.enqueue(2)
        worker.wake()
        let deadline = Date().addingTimeInterval(10)
        while try bench.outbox.status().waiting > 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try bench.expectDeliveredExactlyOnce(ids)
    }

    @Test(.enabled(if: getuid() == 0, "adding an address needs root"))
    func theNetworkComingBackWakesASleepingWorker() async throws {
        let bench = try await Bench()
        defer { bench.remove() }
        let worker = bench.worker(url: bench.receiver.url)
        let watcher = try worker.watchNetwork()
        defer { watcher.stop() }
        let running = Task { await worker.run() }
        defer { running.cancel() }
        try await Task.sleep(for: .milliseconds(200))
        // Enqueued without wake(): only the network change may start the pass.
        let ids = try bench.enqueue(1)
        #expect(try NetworkWatcherTests.ip(["addr", "add", "127.0.0.78/32", "dev", "lo"]) == 0)
        defer { _ = try? NetworkWatcherTests.ip(["addr", "del", "127.0.0.78/32", "dev", "lo"]) }
        let deadline = Date().addingTimeInterval(5)
        while try bench.outbox.status().waiting > 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try bench.expectDeliveredExactlyOnce(ids)
    }

    @Test func theReceiverAnswersEachBadRequestWithAPreciseProblemAndEchoesNoValue() async throws {
        let bench = try await Bench()
        defer { bench.remove() }
        let id = SubmissionID()
        let valid = SubmissionBody.withPrint(try SyncTests.body(id), PrintRecord(outcome: .confirmed, sheets: 1))
        func post(_ body: Data, key: String? = id.description, token: String? = Receiver.token) async throws -> (Int, [String: Any]) {
            var request = HTTPClientRequest(url: bench.receiver.url + "/v1/submissions")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            if let key { request.headers.add(name: "Idempotency-Key", value: key) }
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let data = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
            let text = String(decoding: data, as: UTF8.self)
            for secret in ["見本", "霞が関", "19750112"] { #expect(!text.contains(secret), "the answer echoes \(secret)") }
            return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
        }
        var (status, problem) = try await post(valid, token: nil)
        #expect(status == 401 && (problem["detail"] as? String)?.contains("No Authorization header") == true)
        (status, problem) = try await post(valid, key: nil)
        #expect(status == 400 && problem["title"] as? String == "Idempotency-Key missing")
        (status, problem) = try await post(valid, key: SubmissionID().description)
        #expect(status == 400 && problem["title"] as? String == "Idempotency-Key does not match the body")
        (status, problem) = try await post(Data("{\"id\": 見本".utf8))
        #expect(status == 400 && problem["type"] as? String == "https://madoguchi.example/problems/json")
        (status, problem) = try await post(Data(#"{"id":"\#(id)","a":1,}"#.utf8))
        #expect(status == 400 && (problem["detail"] as? String)?.contains("trailing comma at byte") == true)
        (status, problem) = try await post(Data(repeating: 0x20, count: (1 << 20) + 1))
        #expect(status == 413 && (problem["detail"] as? String)?.contains("1048576") == true)

        var object = try #require(try JSONSerialization.jsonObject(with: valid) as? [String: Any])
        object["schemaVersion"] = 2
        object.removeValue(forKey: "createdAt")
        (status, problem) = try await post(try JSONSerialization.data(withJSONObject: object))
        #expect(status == 422)
        let errors = try #require(problem["errors"] as? [[String: String]])
        #expect(Set(errors.compactMap { $0["at"] }).isSuperset(of: ["", "/schemaVersion"]))

        (status, problem) = try await post(valid, token: "other-kiosk-token")
        #expect(status == 403)
        (status, problem) = try await post(valid)
        #expect(status == 201 && problem["id"] as? String == id.description)
        let receivedAt = problem["receivedAt"] as? String
        (status, problem) = try await post(valid)
        #expect(status == 200 && problem["receivedAt"] as? String == receivedAt)
        var changed = try #require(try JSONSerialization.jsonObject(with: valid) as? [String: Any])
        changed["madoguchiVersion"] = "0.1.1"
        (status, problem) = try await post(try JSONSerialization.data(withJSONObject: changed))
        #expect(status == 409)
        #expect(try bench.receiver.stored().rows == 1)
    }
}

extension SyncTests {
    @Test func aReceiverDatabaseOfTheFirstLayoutIsUpgradedWithItsSubmissions() async throws {
        let scratch = try OutboxTests.Scratch()
        defer { scratch.remove() }
        let id = SubmissionID()
        let body = SubmissionBody.withPrint(try SyncTests.body(id), PrintRecord(outcome: .confirmed, sheets: 1))
        // SHA-256 of the body by sha256sum (the body is UTF-8 JSON, so the text is the bytes).
        let hex = Array(Receiver.digest(String(decoding: body, as: UTF8.self)))
        let digest = Data(stride(from: 0, to: 64, by: 2).map { UInt8(String(hex[$0...$0 + 1]), radix: 16)! })
        // The first layout (WITHOUT ROWID), as a receiver of the last release left it.
        let queue = try DatabaseQueue(path: scratch.directory + "/backoffice.sqlite")
        try await queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1');
                    CREATE TABLE submission (
                      id TEXT PRIMARY KEY NOT NULL, kioskId TEXT NOT NULL, receivedAt TEXT NOT NULL,
                      bodySha256 BLOB NOT NULL, body BLOB NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX submission_received ON submission (receivedAt, id);
                    """)
            try db.execute(
                sql: "INSERT INTO submission VALUES (?, 'kasumi-honcho-01', '2026-01-09T01:16:00.000Z', ?, ?)",
                arguments: [id.description, digest, body])
        }
        try queue.close()
        let receiver = try await Receiver(directory: scratch.directory)
        defer { receiver.server.stop() }
        let (status, receipt) = try await receiver.post(id, body)
        #expect(status == 200 && receipt.contains("2026-01-09T01:16:00.000Z"), "\(receipt)")
        #expect(try receiver.stored().rows == 1)
    }
}

/// The reference receiver on PostgreSQL, the store several receivers share.
extension SyncTests {
    @Test func twoReceiversSharingOnePostgresDatabaseStoreEachSubmissionOnce() async throws {
        let bench = try await Bench(postgres: try PostgresDatabase())
        defer { bench.remove() }
        let other = try await Receiver(directory: bench.scratch.directory, postgres: bench.receiver.postgres)
        defer { other.server.stop() }
        let ids = try bench.enqueue(100)
        let payloads = try ids.map { ($0, try bench.outbox.payload($0)) }
        // The worker sends through one receiver while the same submissions reach the other
        // (a kiosk retrying through another node of a load balancer): each id is stored once,
        // and every repeat is answered 200 with the first receipt.
        let worker = bench.worker(url: bench.receiver.url)
        async let drained = worker.drain()
        var statuses: [Int: Int] = [:]
        var receipts: [String: String] = [:]
        for (id, payload) in payloads {
            let (status, text) = try await other.post(id, payload)
            statuses[status, default: 0] += 1
            let receipt = try JSONSerialization.jsonObject(with: Data(text.utf8))
            receipts[id.description] = (receipt as? [String: Any])?["receivedAt"] as? String
        }
        let report = await drained
        #expect(report.acknowledged == 100 && report.deadLettered == 0 && !report.paused)
        #expect(Set(statuses.keys).isSubset(of: [200, 201]), "statuses: \(statuses)")
        try bench.expectDeliveredExactlyOnce(ids)
        #expect(try bench.receiver.stored().rows == 100)
        // A repeat names the time of the first arrival, whichever receiver took it.
        let stored = try bench.receiver.postgres!.psql(
            "SELECT id, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM madoguchi_submission")
        for line in stored.split(separator: "\n") {
            let parts = line.split(separator: "|").map(String.init)
            #expect(receipts[parts[0]] == parts[1])
        }
    }

    @Test func thePostgresServerRestartedMidSyncLosesAndDuplicatesNothing() async throws {
        let bench = try await Bench(postgres: try PostgresDatabase())
        defer { bench.remove() }
        let ids = try bench.enqueue(400)
        let worker = bench.worker(url: bench.receiver.url, timeout: 2)
        let draining = Task { await worker.drain() }
        while try bench.receiver.stored().rows < 20 { try await Task.sleep(for: .milliseconds(5)) }
        // A fast shutdown (SIGINT) at once while submissions are in flight: the receiver
        // answers 503 until the server is back, and the worker tries again later.
        let environment = try ServicesEnvironment.load()
        let pid = try #require(Int32(try environment.require("MADOGUCHI_TEST_POSTGRES_PID")))
        #expect(kill(pid, SIGINT) == 0)
        let interrupted = await draining.value
        try environment.services("restart", "postgres")
        #expect(interrupted.acknowledged < 400 && interrupted.retried > 0, "the restart missed the drain: \(interrupted)")
        let reports = try await bench.drainAll(worker)
        #expect(reports.allSatisfy { $0.deadLettered == 0 && !$0.paused })
        try bench.expectDeliveredExactlyOnce(ids)
        #expect(try bench.receiver.stored().rows == 400)
    }

    @Test func aReceiverWhosePostgresCannotBeUsedSaysWhyAndNeverShowsThePassword() async throws {
        let database = try PostgresDatabase()
        defer { database.drop() }
        let scratch = try OutboxTests.Scratch()
        defer { scratch.remove() }
        try "kasumi-honcho-01 \(Receiver.digest(Receiver.token))\n".write(toFile: scratch.directory + "/tokens", atomically: true, encoding: .utf8)
        func serve(_ url: String) async throws -> ProgramRunner.Result {
            try await ProgramRunner.run(
                "madoguchi-backoffice",
                ["serve", "--port", "0", "--tokens", scratch.directory + "/tokens", "--database", url,
                 "--schemas", ServicesEnvironment.packageRoot.path + "/schemas"],
                timeout: 30)
        }
        // A wrong password: the server's own reason, and the URL without its password.
        let wrong = database.url.replacingOccurrences(of: "madoguchi:", with: "madoguchi:wrong-secret-")
        var result = try await serve(wrong)
        #expect(result.status == 2)
        #expect(result.standardError.contains("postgres://madoguchi@127.0.0.1:"))
        #expect(result.standardError.contains("password authentication failed"), "\(result.standardError)")
        #expect(!result.standardError.contains("wrong-secret"))
        // The same from the environment, where `ps` does not show the password.
        result = try await ProgramRunner.run(
            "madoguchi-backoffice",
            ["serve", "--port", "0", "--tokens", scratch.directory + "/tokens", "--schemas", ServicesEnvironment.packageRoot.path + "/schemas"],
            environment: ["MADOGUCHI_BACKOFFICE_DATABASE": wrong], timeout: 30)
        #expect(result.status == 2 && result.standardError.contains("password authentication failed"), "\(result.standardError)")
        #expect(!result.standardError.contains("wrong-secret"))
        // Nothing listens there.
        result = try await serve("postgres://madoguchi:secret-pw@127.0.0.1:1/x")
        #expect(result.status == 2 && result.standardError.contains("PostgreSQL に接続できません"), "\(result.standardError)")
        #expect(!result.standardError.contains("secret-pw"))
        // Not a usable URL at all.
        for (url, reason) in [
            ("postgres://127.0.0.1/x", "names no user"), ("postgres://u:secret-pw@127.0.0.1:5432", "names no database"),
            ("postgres://u:secret-pw@h/x?sslmode=sometimes", "sslmode=sometimes"),
        ] {
            result = try await serve(url)
            #expect(result.status != 0 && result.standardError.contains(reason), "\(url): \(result.standardError)")
            #expect(!result.standardError.contains("secret-pw"))
        }
    }
}

/// A throw-away PKI made with openssl: a kiosk CA, the receiver's certificate for
/// 127.0.0.1, two kiosks' client certificates, and a stranger's from another CA.
struct TestPKI {
    let directory: String

    init(directory: String) throws {
        self.directory = directory
        let script = #"""
            set -e
            key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
            ca() { key "$1"; openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 2 -subj "/CN=$2" 2>/dev/null; }
            leaf() {  # name CA subject extensions
              key "$1"
              openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$3" 2>/dev/null
              printf '%s\n' "$4" > "$1.ext"
              openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 2 \
                -extfile "$1.ext" -out "$1.pem" 2>/dev/null
            }
            ca kiosk-ca "Madoguchi Test Kiosk CA"
            ca other-ca "Somebody Else's CA"
            leaf server kiosk-ca 127.0.0.1 "subjectAltName=IP:127.0.0.1
            extendedKeyUsage=serverAuth"
            leaf kasumi kiosk-ca kasumi-honcho-01 "extendedKeyUsage=clientAuth"
            leaf minato kiosk-ca minato-shisho-02 "extendedKeyUsage=clientAuth"
            leaf stranger other-ca kasumi-honcho-01 "extendedKeyUsage=clientAuth"
            """#
        try DiagBackofficeTests.Certificates.shell(script, in: directory)
    }

    func path(_ name: String) -> String { directory + "/" + name }

    /// `serve` options: HTTPS with the receiver's certificate, client certificates of the kiosk CA.
    var receiverOptions: [String] {
        ["--tls-certificate", path("server.pem"), "--tls-key", path("server.key"), "--client-ca", path("kiosk-ca.pem")]
    }

    func credential(_ name: String) -> SyncSettings.Credential {
        .clientCertificate(certificateFile: path(name + ".pem"), keyFile: path(name + ".key"))
    }
}

/// Mutual TLS between the worker and the receiver.
extension SyncTests {
    /// Runs `body` with a worker on an HTTP client of its own (the settings' TLS), and
    /// shuts the client down afterwards, also when `body` throws.
    static func withWorker<T>(
        _ bench: Bench, url: String, credential: SyncSettings.Credential, caFile: String,
        _ body: (SyncWorker) async throws -> T
    ) async throws -> T {
        let settings = SyncSettings(
            baseURL: url, credential: credential, caFile: caFile, backoff: Backoff(initialSeconds: 0.05, maximumSeconds: 0.2),
            requestSeconds: 5, concurrency: 2)
        return try await withWorker(bench, settings: settings, body)
    }

    static func withWorker<T>(_ bench: Bench, settings: SyncSettings, _ body: (SyncWorker) async throws -> T) async throws -> T {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: try settings.clientConfiguration())
        let worker = SyncWorker(outbox: bench.outbox, settings: settings, client: client, logger: bench.log.logger())
        do {
            let result = try await body(worker)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test func aCAFileIsTheOnlyTrustRootNotOneMoreBesideTheSystemStore() throws {
        // configuration.md: caFile means "trust only this CA bundle for the receiver".
        let pinned = try #require(
            try SyncSettings(baseURL: "https://backoffice.example", caFile: "/etc/madoguchi/backoffice-ca.pem").clientConfiguration().tlsConfiguration)
        #expect(pinned.trustRoots == .file("/etc/madoguchi/backoffice-ca.pem"))
        #expect(pinned.additionalTrustRoots.isEmpty)
        let system = try #require(try SyncSettings(baseURL: "https://backoffice.example").clientConfiguration().tlsConfiguration)
        #expect(system.trustRoots == nil || system.trustRoots == .default)
    }

    @Test func mutualTLSNamesTheKioskByItsCertificateAndTurnsAwayAStranger() async throws {
        let bench = try await Bench(tls: true)
        defer { bench.remove() }
        let pki = try #require(bench.pki)
        let url = bench.receiver.url
        let ca = pki.path("kiosk-ca.pem")
        #expect(url.hasPrefix("https://"))
        let ids = try bench.enqueue(5)

        // A certificate from another CA, with the right kiosk name: the handshake fails and
        // nothing is stored; the submission waits.
        let strange = try await Self.withWorker(bench, url: url, credential: pki.credential("stranger"), caFile: ca) { await $0.drain() }
        #expect(strange.acknowledged == 0 && strange.networkDown)
        // No certificate at all, only a bearer token: turned away the same way.
        try await Task.sleep(for: .milliseconds(300))  // past the back-off of the failed try
        let tokenOnly = try await Self.withWorker(bench, url: url, credential: .bearer(Receiver.token), caFile: ca) { await $0.drain() }
        #expect(tokenOnly.acknowledged == 0 && tokenOnly.networkDown)
        #expect(try bench.receiver.stored().rows == 0)
        let errors = try bench.outbox.entries().compactMap(\.lastError)
        #expect(errors.contains { $0.hasPrefix("network: TLS failure (TLSV1_ALERT_") }, "\(errors)")

        // Another kiosk's good certificate for this kiosk's submissions: 403, the queue pauses.
        try await Task.sleep(for: .milliseconds(300))
        let other = try await Self.withWorker(bench, url: url, credential: pki.credential("minato"), caFile: ca) { await $0.drain() }
        #expect(other.paused && other.acknowledged == 0)
        #expect(try bench.outbox.status().paused?.reason.hasPrefix("403") == true)

        // The kiosk's own certificate: everything goes, once.
        try bench.outbox.retry()
        let reports = try await Self.withWorker(bench, url: url, credential: pki.credential("kasumi"), caFile: ca) {
            try await bench.drainAll($0)
        }
        #expect(reports.reduce(0) { $0 + $1.acknowledged } == 5)
        try bench.expectDeliveredExactlyOnce(ids)
    }

    @Test func aReceiverRefusesTLSOptionsThatDoNotFitTogetherOrCannotBeRead() async throws {
        let scratch = try OutboxTests.Scratch()
        defer { scratch.remove() }
        let pki = try TestPKI(directory: scratch.directory)
        try "".write(toFile: pki.path("empty.pem"), atomically: true, encoding: .utf8)
        func serve(_ options: [String]) async throws -> ProgramRunner.Result {
            try await ProgramRunner.run(
                "madoguchi-backoffice",
                ["serve", "--port", "0", "--database", pki.path("r.sqlite"), "--schemas", ServicesEnvironment.packageRoot.path + "/schemas"]
                    + options, timeout: 30)
        }
        var result = try await serve(["--tls-certificate", pki.path("server.pem"), "--client-ca", pki.path("kiosk-ca.pem")])
        #expect(result.status != 0 && result.standardError.contains("--tls-certificate と --tls-key は一緒に"))
        result = try await serve(["--client-ca", pki.path("kiosk-ca.pem")])
        #expect(result.status != 0 && result.standardError.contains("--client-ca needs --tls-certificate"))
        result = try await serve([])
        #expect(result.status != 0 && result.standardError.contains("give --tokens, --client-ca, or both"))
        result = try await serve(["--tls-certificate", pki.path("empty.pem"), "--tls-key", pki.path("server.key"), "--client-ca", pki.path("kiosk-ca.pem")])
        #expect(result.status == 2 && result.standardError.contains("empty.pem: error: 証明書を読めません / cannot read the certificate"), "\(result.standardError)")
    }
}

/// `[backoffice]` of madoguchi.toml to a working worker.
extension SyncTests {
    static func settings(_ toml: String, environment: [String: String] = [:]) throws -> SyncSettings? {
        let backoffice = try BackofficeSettings.read(DataLoader.loadTOML(toml, file: "madoguchi.toml")).get()
        return try SyncSettings.from(backoffice, environment: environment)
    }

    @Test func aKioskConfiguredWithATokenFileDeliversAndSecretsOthersCanReadAreRefused() async throws {
        let bench = try await Bench()
        defer { bench.remove() }
        let tokenFile = bench.scratch.directory + "/backoffice.token"
        try (Receiver.token + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
        chmod(tokenFile, 0o644)
        let toml = "[backoffice]\nurl = \"\(bench.receiver.url)\"\ntokenFile = \"\(tokenFile)\"\nretryInitialSeconds = 2\n"
        #expect {
            _ = try Self.settings(toml)
        } throws: { error in
            (error as? SyncConfigurationError)?.message.en.contains("Run chmod 600 \(tokenFile)") == true
        }
        chmod(tokenFile, 0o600)
        let settings = try #require(try Self.settings(toml))
        #expect(settings.backoff == Backoff(initialSeconds: 2, maximumSeconds: 900))
        let ids = try bench.enqueue(3)
        let worker = SyncWorker(outbox: bench.outbox, settings: settings, client: HTTPClient.shared, logger: bench.log.logger())
        #expect(await worker.drain().acknowledged == 3)
        try bench.expectDeliveredExactlyOnce(ids)

        // A systemd credential wins over the file; a token of the wrong form is named, not shown.
        let credentials = bench.scratch.directory + "/credentials"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        try "not a token\n".write(toFile: credentials + "/backoffice.token", atomically: true, encoding: .utf8)
        let withCredential = toml + "tokenCredential = \"backoffice.token\"\n"
        #expect {
            _ = try Self.settings(withCredential, environment: ["CREDENTIALS_DIRECTORY": credentials])
        } throws: { error in
            let text = "\(error)"
            return text.contains(credentials + "/backoffice.token: the first line is not a token") && !text.contains("not a token\n")
        }
        // No url: nothing is sent, and that is not an error.
        #expect(try Self.settings("[kiosk]\nid = \"kasumi-honcho-01\"\n") == nil)
    }

    @Test func aVehicleConfiguredForMutualTLSDeliversWithItsCertificate() async throws {
        let bench = try await Bench(tls: true)
        defer { bench.remove() }
        let pki = try #require(bench.pki)
        chmod(pki.path("kasumi.key"), 0o600)
        let settings = try #require(
            try Self.settings(
                """
                [backoffice]
                url = "https://127.0.0.1:\(bench.receiver.port)"
                auth = "mtls"
                clientCertificate = "\(pki.path("kasumi.pem"))"
                clientKeyFile = "\(pki.path("kasumi.key"))"
                caFile = "\(pki.path("kiosk-ca.pem"))"
                """))
        let ids = try bench.enqueue(2)
        let report = try await Self.withWorker(bench, settings: settings) { await $0.drain() }
        #expect(report.acknowledged == 2)
        try bench.expectDeliveredExactlyOnce(ids)
    }
}

/// The kernel's announcement of a network change wakes the worker.
@Suite struct NetworkWatcherTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() { lock.withLock { value += 1 } }
        var count: Int { lock.withLock { value } }
    }

    static func ip(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.fileExists(atPath: "/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(.enabled(if: getuid() == 0, "adding an address needs root"))
    func anAddressAppearingWakesTheWatcher() async throws {
        let changes = Counter()
        let watcher = try NetworkWatcher(debounceSeconds: 0) { changes.increment() }
        defer { watcher.stop() }
        try await Task.sleep(for: .milliseconds(100))
        let before = changes.count
        // An address on the loopback stands in for a vehicle's modem coming back.
        #expect(try Self.ip(["addr", "add", "127.0.0.77/32", "dev", "lo"]) == 0)
        defer { _ = try? Self.ip(["addr", "del", "127.0.0.77/32", "dev", "lo"]) }
        let deadline = Date().addingTimeInterval(3)
        while changes.count == before && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(changes.count > before)
    }
}

/// Submissions that reach the receiver together share one commit (`CommitBatcher`).
extension SyncTests {
    /// Copies of one submission posted at once, with the same bytes and with other bytes,
    /// land in the same batch: each id is stored once, one copy is answered 201, every other
    /// copy of those bytes 200 with the same receipt, and every copy of other bytes 409.
    @Test(arguments: [false, true])
    func copiesArrivingTogetherAreStoredOnceWithOneReceipt(onPostgres: Bool) async throws {
        let scratch = try OutboxTests.Scratch()
        defer { scratch.remove() }
        let database = onPostgres ? try PostgresDatabase() : nil
        defer { database?.drop() }
        let receiver = try await Receiver(directory: scratch.directory, postgres: database)
        defer { receiver.server.stop() }
        let ids = (0..<20).map { _ in SubmissionID() }
        // Variant 0: the body as the kiosk sends it; variant 1: the same with another print result.
        let variants = try ids.map { id in
            let body = try SyncTests.body(id)
            return [
                SubmissionBody.withPrint(body, PrintRecord(outcome: .confirmed, sheets: 1)),
                SubmissionBody.withPrint(body, PrintRecord(outcome: .confirmed, sheets: 2)),
            ]
        }
        let answers = try await withThrowingTaskGroup(of: (index: Int, variant: Int, status: Int, receivedAt: String?).self) { group in
            for index in ids.indices {
                for variant in [0, 0, 0, 0, 1] {
                    group.addTask {
                        let (status, text) = try await receiver.post(ids[index], variants[index][variant])
                        let receipt = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                        return (index, variant, status, receipt?["receivedAt"] as? String)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for index in ids.indices {
            let mine = answers.filter { $0.index == index }
            let created = mine.filter { $0.status == 201 }
            try #require(created.count == 1, "id \(index): \(mine.map(\.status))")
            for answer in mine where answer.status != 201 {
                if answer.variant == created[0].variant {
                    #expect(answer.status == 200 && answer.receivedAt == created[0].receivedAt, "id \(index): \(answer)")
                } else {
                    #expect(answer.status == 409, "id \(index): \(answer)")
                }
            }
        }
        let stored = try receiver.stored()
        #expect(stored.rows == 20 && stored.ids == Set(ids.map(\.description)))
    }
}
