import AsyncHTTPClient
import Contracts
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif
import Testing

extension DeviceTests {
    /// The daemon end to end, everything real: `madoguchid` in a terminal (tmux) driven by
    /// keys as a resident would press them, the virtual card through pcscd, the isolated
    /// cupsd and its test printer, the encrypted outbox, and the reference receiver.
    @Suite("The kiosk daemon, end to end")
    struct KioskDaemonTests {
        /// One kiosk: its folder (key, outbox, configuration, log) and the daemon in a pane.
        final class Kiosk {
            let environment: ServicesEnvironment
            let directory: String
            var pane: TerminalUITests.Pane?
            /// When set before `start`, the daemon's standard error goes to this journal (as
            /// under systemd) instead of `daemon.log`, and `log` reads it back.
            var journal: JournalNamespace?
            /// The metrics' port on 127.0.0.1.
            let metricsPort: Int
            var socket: String { directory + "/control.sock" }

            /// A kiosk whose daemon sends to `receiver`; with `staffPasscode`, staff may sign
            /// in with it (its hash made by `madoguchi staff passcode`).
            init(receiver: String, extra: String = "", staffPasscode: String? = nil) async throws {
                environment = try ServicesEnvironment.load()
                directory = NSTemporaryDirectory() + "madoguchi-kiosk-\(UUID().uuidString.prefix(8))"
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                let key = try await ProgramRunner.run("madoguchi", ["keys", "init", "--file", directory + "/outbox.key", "--lang", "en"])
                #expect(key.status == 0, "\(key.standardError)")
                var staff = "enabled = false"
                if let staffPasscode {
                    let made = try await ProgramRunner.run(
                        "madoguchi", ["staff", "passcode", "--file", directory + "/staff.hash", "--passcode-stdin", "--lang", "en"],
                        input: staffPasscode + "\n")
                    #expect(made.status == 0, "\(made.standardError)")
                    staff = "enabled = true\npasscodeHashFile = \"\(directory)/staff.hash\""
                }
                try "\(Receiver.token)\n".write(toFile: directory + "/backoffice.token", atomically: true, encoding: .utf8)
                chmod(directory + "/backoffice.token", 0o600)
                let root = ServicesEnvironment.packageRoot.path
                metricsPort = Self.freePort()
                try """
                    [kiosk]
                    id = "kasumi-honcho-01"
                    forms = ["okuyami"]
                    formsDirectory = "\(root)/Tests/Fixtures/forms"
                    stateDirectory = "\(directory)"

                    [display]
                    renderer = "terminal"

                    [reader]
                    match = "\(try environment.reader)"
                    allowVirtual = true

                    [printer]
                    cupsServer = "\(try environment.cupsServer)"

                    [printer.a4]
                    queue = "\(try environment.printer)"

                    [outbox]
                    path = "\(directory)/outbox.sqlite"
                    keyFile = "\(directory)/outbox.key"

                    [backoffice]
                    url = "\(receiver)"
                    tokenFile = "\(directory)/backoffice.token"
                    retryInitialSeconds = 1
                    retryMaxSeconds = 2

                    [metrics]
                    listen = "127.0.0.1:\(metricsPort)"

                    [staff]
                    \(staff)
                    \(extra)
                    """.write(toFile: directory + "/madoguchi.toml", atomically: true, encoding: .utf8)
            }

            /// Starts the daemon in a 100×36 terminal and waits for the welcome screen; with
            /// `user`, as that user and group alone, unable to gain privileges, as the unit runs
            /// it (its folder and secrets handed to that user first, as systemd does).
            func start(as user: (uid: UInt32, gid: UInt32)? = nil) async throws {
                let daemon = ProgramRunner.binDirectory.appendingPathComponent("madoguchid").path
                var launcher = ""
                if let user {
                    for path in [directory] + ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).map({ directory + "/" + $0 }) {
                        #expect(chown(path, user.uid, user.gid) == 0, "chown \(path)")
                    }
                    launcher = "/usr/bin/setpriv --reuid=\(user.uid) --regid=\(user.gid) --clear-groups --no-new-privs "
                }
                let standardError = journal.map { ($0.launcher(identifier: "madoguchid"), "") } ?? ("", " 2>\(directory)/daemon.log")
                pane = try TerminalUITests.Pane(
                    "MADOGUCHI_CONTROL_SOCKET=\(socket) exec \(standardError.0)\(launcher)\(daemon) --config \(directory)/madoguchi.toml\(standardError.1)",
                    columns: 100, rows: 36)
                try await expectScreen("同意してはじめる")
            }

