import Foundation
import Outbox
import OutboxStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a power cut or a kill must not break, proved on real processes
/// (`outbox-crash-worker`, Tests/OutboxCrashWorker) and real files.
@Suite struct OutboxDurabilityTests {
    /// Runs the worker in `directory` with `arguments`; with `killAfter` it is SIGKILLed
    /// after that many milliseconds. Returns the lines it printed.
    static func worker(_ directory: String, _ arguments: [String], killAfter: Int? = nil) throws -> [Substring] {
        // Synchronous on purpose: blocking pipe reads on the cooperative pool (2 threads on
        // a 2-core machine) would starve the sleep that is due to kill the worker.
        let output = Pipe()
        let error = Pipe()
        let process = try ProgramRunner.start("outbox-crash-worker", [directory] + arguments, output: output, error: error)
        if let killAfter {
            usleep(UInt32(killAfter * 1000))
            kill(process.processIdentifier, SIGKILL)
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let problems = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if killAfter == nil || process.terminationReason != .uncaughtSignal {
            #expect(process.terminationStatus == 0, "worker failed: \(problems)")
        }
        return text.split(separator: "\n")
    }

    /// Kills a process that enqueues, records prints, sends, acknowledges and dead-letters
    /// at random moments, 200 times, then checks that every enqueue that returned is
    /// present exactly once and whole (unless it was acknowledged), and that SQLite finds
    /// the file sound.
    @Test func killingTheWriterAtRandomLosesNoAcceptedSubmission() throws {
        let directory = NSTemporaryDirectory() + "madoguchi-crash-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = try OutboxKey.create(at: directory + "/outbox.key")

        var enqueued: [String] = []
        var acknowledged = Set<String>()
        var acknowledging = Set<String>()
        var generator = SystemRandomNumberGenerator()
        let cycles = 200
        for cycle in 0..<cycles {
            let lines = try Self.worker(
                directory, ["churn", String(cycle)], killAfter: Int.random(in: 15...120, using: &generator))
            for line in lines {
                let parts = line.split(separator: " ")
                guard parts.count == 2 else {
                    Issue.record("cycle \(cycle): half a line \(line)")
                    continue
                }
                switch parts[0] {
                case "E": enqueued.append(String(parts[1]))
                case "A": acknowledged.insert(String(parts[1]))
                case "a": acknowledging.insert(String(parts[1]))
                default: break
                }
            }
        }
        // The worker must get past opening often enough for the check to mean something;
        // on a loaded machine (a build beside the tests) opening takes longer, so half.
        #expect(enqueued.count > cycles / 2, "the worker got past opening in many cycles (\(enqueued.count) enqueues)")
        #expect(!acknowledged.isEmpty)

        let outbox = try OutboxDatabase(path: directory + "/outbox.sqlite", key: key, limits: OutboxLimits(maxSubmissions: 1_000_000, minFreeBytes: 0))
        #expect(try outbox.integrityCheck() == ["ok"])
        let present = try outbox.entries().map(\.id.description)
        #expect(Set(present).count == present.count, "no submission twice")
        let presentSet = Set(present)
        // An acknowledge cut short by the kill may or may not have deleted its row.
        for id in enqueued where !acknowledging.contains(id) {
            #expect(presentSet.contains(id), "accepted submission \(id) was lost")
        }
        for id in acknowledged { #expect(!presentSet.contains(id), "acknowledged \(id) came back") }
        for id in present {
            let submission = try #require(SubmissionID(id))
            let body = try #require(try JSONSerialization.jsonObject(with: outbox.payload(submission)) as? [String: Any])
            #expect((body["answers"] as? [String: Any])?["echo"] as? String == id, "\(id) is whole")
        }
        print("outbox crash test: \(cycles) kills, \(enqueued.count) enqueues, \(acknowledged.count) acknowledged, \(present.count) left")
    }

    /// kill -9 cannot prove durability (the page cache outlives a process), so this counts
    /// the syncs: under strace, each enqueue's "done" line must come after an fsync or
    /// fdatasync of the WAL that follows the previous one.
    @Test func enqueueReturnsOnlyAfterItsCommitIsSynced() throws {
        let syncCounts = try Self.walSyncs(mode: "enqueue", count: 10).map(\.syncs)
        #expect(syncCounts.count == 10, "saw \(syncCounts.count) enqueues in the trace")
        #expect(syncCounts.allSatisfy { $0 >= 1 }, "WAL syncs before each enqueue returned: \(syncCounts)")
        print("outbox fsync test: WAL syncs per enqueue \(syncCounts)")
    }

    /// The marks of sending (`beginDelivery`, `acknowledge`) commit without a sync of their
    /// own, and leave the connection as it was: the next enqueue and print record are synced.
    @Test func theMarksOfSendingAreNotSyncedAndEnqueueStillIsAfterThem() throws {
        let steps = try Self.walSyncs(mode: "deliver", count: 10)
        #expect(steps.count == 40, "saw \(steps.count) steps in the trace")
        for step in steps {
            switch step.line {
            case "E", "P": #expect(step.syncs >= 1, "\(step.line) returned without a WAL sync: \(steps)")
            default: #expect(step.syncs == 0, "\(step.line) synced the WAL: \(steps)")
            }
        }
    }

    /// Runs the worker under strace: each line it printed (its letter), and the WAL syncs
    /// since the line before.
    static func walSyncs(mode: String, count: Int) throws -> [(line: String, syncs: Int)] {
        let directory = NSTemporaryDirectory() + "madoguchi-fsync-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try OutboxKey.create(at: directory + "/outbox.key")
        let log = directory + "/strace.log"
        let strace = Process()
        strace.executableURL = URL(fileURLWithPath: "/usr/bin/strace")
        strace.arguments = [
            "-f", "-y", "-e", "trace=fsync,fdatasync,write", "-o", log,
            ProgramRunner.binDirectory.appendingPathComponent("outbox-crash-worker").path, directory, mode, String(count),
        ]
        strace.standardOutput = FileHandle.nullDevice
        strace.standardError = FileHandle.nullDevice
        try strace.run()
        strace.waitUntilExit()
        #expect(strace.terminationStatus == 0)

        var steps: [(line: String, syncs: Int)] = []
        var syncs = 0
        for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n") {
            if (line.contains(" fsync(") || line.contains(" fdatasync(")) && line.contains("outbox.sqlite-wal>") && line.hasSuffix("= 0") {
                syncs += 1
            } else if line.contains(" write(1"), let quote = line.firstIndex(of: "\"") {
                steps.append((String(line[line.index(after: quote)]), syncs))
                syncs = 0
            }
        }
        return steps
    }
}
