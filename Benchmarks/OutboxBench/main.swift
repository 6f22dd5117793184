// madoguchi-outbox-bench: the outbox's side of the outbox benchmark (Benchmarks/run prints
// it beside the C reference, Benchmarks/outbox/reference.c, measured in the same run).
//
//   madoguchi-outbox-bench DIR N   a new key and outbox in DIR (old files removed), then N
//                                  x OutboxDatabase.enqueue of one okuyami submission, each
//                                  with a fresh id: the JSON check, the AES-256-GCM seal and
//                                  the fsynced WAL commit (synchronous=FULL)
//
// Prints one line: "p50_ms p99_ms sealed_bytes" (the latency of one enqueue, and the size
// of its sealed payload, body + 12-byte nonce + 16-byte tag, for the C reference's blob).
import Foundation
import Outbox
import OutboxStore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("madoguchi-outbox-bench: \(message)\n".utf8))
    exit(1)
}

/// The okuyami staff example (schemas/examples/submission/valid/okuyami-staff.json) without
/// its `print` member, which the outbox records later; its data is fictional.
func body(_ id: SubmissionID) -> Data {
    Data("""
        {"schemaVersion":1,"id":"\(id)","kioskId":"kasumi-honcho-01","madoguchiVersion":"0.1.0",
        "form":{"id":"okuyami","version":1},"createdAt":"2026-01-09T10:15:30+09:00",
        "identity":{"name":"見本 太郎","address":"東京都千代田区霞が関一丁目1番1号","birth":"19750112",
        "birthDate":"1975-01-12","birthWareki":"昭和50年1月12日","sex":{"code":"1","meaning":{"ja":"男","en":"male"}}},
        "answers":{"applicant":{"addressChanged":true,"newAddress":"東京都千代田区霞が関二丁目2番2号"},
        "deceasedName":"見本 一郎","dateOfDeath":"2026-01-05","deceasedBirthDate":"1948-02-10",
        "deceasedWasHead":false,"insurance":"kokuho","funeralHeld":false,
        "benefits":["pension","disabilityCertificate"],"heirs":[],"pensionKind":"kokumin","ownsRealEstate":true},
        "outcome":{"form":"okuyami","version":1,"mode":"staff","procedures":[
        {"id":"headOfHouseholdChange","result":"doesNotApply","documents":[]},
        {"id":"nationalHealthInsuranceLoss","result":"applies","dueDate":"2026-01-18","documents":[]},
        {"id":"lateStageElderlyLoss","result":"doesNotApply","documents":[]},
        {"id":"funeralExpenses","result":"doesNotApply","documents":[]},
        {"id":"longTermCareLoss","result":"applies","dueDate":"2026-01-18","documents":[]},
        {"id":"pensionDeathReport","result":"applies","dueDate":"2026-01-18","documents":[]},
        {"id":"fixedAssetHeirRepresentative","result":"applies","documents":[]}],
        "computed":{"deceasedAge":77,"headChangeNeeded":false,"spouseSurvives":false},"print":["okuyami-checklist"]}}
        """.utf8)
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[2]), count > 0 else {
    FileHandle.standardError.write(Data("usage: madoguchi-outbox-bench DIR N\n".utf8))
    exit(2)
}
let directory = arguments[1]
let keyPath = directory + "/outbox.key"
let databasePath = directory + "/outbox.sqlite"
for path in [keyPath, databasePath, databasePath + "-wal", databasePath + "-shm"] {
    try? FileManager.default.removeItem(atPath: path)
}

do {
    let key = try OutboxKey.create(at: keyPath)
    let outbox = try OutboxDatabase(
        path: databasePath, key: key, limits: OutboxLimits(maxSubmissions: 1_000_000, minFreeBytes: 0))
    defer { try? outbox.close() }
    func enqueue() throws(OutboxError) -> Duration {
        let id = SubmissionID()
        let submission = body(id)
        let start = ContinuousClock.now
        try outbox.enqueue(id: id, body: submission, now: Date())
        return ContinuousClock.now - start
    }
    for _ in 0..<20 { _ = try enqueue() }  // warm up: caches, the WAL file, the B-tree pages
    var samples: [Double] = []
    for _ in 0..<count {
        let elapsed = try enqueue()
        samples.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15)
    }
    samples.sort()
    // The same percentile rule as the C reference: the sample at index floor(q * n).
    let p50 = samples[count / 2]
    let p99 = samples[min(count * 99 / 100, count - 1)]
    let sealedBytes = body(SubmissionID()).count + 28
    print(String(format: "%.3f %.3f", p50, p99) + " \(sealedBytes)")
} catch {
    fail("\(error)")
}