            /// Waits (15 s) for `marker` on the screen; records the screen if it never shows.
            /// Waits with `Task.sleep`, never blocking a thread of the shared pool: other suites'
            /// servers (the control socket's tests) run their handlers there.
            @discardableResult
            func expectScreen(_ marker: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
                var text = ""
                let deadline = ContinuousClock.now + .seconds(15)
                repeat {
                    text = try pane!.tmux(["capture-pane", "-p"])
                    if text.contains(marker) { break }
                    try await Task.sleep(for: .milliseconds(40))
                } while ContinuousClock.now < deadline
                #expect(text.contains(marker), "waited for \(marker); the screen:\n\(text)\nlog:\n\(log)", sourceLocation: sourceLocation)
                return text
            }

            func keys(_ keys: String...) throws { try pane!.tmux(["send-keys"] + keys) }
            func type(_ text: String) throws { try pane!.tmux(["send-keys", "-l", text]) }

            var log: String {
                if let journal { return journal.messages(identifier: "madoguchid") }
                return (try? String(contentsOfFile: directory + "/daemon.log", encoding: .utf8)) ?? ""
            }

            /// Consent, the PIN, "this is me": up to the first question.
            func signIn() async throws {
                try keys("Enter")
                try await expectScreen("暗証番号")
                try keys("1", "2", "3", "4")
                try await expectScreen("[ * * * * ]")
                try keys("Enter")
                try await expectScreen("この内容でよろしいですか")
                try keys("Enter")
                try await expectScreen("届出をされる方")
            }

            /// One step of a resident at the kiosk: keys pressed or text typed, then what the
            /// screen shows next.
            enum Step {
                case press([String], then: String)
                case type(String, then: String)
            }

            /// Every question of the okuyami flow, as the family answers them, up to the review.
            /// With `staff` signed in, the staff questions (the pension's kind, real estate) come
            /// before the review.
            func answerOkuyami(deceased: String = "見本 一郎", staff: Bool = false) async throws {
                var steps: [Step] = [
                    .press(["1"], then: "亡くなった方のお名前"),  // address unchanged
                    .type(deceased, then: "亡くなった日"), .type("R8.1.5", then: "生年月日"), .type("S23.2.10", then: "世帯主でしたか"),
                    .press(["1"], then: "15歳以上"), .press(["2", "Enter"], then: "新しい世帯主"), .type("見本 花子", then: "健康保険"),
                    .press(["2"], then: "葬儀(告別式)"), .press(["1"], then: "葬儀を行った日"), .type("R8.1.8", then: "すべて選んでください"),
                    .press(["1"], then: "● 年金"), .press(["Enter"], then: "相続人"), .press(["1", "Enter"], then: "相続人のお名前"),
                    .type("見本 花子", then: "続柄"), .press(["1"], then: "一緒に住んで"),
                ]
                steps += staff
                    ? [.press(["1"], then: "年金の種類"), .press(["1"], then: "土地や建物"), .press(["2"], then: "答えを確かめてください")]
                    : [.press(["1"], then: "答えを確かめてください")]
                for step in steps {
                    switch step {
                    case .press(let keys, let marker):
                        try pane!.tmux(["send-keys"] + keys)
                        try await expectScreen(marker)
                    case .type(let text, let marker):
                        try type(text)
                        try self.keys("Enter")
                        try await expectScreen(marker)
                    }
                }
            }

