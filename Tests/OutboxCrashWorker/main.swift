// outbox-crash-worker — drives a real outbox for the crash and durability tests
// (Tests/IntegrationTests/OutboxDurabilityTests.swift); not installed.
//
//   outbox-crash-worker DIR churn SEED   enqueue and move submissions through every state
//                                         until killed
//   outbox-crash-worker DIR enqueue N    enqueue N submissions, then exit
//   outbox-crash-worker DIR deliver N    N times: enqueue one, record its print, begin its
//                                         delivery (`S`) and acknowledge it
//
// DIR holds outbox.key (made by the test) and outbox.sqlite. After each operation has
// returned, one line goes to standard output with a single write(2), so a SIGKILL never
// leaves half a line: `E <id>` enqueued, `P <id>` print recorded, `A <id>` acknowledged
// (deleted), `a <id>` about to acknowledge (it may or may not be deleted when killed),
// `D <id>` dead-lettered, `S <id>` being sent. A body's `answers.echo` repeats its id, so the test
// can tell a whole body from a damaged one.
import Foundation
import Outbox
import OutboxStore

#if canImport(Glibc)
import Glibc
#endif

func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
}

func body(_ id: SubmissionID) -> Data {
    Data(#"{"schemaVersion":1,"id":"\#(id)","form":{"id":"crash","version":1},"answers":{"echo":"\#(id)"}}"#.utf8)
}

/// A small deterministic generator, so a failing cycle can be replayed from its seed.
struct SplitMix {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let number = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: outbox-crash-worker DIR churn SEED | DIR enqueue N | DIR deliver N\n".utf8))
    exit(2)
}
let directory = arguments[1]
do {
    let key = try OutboxKey.load(from: .file(directory + "/outbox.key"))
    let outbox = try OutboxDatabase(
        path: directory + "/outbox.sqlite", key: key, limits: OutboxLimits(maxSubmissions: 1_000_000, minFreeBytes: 0))
    switch arguments[2] {
    case "enqueue":
        for _ in 0..<number {
            let id = SubmissionID()
            try outbox.enqueue(id: id, body: body(id))
            say("E \(id)")
        }
    case "deliver":
        for _ in 0..<number {
            let id = SubmissionID()
            try outbox.enqueue(id: id, body: body(id))
            say("E \(id)")
            try outbox.recordPrint(id, PrintRecord(outcome: .confirmed, sheets: 1))
            say("P \(id)")
            _ = try outbox.beginDelivery([id])
            say("S \(id)")
            try outbox.acknowledge([id])
            say("A \(id)")
        }
    case "churn":
        var random = SplitMix(state: UInt64(number))
        try outbox.recoverAfterRestart()
        while true {
            let id = SubmissionID()
            try outbox.enqueue(id: id, body: body(id))
            say("E \(id)")
            let outcomes = PrintRecord.Outcome.allCases
            try outbox.recordPrint(id, PrintRecord(outcome: outcomes[random.next(outcomes.count)], sheets: random.next(3)))
            say("P \(id)")
            for entry in try outbox.due(limit: 3) {
                _ = try outbox.beginDelivery(entry.id)
                switch random.next(4) {
                case 0, 1:
                    say("a \(entry.id)")
                    try outbox.acknowledge(entry.id)
                    say("A \(entry.id)")
                case 2:
                    try outbox.scheduleRetry(entry.id, at: Date(), status: 503, problem: "503 from the back office")
                default:
                    try outbox.deadLetter(entry.id, status: 422, problem: "422 schema")
                    say("D \(entry.id)")
                    if random.next(2) == 0 { try outbox.retry(entry.id) }
                }
            }
        }
    default:
        FileHandle.standardError.write(Data("unknown mode \(arguments[2])\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
