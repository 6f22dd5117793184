import Foundation
import Outbox
import OutboxStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `madoguchi keys …` and `madoguchi queue …` run as a technician would, against a real
/// outbox file: what they print, their exit codes, and that no submission content leaks.
@Suite("madoguchi keys and queue, run as a technician would")
struct OutboxCommandTests {
    /// A queue with one dead letter, one backing off, one awaiting its print, one due.
    struct Queue {
        let scratch: OutboxTests.Scratch
        let dead = SubmissionID()
        let backingOff = SubmissionID()
        let awaitingPrint = SubmissionID()
        let due = SubmissionID()

        init() throws {
            scratch = try OutboxTests.Scratch()
            let database = try scratch.open()
            let start = Date(timeIntervalSinceNow: -7230)
            for (offset, id) in [dead, backingOff, awaitingPrint, due].enumerated() {
                try database.enqueue(id: id, body: OutboxTests.body(id), now: start.addingTimeInterval(Double(offset)))
                if id != awaitingPrint { try database.recordPrint(id, PrintRecord(outcome: .confirmed, sheets: 1)) }
            }
            _ = try database.beginDelivery(dead)
            try database.deadLetter(dead, status: 422, problem: "422 schema")
            _ = try database.beginDelivery(backingOff)
            try database.scheduleRetry(backingOff, at: Date(timeIntervalSinceNow: 600), status: 503, problem: "503 from the back office")
            try database.close()
            try "".write(toFile: scratch.directory + "/empty.toml", atomically: true, encoding: .utf8)
        }

        var options: [String] { ["--database", scratch.database, "--key-file", scratch.directory + "/outbox.key"] }

        func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> ProgramRunner.Result {
            try await ProgramRunner.run(
                "madoguchi", arguments, environment: ["MADOGUCHI_CONFIG": scratch.directory + "/empty.toml"].merging(environment) { $1 })
        }
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Nothing a submission holds (the fictional resident's name, address, answers) appears.
    static func expectNoContent(_ result: ProgramRunner.Result) {
        for text in ["見本", "霞が関", "MARKER-OUTBOX-7731", "19750112"] {
            #expect(!result.standardOutput.contains(text) && !result.standardError.contains(text), "printed \(text)")
        }
    }

    @Test func keysInitWritesAPrivateKeyOnceAndNeverReplacesIt() async throws {
        let directory = NSTemporaryDirectory() + "madoguchi-keys-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/etc/outbox.key"
        let made = try await ProgramRunner.run("madoguchi", ["keys", "init", "--file", path])
        #expect(made.status == 0, "\(made.standardError)")
        #expect(made.standardOutput.contains("鍵を作成しました: \(path)") && made.standardOutput.contains("Created the key: \(path)"))
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        let key = try OutboxKey.load(from: .file(path))
        #expect(made.standardOutput.contains(key.fingerprint))

        let again = try await ProgramRunner.run("madoguchi", ["keys", "init", "--file", path])
        #expect(again.status == 1)
        #expect(again.standardError.contains("既にあります") && again.standardError.contains("already exists"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == first)

        let check = try await ProgramRunner.run("madoguchi", ["keys", "check", "--key-file", path, "--database", directory + "/none.sqlite"])
        #expect(check.status == 0 && check.standardOutput.contains(key.fingerprint) && check.standardOutput.contains("yet"))
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: path))
        let broken = try await ProgramRunner.run("madoguchi", ["keys", "check", "--key-file", path, "--lang", "en"])
        #expect(broken.status == 1 && broken.standardError.contains("it is not a key (one line of base64 holding 32 bytes"))
    }

    @Test func queueStatusShowsDepthOldestDeadLettersPauseLastSyncAndNextAttempt() async throws {
        let queue = try Queue()
        defer { queue.scratch.remove() }
        let text = try await queue.run(["queue", "status"] + queue.options)
        #expect(text.status == 0, "\(text.standardError)")
        for line in [
            "送信待ち / waiting: 3 件(うち印刷結果待ち 1、送信中 0) / 3 (awaiting print 1, sending 0)",
            "送信不能 / dead letters: 1 件", "一時停止 / paused: いいえ / no", "最終送信 / last sync: まだありません / never",
            "上限 / limit: 4 / 20000", "(2 時間 0 分前)", "(2h 0m ago)", "鍵 / key: 使用可(識別子 \(queue.scratch.key.fingerprint)",
        ] {
            #expect(text.standardOutput.contains(line), "missing \(line) in \(text.standardOutput)")
        }
        Self.expectNoContent(text)

        let json = try await queue.run(["queue", "status", "--json"] + queue.options)
        let status = try Self.object(json.standardOutput)
        #expect(status["waiting"] as? Int == 3 && status["awaitingPrint"] as? Int == 1 && status["deadLetters"] as? Int == 1)
        #expect((status["oldestWaitingSeconds"] as? Int).map { (7225...7330).contains($0) } == true)
        #expect(status["paused"] is NSNull && status["lastSyncAt"] is NSNull)
        // The due submission may go now, so there is no back-off deadline to wait for.
        #expect(status["nextAttemptAt"] is NSNull)
        #expect((status["key"] as? [String: Any])?["usable"] as? Bool == true)
    }