            /// Ctrl+C (SIGINT, as systemd's SIGTERM): the daemon goes through its graceful
            /// shutdown to its last log line within 30 s, even on a machine busy with other tests.
            func stop(sigterm: Bool = false) async throws {
                if sigterm, let pid = Int32((try? pane?.tmux(["display-message", "-p", "#{pane_pid}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") {
                    kill(pid, SIGTERM)  // as systemd stops it
                } else {
                    _ = try? pane?.tmux(["send-keys", "C-c"])
                }
                let deadline = ContinuousClock.now + .seconds(30)
                while !log.contains("madoguchid: stopped"), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(log.contains("madoguchid: stopped"), "no graceful stop; log:\n\(log)")
                pane = nil
            }

            /// A port nothing listens on now.
            static func freePort() -> Int {
                let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                defer { close(descriptor) }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
                _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
                return Int(UInt16(bigEndian: address.sin_port))
            }

            /// `madoguchi ARGUMENTS --json` through the control socket, as JSON.
            func ask(_ arguments: String...) async throws -> [String: Any] {
                let result = try await ProgramRunner.run("madoguchi", arguments + ["--json"], environment: ["MADOGUCHI_CONTROL_SOCKET": socket])
                #expect(result.status == 0, "\(arguments): \(result.standardError)")
                return (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]) ?? [:]
            }

            /// The Prometheus text at /metrics.
            func metricsText() async throws -> String {
                let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(metricsPort)/metrics"), timeout: .seconds(5))
                #expect(response.status.code == 200)
                return String(buffer: try await response.body.collect(upTo: 1 << 20))
            }

            /// The outbox's counts, read by `madoguchi queue status --json`.
            func queue() async throws -> [String: Any] {
                let result = try await ProgramRunner.run("madoguchi", ["queue", "status", "--json", "--config", directory + "/madoguchi.toml"])
                return (try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]) ?? [:]
            }

            deinit {
                pane = nil
                try? FileManager.default.removeItem(atPath: directory)
            }
        }

        /// Runs `body` with a reference receiver of its own, stopped and removed afterwards.
        static func withReceiver(_ body: (Receiver) async throws -> Void) async throws {
            let directory = NSTemporaryDirectory() + "receiver-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let receiver = try await Receiver(directory: directory)
            defer { receiver.server.stop() }
            try await body(receiver)
        }

        /// The test printer's output folder, emptied.
        static func clearPrinter(_ environment: ServicesEnvironment) throws -> String {
            let out = try environment.printOutput
            for file in (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [] { try? FileManager.default.removeItem(atPath: out + "/" + file) }
            return out
        }

        static func pdfText(_ path: String) -> String {
            let output = NSTemporaryDirectory() + "pdftotext-\(UUID().uuidString).txt"
            defer { unlink(output) }
            _ = Spawn.run("/usr/bin/pdftotext", [path, output], quiet: true)
            return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        }

        static func printed(_ out: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0.hasSuffix(".pdf") }.sorted().map { out + "/" + $0 }
        }

