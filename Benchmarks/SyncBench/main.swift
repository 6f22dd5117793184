// madoguchi-sync-bench: the sync side of `make bench` (Benchmarks/run starts the receiver).
//
//   madoguchi-sync-bench drain DIR URL TOKEN N   N submissions enqueued in a new outbox in
//                                                DIR (not timed), then SyncWorker.drain()
//                                                with 16 in flight until the outbox is
//                                                empty (timed)
//   madoguchi-sync-bench ingest URL TOKEN N      N distinct submissions POSTed straight to
//                                                the receiver, 8 at a time (no outbox)
//
// Prints one line: "seconds per_second". Bodies are the fictional okuyami example.
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Outbox
import OutboxStore
import Sync

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("madoguchi-sync-bench: \(message)\n".utf8))
    exit(1)
}

func body(_ id: SubmissionID) -> Data {
    Data("""
        {"schemaVersion":1,"id":"\(id)","kioskId":"kasumi-honcho-01","madoguchiVersion":"0.1.0",
        "form":{"id":"okuyami","version":1},"createdAt":"2026-01-09T10:15:30+09:00",
        "identity":{"name":"見本 太郎","address":"東京都千代田区霞が関一丁目1番1号","birth":"19750112",
        "birthDate":"1975-01-12","birthWareki":"昭和50年1月12日","sex":{"code":"1","meaning":{"ja":"男","en":"male"}}},
        "answers":{"deceasedName":"見本 一郎","dateOfDeath":"2026-01-05","insurance":"kokuho"},
        "outcome":{"form":"okuyami","version":1,"mode":"staff","procedures":[
        {"id":"nationalHealthInsuranceLoss","result":"applies","dueDate":"2026-01-18","documents":[]}],
        "computed":{"deceasedAge":77},"print":["okuyami-checklist"]}}
        """.utf8)
}

let arguments = CommandLine.arguments
let start: ContinuousClock.Instant
var count = 0
switch (arguments.count, arguments.dropFirst().first) {
case (6, "drain"):
    let directory = arguments[2]
    guard let n = Int(arguments[5]), n > 0 else { fail("N must be a positive number") }
    count = n
    for name in ["outbox.key", "outbox.sqlite", "outbox.sqlite-wal", "outbox.sqlite-shm"] {
        try? FileManager.default.removeItem(atPath: directory + "/" + name)
    }
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let outbox: OutboxDatabase
    do {
        outbox = try OutboxDatabase(
            path: directory + "/outbox.sqlite", key: try OutboxKey.create(at: directory + "/outbox.key"),
            limits: OutboxLimits(maxSubmissions: 1_000_000, minFreeBytes: 0))
        for _ in 0..<n {
            let id = SubmissionID()
            try outbox.enqueue(id: id, body: body(id))
            try outbox.recordPrint(id, PrintRecord(outcome: .confirmed, sheets: 1))
        }
    } catch {
        fail("\(error)")
    }
    // The worker's own client configuration, as the daemon makes it.
    let settings = SyncSettings(baseURL: arguments[3], credential: .bearer(arguments[4]), requestSeconds: 30, concurrency: 16)
    let client: HTTPClient
    do {
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: try settings.clientConfiguration())
    } catch {
        fail("\(error)")
    }
    let worker = SyncWorker(
        outbox: outbox, settings: settings, client: client, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
    start = ContinuousClock.now
    var passes = 0
    while (try? outbox.status().waiting) ?? 0 > 0 {
        let report = await worker.drain()
        passes += 1
        if report.paused || report.deadLettered > 0 || passes > 1000 { fail("the receiver refused submissions: \(report)") }
    }
case (5, "ingest"):
    guard let n = Int(arguments[4]), n > 0 else { fail("N must be a positive number") }
    count = n
    let url = arguments[2] + Sync.submissionsPath
    let token = arguments[3]
    let bodies = (0..<n).map { _ -> (SubmissionID, Data) in
        let id = SubmissionID()
        return (id, SubmissionBody.withPrint(body(id), PrintRecord(outcome: .confirmed, sheets: 1)))
    }
    start = ContinuousClock.now
    await withTaskGroup(of: Void.self) { group in
        var iterator = bodies.makeIterator()
        func post(_ id: SubmissionID, _ data: Data) async {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Idempotency-Key", value: id.description)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.body = .bytes(ByteBuffer(bytes: [UInt8](data)))
            guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(30)),
                response.status.code == 201
            else { fail("a submission was not created") }
            _ = try? await response.body.collect(upTo: 1 << 16)
        }
        for _ in 0..<8 {
            guard let (id, data) = iterator.next() else { break }
            group.addTask { await post(id, data) }
        }
        while await group.next() != nil {
            if let (id, data) = iterator.next() { group.addTask { await post(id, data) } }
        }
    }
default:
    FileHandle.standardError.write(Data("usage: madoguchi-sync-bench drain DIR URL TOKEN N | ingest URL TOKEN N\n".utf8))
    exit(2)
}
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(String(format: "%.3f %.0f", seconds, Double(count) / seconds))