    @Test func queueListNamesEachSubmissionWithoutItsContentAndFiltersByState() async throws {
        let queue = try Queue()
        defer { queue.scratch.remove() }
        let all = try await queue.run(["queue", "list", "--lang", "en"] + queue.options)
        #expect(all.status == 0, "\(all.standardError)")
        let lines = all.standardOutput.split(separator: "\n")
        try #require(lines.count == 5, "\(all.standardOutput)")
        #expect(lines.last?.hasPrefix("4 submissions") == true)
        #expect(lines[0].contains("\(queue.dead)  dead-letter  okuyami@1") && lines[0].contains("status=422  error=\"422 schema\""))
        #expect(lines[1].contains("\(queue.backingOff)  pending") && lines[1].contains("next="))
        #expect(lines[2].contains("\(queue.awaitingPrint)  pending") && lines[2].contains("print=-"))
        Self.expectNoContent(all)

        let dead = try await queue.run(["queue", "list", "--state", "dead-letter", "--json"] + queue.options)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(dead.standardOutput.utf8)) as? [[String: Any]])
        #expect(entries.count == 1 && entries.first?["id"] as? String == queue.dead.description)
        #expect((entries.first?["print"] as? [String: Any])?["outcome"] as? String == "confirmed")
        #expect(entries.first?["lastStatus"] as? Int == 422)
    }

    @Test func queueRetryBringsBackADeadLetterAndAllLiftsAPause() async throws {
        let queue = try Queue()
        defer { queue.scratch.remove() }
        let one = try await queue.run(["queue", "retry", queue.dead.description] + queue.options)
        #expect(one.status == 0 && one.standardOutput.contains("再送信の対象にしました: 1 件"), "\(one.standardError)")
        var database = try queue.scratch.open()
        #expect(try database.entries().first { $0.id == queue.dead }?.state == .pending)
        try database.pause(reason: "401 from the back office")
        try database.close()

        let paused = try await queue.run(["queue", "status", "--lang", "en"] + queue.options)
        #expect(paused.standardOutput.contains("paused: yes, since") && paused.standardOutput.contains("401 from the back office"))
        let everything = try await queue.run(["queue", "retry", "--all", "--lang", "en"] + queue.options)
        #expect(everything.status == 0 && everything.standardOutput.contains("Marked for sending again: 1 (and lifted any pause)"))
        database = try queue.scratch.open()
        #expect(try database.status().paused == nil && database.due().count == 3)
        try database.close()

        let unknown = try await queue.run(["queue", "retry", SubmissionID().description, "--lang", "en"] + queue.options)
        #expect(unknown.status == 1 && unknown.standardError.contains("is not in the outbox"))
        let neither = try await queue.run(["queue", "retry"] + queue.options)
        #expect(neither.status == 64 && neither.standardError.contains("Give either an id or --all"))
        let garbage = try await queue.run(["queue", "retry", "12345"] + queue.options)
        #expect(garbage.status == 64 && garbage.standardError.contains("is not a UUID"))
    }

    @Test func queueCommandsReadTheOutboxTableAndReportItsMistakesWithTheirPlace() async throws {
        let queue = try Queue()
        defer { queue.scratch.remove() }
        let config = queue.scratch.directory + "/madoguchi.toml"
        try """
            [kiosk]
            id = "kasumi-honcho-01"

            [outbox]
            path = "\(queue.scratch.database)"
            keyFile = "\(queue.scratch.directory)/outbox.key"
            maxPending = 10
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let good = try await queue.run(["queue", "status", "--config", config, "--lang", "en"])
        #expect(good.status == 0 && good.standardOutput.contains("limit: 4 / 10"), "\(good.standardOutput)\(good.standardError)")
        let fromEnvironment = try await queue.run(["queue", "status", "--json"], environment: ["MADOGUCHI_CONFIG": config])
        #expect(try Self.object(fromEnvironment.standardOutput)["limit"] as? Int == 10)

        try """
            [outbox]
            maxPending = "many"
            keyfile = "/etc/madoguchi/outbox.key"
            minFreeMegabytes = -1
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let bad = try await queue.run(["queue", "status", "--config", config])
        #expect(bad.status == 2)
        #expect(bad.standardError.contains("\(config):2:"))
        #expect(bad.standardError.contains("[outbox] maxPending: must be a whole number, not string."))
        #expect(bad.standardError.contains("\(config):3:") && bad.standardError.contains("[outbox] keyfile: unknown setting; did you mean keyFile?"))
        #expect(bad.standardError.contains("[outbox] minFreeMegabytes: 0 から 1048576 の整数にしてください。"))

        let missing = try await queue.run(["queue", "status", "--config", queue.scratch.directory + "/nowhere.toml"])
        #expect(missing.status == 2 && missing.standardError.contains("does not exist"))
        let noOutbox = try await queue.run(["queue", "status", "--database", queue.scratch.directory + "/none.sqlite", "--lang", "en"])
        #expect(noOutbox.status == 3 && noOutbox.standardError.contains("There is no outbox at"))
    }

    @Test func aWrongKeyStillShowsTheQueueButKeysCheckFailsAndNothingChanges() async throws {
        let queue = try Queue()
        defer { queue.scratch.remove() }
        let other = queue.scratch.directory + "/other.key"
        _ = try OutboxKey.create(at: other)
        let before = try Data(contentsOf: URL(fileURLWithPath: queue.scratch.database))
        let status = try await queue.run(["queue", "status", "--database", queue.scratch.database, "--key-file", other, "--lang", "en"])
        #expect(status.status == 0)
        #expect(status.standardOutput.contains("key: unusable: The outbox \(queue.scratch.database) was sealed with another key."))
        #expect(status.standardOutput.contains("waiting: 3 (awaiting print 1, sending 0)"))
        let check = try await queue.run(["keys", "check", "--database", queue.scratch.database, "--key-file", other, "--lang", "en"])
        #expect(check.status == 1 && check.standardError.contains("was sealed with another key. Nothing was changed."))
        let database = try queue.scratch.open()
        #expect(try database.integrityCheck() == ["ok"] && database.entries().count == 4)
        try database.close()
        #expect(before.count > 0)
    }
}