        static func waitUntil(_ seconds: Double = 15, _ condition: () throws -> Bool) async throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < deadline {
                if try condition() { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return try condition()
        }

        @Test func aWholeOkuyamiSessionPrintsItsPapersAndDeliversExactlyOneSubmission() async throws {
            try await Self.withReceiver { receiver in
                let kiosk = try await Kiosk(receiver: receiver.url)
                let out = try Self.clearPrinter(kiosk.environment)
                try await kiosk.start()
                try await kiosk.signIn()
                try await kiosk.answerOkuyami()
                try kiosk.keys("Enter")
                try await kiosk.expectScreen("終わりました")
                // The checklist and the change-of-head form, filled in, came out of the printer.
                let papers = Self.printed(out)
                #expect(papers.count == 2, "\(papers)")
                let text = papers.map(Self.pdfText).joined(separator: "\n")
                #expect(text.contains("見本 一郎"), "the deceased's name on the papers")
                #expect(text.contains("世帯主"), "the change-of-head form")
                #expect(try await Self.waitUntil { try receiver.stored().rows == 1 }, "one submission at the receiver")
                try kiosk.keys("Enter")
                try await kiosk.expectScreen("カードをお忘れです")
                // The CLI asks the running daemon; the metrics hold aggregates of the session.
                let status = try await kiosk.ask("status")
                #expect(status["kioskId"] as? String == "kasumi-honcho-01")
                #expect((status["session"] as? [String: Any])?["phase"] as? String == "done")
                #expect((status["reader"] as? [String: Any])?["cardPresent"] as? Bool == true)
                // Taking the card ends the session.
                try await VirtualCard(environment: kiosk.environment).reinsert()
                try await kiosk.expectScreen("同意してはじめる")
                let stats = try await kiosk.ask("stats")
                let form = (stats["forms"] as? [[String: Any]])?.first { $0["id"] as? String == "okuyami" }
                let steps = (form?["steps"] as? [[String: Any]])?.compactMap { $0["step"] as? String } ?? []
                #expect(steps.contains("question:deceasedName") && steps.contains("pin") && steps.contains("print"), "\(steps)")
                #expect((form?["outcomes"] as? [String: Any])?["finished"] as? Int == 1, "\(stats)")
                let metrics = try await kiosk.metricsText()
                #expect(metrics.contains(#"madoguchi_sessions_total{form="okuyami",outcome="finished"} 1"#), "\(metrics)")
                #expect(metrics.contains(#"step="question:dateOfDeath",quantile="0.5""#))
                try await kiosk.stop()
                let stored = try receiver.stored()
                #expect(stored.ids.count == 1 && stored.rows == 1)
                #expect(try await kiosk.queue()["waiting"] as? Int == 0)
            }
        }

        @Test func aWholeSessionRunsAsAnUnprivilegedUserReachingPcscdCupsAndTheReceiver() async throws {
            // nobody:nogroup, no supplementary groups, no new privileges: what the unit's
            // User=madoguchi leaves (without lpadmin, which only resuming a stopped queue needs).
            try await Self.withReceiver { receiver in
                let kiosk = try await Kiosk(receiver: receiver.url)
                let out = try Self.clearPrinter(kiosk.environment)
                try await kiosk.start(as: (uid: 65534, gid: 65534))
                try await kiosk.signIn()
                try await kiosk.answerOkuyami()
                try kiosk.keys("Enter")
                try await kiosk.expectScreen("終わりました")
                #expect(Self.printed(out).count == 2, "the papers came out of cupsd")
                #expect(try await Self.waitUntil { try receiver.stored().rows == 1 }, "one submission at the receiver")
                let status = try await kiosk.ask("status")
                #expect((status["reader"] as? [String: Any])?["cardPresent"] as? Bool == true)
                // The status a technician's tools read keeps to its schema.
                let printed = try await ProgramRunner.run("madoguchi", ["status", "--json"], environment: ["MADOGUCHI_CONTROL_SOCKET": kiosk.socket])
                let violations = try DeviceTests.CardReadingTests.schemas.get()
                    .validate(try DataLoader.loadYAML(printed.standardOutput, file: "status.json"), against: "daemon-status.schema.json")
                #expect(violations.isEmpty, "\(violations.map(\.description))")
                try await kiosk.stop()
                // What it made is that user's: the outbox, private.
                let outbox = try FileManager.default.attributesOfItem(atPath: kiosk.directory + "/outbox.sqlite")
                #expect((outbox[.ownerAccountID] as? NSNumber)?.intValue == 65534)
                #expect(((outbox[.posixPermissions] as? NSNumber)?.intValue ?? 0o777) & 0o077 == 0, "no one else reads the outbox")
                try await VirtualCard(environment: kiosk.environment).reinsert()
            }
        }

        @Test func staffSignInWithThePasscodeAsksTheStaffQuestionsAndF12SignsOut() async throws {
            try await Self.withReceiver { receiver in
                let kiosk = try await Kiosk(receiver: receiver.url, staffPasscode: "246810")
                let out = try Self.clearPrinter(kiosk.environment)
                try await kiosk.start()
                try kiosk.keys("F12")
                try await kiosk.expectScreen("職員の暗証番号")
                // A wrong passcode: the pad comes back empty.
                try kiosk.keys("1", "1", "1", "1", "1", "1")
                try await kiosk.expectScreen("[ * * * * * * ]")
                try kiosk.keys("Enter")
                try await kiosk.expectScreen("[ _ _ _ _ _ _ ]")
                try kiosk.keys("2", "4", "6", "8", "1", "0", "Enter")
                try await kiosk.expectScreen("職員モード(F12 で終了)")
                // Staff mode: the resident's questions and then the staff's.
                try await kiosk.signIn()
                try await kiosk.answerOkuyami(staff: true)
                try kiosk.keys("Enter")
                try await kiosk.expectScreen("終わりました")
                #expect(Self.printed(out).count == 2)
                #expect(try await Self.waitUntil { try receiver.stored().rows == 1 }, "one submission at the receiver")
                // F12 again signs out: the banner goes.
                try kiosk.keys("F12")
                #expect(try await Self.waitUntil { !(try kiosk.pane!.tmux(["capture-pane", "-p"]).contains("職員モード")) }, "signed out")
                try await kiosk.stop()
                #expect(!kiosk.log.contains("246810"), "the passcode is never logged")
                try await VirtualCard(environment: kiosk.environment).reinsert()
            }
        }

        @Test func aCardPulledMidFlowLeavesTheSessionToFinishWithOneSubmission() async throws {
            try await Self.withReceiver { receiver in
                let kiosk = try await Kiosk(receiver: receiver.url)
                let card = VirtualCard(environment: kiosk.environment)
                try await kiosk.start()
                try await kiosk.signIn()
                // The card leaves once it has been read (a resident picks it up to look at it):
                // the answers go on, and the end of the session does not wait for it.
                kill(try kiosk.environment.cardPID, SIGUSR1)
                try await Task.sleep(for: .seconds(1))
                try await kiosk.answerOkuyami()
                try kiosk.keys("Enter")
                try await kiosk.expectScreen("終わりました")
                try kiosk.keys("Enter")
                let welcome = try await kiosk.expectScreen("同意してはじめる")
                #expect(!welcome.contains("見本"), "nothing of the session is left on screen")
                #expect(try await Self.waitUntil { try receiver.stored().rows == 1 })
                try await kiosk.stop()
                try await card.reset()
            }
        }

        @Test func aCardPulledWhileThePINIsTypedEndsTheSessionAndKeepsNothing() async throws {
            let kiosk = try await Kiosk(receiver: "http://127.0.0.1:9")
            let card = VirtualCard(environment: kiosk.environment)
            try await kiosk.start()
            try kiosk.keys("Enter")
            try await kiosk.expectScreen("暗証番号")
            try kiosk.keys("1", "2")
            try await kiosk.expectScreen("[ * * _ _ ]")
            kill(try kiosk.environment.cardPID, SIGUSR1)
            try await kiosk.expectScreen("同意してはじめる")
            kill(try kiosk.environment.cardPID, SIGUSR2)
            try await Task.sleep(for: .seconds(1))
            // Back on the reader, the card starts afresh: the two digits typed are gone.
            try kiosk.keys("Enter")
            try await kiosk.expectScreen("[ _ _ _ _ ]")
            try await kiosk.stop()
            #expect(try await kiosk.queue()["waiting"] as? Int == 0)
            try await card.reset()
        }

        /// A kiosk at the okuyami review, its printer's control file and output folder.
        static func atReview(_ receiver: Receiver) async throws -> (kiosk: Kiosk, control: String, out: String) {
            let kiosk = try await Kiosk(receiver: receiver.url)
            let control = try kiosk.environment.printerControl
            let out = try Self.clearPrinter(kiosk.environment)
            try await kiosk.start()
            try await kiosk.signIn()
            try await kiosk.answerOkuyami()
            return (kiosk, control, out)
        }

        @Test func aPrinterOutOfPaperOffersARetryThatPrintsOnceFixed() async throws {
            try await Self.withReceiver { receiver in
                let (kiosk, control, out) = try await Self.atReview(receiver)
                defer { try? FileManager.default.removeItem(atPath: control) }
                try "state=+media-empty-error\nexit=4\nmessage=out of paper (test)\n".write(toFile: control, atomically: true, encoding: .utf8)
                try kiosk.keys("Enter")
                let problem = try await kiosk.expectScreen("紙がなくなりました")
                #expect(problem.contains("もう一度印刷"))
                #expect(Self.printed(out).isEmpty)
                // Staff load paper; the resident presses "try again".
                try FileManager.default.removeItem(atPath: control)
                try kiosk.keys("Enter")
                try await kiosk.expectScreen("終わりました")
                #expect(Self.printed(out).count == 2, "\(Self.printed(out)); log: \(kiosk.log)")
                #expect(try await Self.waitUntil { try receiver.stored().rows == 1 })
                try await kiosk.stop()
            }
        }

        @Test func aPausedPrintQueueIsResumedAndTheSessionPrintsAsUsual() async throws {
            try await Self.withReceiver { receiver in
                let (kiosk, control, out) = try await Self.atReview(receiver)
                defer { try? FileManager.default.removeItem(atPath: control) }
                let cups = ["CUPS_SERVER": try kiosk.environment.cupsServer]
                let queue = try kiosk.environment.printer
                // Whatever happens below, the next test finds the queue enabled.
                defer { _ = Spawn.run("/usr/sbin/cupsenable", [queue], environment: ["CUPS_SERVER=\(cups["CUPS_SERVER"]!)"], quiet: true) }
                // Someone paused the queue (cupsdisable) and forgot it.
                let paused = try await ProgramRunner.run("/usr/sbin/cupsdisable", [queue], environment: cups)
                #expect(paused.status == 0, "\(paused.standardError)")
                let state = try await ProgramRunner.run("/usr/bin/lpstat", ["-p", queue], environment: cups)
                #expect(state.standardOutput.contains("disabled"), "\(state.standardOutput)")
                try kiosk.keys("Enter")
                try await kiosk.expectScreen("終わりました")
                #expect(Self.printed(out).count == 2, "the papers came out all the same")
                let after = try await ProgramRunner.run("/usr/bin/lpstat", ["-p", queue], environment: cups)
                #expect(!after.standardOutput.contains("disabled"), "the kiosk resumed it: \(after.standardOutput)")
                #expect(try await Self.waitUntil { try receiver.stored().rows == 1 })
                try await kiosk.stop()
            }
        }

        @Test func aPrinterThatCannotCountSheetsAsksTheResidentAndTheAnswerReachesTheBackOffice() async throws {
            try await Self.withReceiver { receiver in
                let (kiosk, control, out) = try await Self.atReview(receiver)
                defer { try? FileManager.default.removeItem(atPath: control) }
                try "pages=none\n".write(toFile: control, atomically: true, encoding: .utf8)  // the printer reports no sheets
                try kiosk.keys("Enter")
                try await kiosk.expectScreen("2 枚受け取りましたか")
                #expect(try await kiosk.queue()["awaitingPrint"] as? Int == 1, "held, not sent, until the resident answers")
                try kiosk.keys("Enter")  // 受け取った
                try await kiosk.expectScreen("終わりました")
                #expect(Self.printed(out).count == 2)
                #expect(try await Self.waitUntil { try receiver.stored().rows == 1 })
                let queue = try DatabaseQueue(path: receiver.database)
                let body = try await queue.read { db in try String.fetchOne(db, sql: "SELECT CAST(body AS TEXT) FROM submission") } ?? ""
                try queue.close()
                let print = (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["print"] as? [String: Any]
                #expect(print?["outcome"] as? String == "assumed", "\(print ?? [:])")
                #expect(print?["residentConfirmed"] as? Bool == true, "\(print ?? [:])")
                try await kiosk.stop()
            }
        }

        /// The write end of a FIFO the daemon reads as an evdev device: key presses as the
        /// kernel's 24-byte records.
        final class RecordedKeypad {
            let path: String
            private var descriptor: Int32 = -1

            init(path: String) throws {
                self.path = path
                #expect(mkfifo(path, 0o600) == 0)
            }

            /// Opens the write end once the daemon has opened the read end (within 10 s).
            func connect() async throws {
                let deadline = ContinuousClock.now + .seconds(10)
                while descriptor < 0, ContinuousClock.now < deadline {
                    descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
                    if descriptor < 0 { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(descriptor >= 0, "the daemon never opened \(path)")
            }

            /// Presses and releases Linux key `codes` (KEY_ENTER 28, KEY_1 2 …).
            func press(_ codes: UInt16...) {
                var bytes: [UInt8] = []
                for code in codes {
                    for value: Int32 in [1, 0] {
                        bytes += [UInt8](repeating: 0, count: 16) + [1, 0, UInt8(code & 0xFF), UInt8(code >> 8)]
                        bytes += withUnsafeBytes(of: value.littleEndian, Array.init)
                        bytes += [UInt8](repeating: 0, count: 24)  // SYN_REPORT
                    }
                }
                _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            }

            /// Closes the write end: to the daemon, the device was unplugged.
            func unplug() {
                close(descriptor)
                descriptor = -1
            }

            deinit { if descriptor >= 0 { close(descriptor) } }
        }

        @Test func aPINPadReadThroughEvdevDrivesTheSessionAndIsReopenedAfterAnUnplug() async throws {
            try await Self.withReceiver { receiver in
                let folder = NSTemporaryDirectory() + "madoguchi-pinpad-\(UUID().uuidString.prefix(8))"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: folder) }
                let pad = try RecordedKeypad(path: folder + "/pinpad")
                let kiosk = try await Kiosk(receiver: receiver.url, extra: "\n[input]\nkeyboard = \"\(pad.path)\"")
                try await kiosk.start()
                try await pad.connect()
                pad.press(28)  // Enter: agree and start
                try await kiosk.expectScreen("暗証番号")
                pad.press(2, 3, 4, 5)  // 1 2 3 4
                try await kiosk.expectScreen("[ * * * * ]")
                pad.press(28)
                try await kiosk.expectScreen("この内容でよろしいですか")
                // Unplugged and plugged in again: the daemon reads it anew.
                pad.unplug()
                try await Task.sleep(for: .milliseconds(800))  // the daemon sees it gone and closes it
                let reconnecting = ContinuousClock.now
                try await pad.connect()
                // Not at once: the daemon had closed it and opened it again (2 s later).
                #expect(ContinuousClock.now - reconnecting > .milliseconds(500))
                pad.press(1)  // Esc: the session ends, nothing kept
                try await kiosk.expectScreen("カード")
                try await kiosk.stop()
                #expect(!kiosk.log.contains("1234"))
            }
        }

        @Test func aSubmissionMadeWhileTheReceiverIsDownArrivesOnceItIsBack() async throws {
            let directory = NSTemporaryDirectory() + "receiver-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var receiver = try await Receiver(directory: directory)
            receiver.server.stop()
            let kiosk = try await Kiosk(receiver: receiver.url)
            try await kiosk.start()
            try await kiosk.signIn()
            try await kiosk.answerOkuyami()
            try kiosk.keys("Enter")
            try await kiosk.expectScreen("終わりました")
            try await Task.sleep(for: .seconds(2))
            #expect(try await kiosk.queue()["waiting"] as? Int == 1, "kept while the receiver is down")
            receiver = try await Receiver(directory: directory, port: receiver.port)
            defer { receiver.server.stop() }
            #expect(try await Self.waitUntil(20) { try receiver.stored().rows == 1 }, "arrives once the receiver is back")
            try await kiosk.stop(sigterm: true)
            #expect(try await kiosk.queue()["waiting"] as? Int == 0)
        }

        @Test func aMarkerIdentityAndAnswerAppearNowhereTheKioskLeavesData() async throws {
            try await Self.withReceiver { receiver in
                let kiosk = try await Kiosk(receiver: receiver.url)
                let environment = kiosk.environment
                // A fictional resident whose every personal value carries the marker 目印.
                let marker = "目印"
                // The card's profile lives outside every place searched below.
                let profile = NSTemporaryDirectory() + "marker-card-\(UUID().uuidString.prefix(8)).json"
                defer { try? FileManager.default.removeItem(atPath: profile) }
                try """
                    {"comment": "Fictional: the privacy test's marker resident.", "name": "\(marker) 標子", "address": "架空県\(marker)市標識町1番",
                     "birth": "19800401", "sex": "2", "pin": "1234", "pinTriesLeft": 3, "cardExpiryYear": "2034", "securityCode": "5678"}
                    """.write(toFile: profile, atomically: true, encoding: .utf8)
                let card = VirtualCard(environment: environment)
                try await card.configure(#"{"profile": "\#(profile)"}"#)
                let out = try Self.clearPrinter(environment)
                let cupsLogs = try environment.require("MADOGUCHI_TEST_CUPS_LOG_DIR")
                // The daemon logs to a journald of the test's own, as the unit does under systemd.
                let journal = try await JournalNamespace()
                defer { journal.stop() }
                kiosk.journal = journal
                try await kiosk.start()
                try await kiosk.signIn()
                try await kiosk.answerOkuyami(deceased: "\(marker) 一郎")
                try kiosk.keys("Enter")
                try await kiosk.expectScreen("終わりました")
                #expect(try await Self.waitUntil { try receiver.stored().rows == 1 })
                try kiosk.keys("Enter")
                let after = try await kiosk.expectScreen("カードをお忘れです")
                let metrics = try await kiosk.metricsText()
                #expect(metrics.contains("madoguchi_sessions_total"))
                #expect(!metrics.contains(marker), "the metrics hold no personal value")
                try await kiosk.stop()
                try await card.reset()

                // The search works: the papers (and only they) carry the marker.
                #expect(Self.printed(out).map(Self.pdfText).joined().contains(marker))
                #expect(!after.contains(marker), "nothing personal left on screen")
                var searched: [String] = []
                func files(under folder: String) -> [String] {
                    guard let names = FileManager.default.enumerator(atPath: folder) else { return [] }
                    return names.compactMap { $0 as? String }.map { folder + "/" + $0 }.filter {
                        var isDirectory: ObjCBool = false
                        return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
                    }
                }
                // The daemon's log, its outbox (database, WAL), CUPS's spool and logs, and every PDF
                // anywhere but on paper.
                let places = files(under: kiosk.directory) + files(under: try environment.cupsSpool) + files(under: cupsLogs)
                    + files(under: NSTemporaryDirectory()).filter { $0.hasSuffix(".pdf") && !$0.hasPrefix(out) }
                for path in places {
                    guard let bytes = FileManager.default.contents(atPath: path) else { continue }
                    searched.append(path)
                    #expect(bytes.range(of: Data(marker.utf8)) == nil, "\(path) holds the marker in plain text")
                    if path.hasSuffix(".pdf") { #expect(!Self.pdfText(path).contains(marker), "\(path): the marker in a PDF left behind") }
                }
                #expect(searched.contains { $0.hasSuffix("outbox.sqlite") })
                #expect(searched.contains { $0.hasPrefix(cupsLogs) })
                // The journal, exported as `journalctl -o export` gives it to a log collector:
                // the daemon's lines are there with their priorities, and no personal value.
                let export = try journal.journalctl(["-o", "export"])
                let exported = String(decoding: export, as: UTF8.self)
                let entries = exported.components(separatedBy: "\n\n").map { "\n" + $0 + "\n" }.filter { $0.contains("\nSYSLOG_IDENTIFIER=madoguchid\n") }
                #expect(entries.contains { $0.contains("\nMESSAGE=madoguchid: stopped\n") }, "\(exported.suffix(2000))")
                #expect(entries.contains { $0.contains("\nPRIORITY=6\n") }, "the <N> prefixes become priorities")
                #expect(!entries.contains { $0.contains("\nMESSAGE=<") }, "no priority prefix left in a message")
                #expect(export.range(of: Data(marker.utf8)) == nil, "the journal holds the marker")
            }
        }
    }
}
