import Contracts
import Foundation
import Outbox
import OutboxStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension DeviceTests {
    /// `madoguchi diag` run as a technician would, against the test pcscd and virtual
    /// reader, the test CUPS queue, a real outbox and the reference receiver: every
    /// configured section passes, and each fault shows on its line with its next step and
    /// the exit status.
    @Suite("madoguchi diag: checks and explains", .serialized)
    struct DiagCommandTests {
        static let schemas = Result { try SchemaSet(directory: ServicesEnvironment.packageRoot.appendingPathComponent("schemas").path) }

        /// A kiosk's files in a scratch folder: the configuration, the outbox and its key
        /// (made by `madoguchi keys init`), the back-office token.
        struct Kiosk {
            let directory: String
            let environment: ServicesEnvironment
            var config: String { directory + "/madoguchi.toml" }
            var outbox: String { directory + "/outbox.sqlite" }
            var keyFile: String { directory + "/outbox.key" }

            init() async throws {
                environment = try ServicesEnvironment.load()
                directory = NSTemporaryDirectory() + "madoguchi-diag-" + UUID().uuidString.prefix(8)
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let made = try await ProgramRunner.run("madoguchi", ["keys", "init", "--file", directory + "/outbox.key"])
                #expect(made.status == 0, "\(made.standardError)")
                try OutboxDatabase(path: outbox, key: try OutboxKey.load(from: .file(keyFile))).close()
                let token = directory + "/token"
                try Receiver.token.write(toFile: token, atomically: true, encoding: .utf8)
                chmod(token, 0o600)
            }

            /// Writes the configuration: the test reader, queue and outbox; `[printer.a4]`
            /// and `[backoffice]` only when given; a terminal screen and no input devices
            /// unless `display` gives other `[display]` and `[input]` tables.
            func configure(queue: String?, receiver: String?, display: String? = nil) throws {
                let reader = try environment.reader
                let cupsServer = try environment.cupsServer
                var text = """
                    [kiosk]
                    id = "kasumi-honcho-01"
                    devicesDirectory = "\(ServicesEnvironment.packageRoot.path)/Devices"
                    stateDirectory = "\(directory)"

                    \(display ?? "[display]\nrenderer = \"terminal\"\n\n[input]\ntouch = \"none\"\nkeyboard = \"none\"\n")
                    [reader]
                    match = "\(reader)"
                    allowVirtual = true

                    [printer]
                    cupsServer = "\(cupsServer)"

                    [outbox]
                    path = "\(outbox)"
                    keyFile = "\(keyFile)"
                    minFreeMegabytes = 1

                    """
                if let queue { text += "\n[printer.a4]\nqueue = \"\(queue)\"\n" }
                if let receiver {
                    text += "\n[backoffice]\nurl = \"\(receiver)\"\nauth = \"bearer\"\ntokenFile = \"\(directory)/token\"\n"
                }
                try text.write(toFile: config, atomically: true, encoding: .utf8)
            }

            /// `madoguchi diag ARGUMENTS… --config <the file>`, with no daemon to ask.
            func diag(_ arguments: [String] = []) async throws -> ProgramRunner.Result {
                try await ProgramRunner.run(
                    "madoguchi", ["diag", "--config", config] + arguments,
                    environment: ["MADOGUCHI_CONTROL_SOCKET": directory + "/no-daemon.sock"], timeout: 60)
            }

            func remove() { try? FileManager.default.removeItem(atPath: directory) }
        }

        /// The checks of `--json` output, by "section/id".
        static func checks(_ json: String) throws -> [String: [String: Any]] {
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            var checks: [String: [String: Any]] = [:]
            for section in document["sections"] as? [[String: Any]] ?? [] {
                for check in section["checks"] as? [[String: Any]] ?? [] {
                    checks["\(section["id"] as? String ?? "?")/\(check["id"] as? String ?? "?")"] = check
                }
            }
            return checks
        }

        static func expectConforms(_ json: String) throws {
            let node = try DataLoader.loadYAML(json, file: "diag.json")
            let violations = try schemas.get().validate(node, against: "diag.schema.json")
            #expect(violations.isEmpty, "\(violations.map(\.description))")
        }

        static func mark(_ checks: [String: [String: Any]], _ key: String) -> String? { checks[key]?["mark"] as? String }

        static func next(_ checks: [String: [String: Any]], _ key: String) -> String {
            guard let next = checks[key]?["next"] as? [String: String] else { return "" }
            return "\(next["ja"] ?? "") \(next["en"] ?? "")"
        }

        /// Runs `body` with a receiver up and a kiosk configured for everything.
        static func withEverything(_ body: (Kiosk, Receiver) async throws -> Void) async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            try await KioskDaemonTests.withReceiver { receiver in
                let queue = try kiosk.environment.printer
                try kiosk.configure(queue: queue, receiver: receiver.url)
                try await body(kiosk, receiver)
            }
        }

        @Test func withTheServicesUpEveryConfiguredSectionPassesAndOnlyTheAbsentDaemonWarns() async throws {
            try await Self.withEverything { kiosk, _ in
                let result = try await kiosk.diag(["--json"])
                #expect(result.status == 1, "\(result.standardOutput)\(result.standardError)")
                try Self.expectConforms(result.standardOutput)
                let checks = try Self.checks(result.standardOutput)
                #expect(Self.mark(checks, "system/daemon") == "warning")
                #expect(Self.next(checks, "system/daemon").contains("systemctl start madoguchid"))
                for key in [
                    "system/config", "system/disk", "readers/pcscd", "readers/readers", "readers/configured", "printer/a4-queue",
                    "printer/a4-reasons", "outbox/key", "outbox/depth", "outbox/dead-letters", "outbox/paused", "backoffice/dns",
                    "backoffice/tcp", "backoffice/credentials", "backoffice/health", "backoffice/auth",
                ] {
                    #expect(Self.mark(checks, key) == "ok", "\(key): \(checks[key] ?? [:])")
                }
                // USB: a line per known reader on the bus, or one – line where there is none.
                #expect(checks.keys.contains("readers/usb") || checks.keys.contains { $0.hasPrefix("readers/usb-") }, "\(checks.keys.sorted())")
                // The test receiver speaks plain HTTP on this machine: no TLS to check.
                #expect(Self.mark(checks, "backoffice/tls") == "skipped")
                // The clock depends on the machine; a card, on the tests before.
                #expect(["ok", "warning"].contains(Self.mark(checks, "system/clock")))
                let cardMarks = checks.filter { $0.key.hasPrefix("card/") }.compactMap { $0.value["mark"] as? String }
                #expect(!cardMarks.isEmpty && cardMarks.allSatisfy { $0 == "ok" || $0 == "skipped" }, "\(cardMarks)")
                #expect(checks.filter { $0.value["mark"] as? String == "failure" }.isEmpty)
                let text = try await kiosk.diag()
                #expect(text.status == 1)
                #expect(text.standardOutput.contains("== カードリーダー / Card readers"))
                #expect(text.standardOutput.contains("⚠ madoguchid は動いていません"))
                #expect(text.standardOutput.contains("プロファイル virtual-test-reader"))
                // The card's holder (the virtual card's fictional resident) never shows.
                for name in ["見本", "ミホン", "MIHON"] { #expect(!text.standardOutput.contains(name) && !result.standardOutput.contains(name)) }
            }
        }

        @Test func aStoppedQueueIsAFailureThatSaysHowToResumeIt() async throws {
            try await Self.withEverything { kiosk, _ in
                let queue = try kiosk.environment.printer
                try Self.cups(kiosk.environment, "cupsdisable", ["-r", "paused by the diag test", queue])
                defer { try? Self.cups(kiosk.environment, "cupsenable", [queue]) }
                let result = try await kiosk.diag(["--json"])
                #expect(result.status == 2, "\(result.standardOutput)")
                try Self.expectConforms(result.standardOutput)
                let checks = try Self.checks(result.standardOutput)
                #expect(Self.mark(checks, "printer/a4-queue") == "failure")
                #expect((checks["printer/a4-queue"]?["en"] as? String)?.contains("is stopped") == true)
                #expect(Self.next(checks, "printer/a4-queue").contains("cupsenable \(queue)"))
            }
        }

        @Test func aReceiverThatIsDownFailsAtTheTCPStepWithItsNextStep() async throws {
            try await Self.withEverything { kiosk, receiver in
                receiver.server.stop()
                let result = try await kiosk.diag(["--json"])
                #expect(result.status == 2, "\(result.standardOutput)")
                try Self.expectConforms(result.standardOutput)
                let checks = try Self.checks(result.standardOutput)
                #expect(Self.mark(checks, "backoffice/dns") == "ok")
                #expect(Self.mark(checks, "backoffice/tcp") == "failure")
                #expect(Self.next(checks, "backoffice/tcp").contains("receiver runs"))
                #expect(checks["backoffice/health"] == nil, "later steps are not tried")
                let text = try await kiosk.diag()
                #expect(text.status == 2)
                #expect(text.standardOutput.contains("✗ 127.0.0.1 のポート"))
            }
        }

        @Test func aDeadLetterInTheOutboxIsAWarningThatNamesTheCommandsToSeeAndRetryIt() async throws {
            try await Self.withEverything { kiosk, _ in
                let database = try OutboxDatabase(path: kiosk.outbox, key: try OutboxKey.load(from: .file(kiosk.keyFile)))
                let id = SubmissionID()
                try database.enqueue(id: id, body: OutboxTests.body(id))
                try database.recordPrint(id, PrintRecord(outcome: .confirmed, sheets: 1))
                _ = try database.beginDelivery(id)
                try database.deadLetter(id, status: 422, problem: "422 schema")
                try database.close()
                let result = try await kiosk.diag(["--json"])
                #expect(result.status == 1, "\(result.standardOutput)")
                try Self.expectConforms(result.standardOutput)
                let checks = try Self.checks(result.standardOutput)
                #expect(Self.mark(checks, "outbox/dead-letters") == "warning")
                #expect(Self.next(checks, "outbox/dead-letters").contains("madoguchi queue list --state dead-letter"))
                #expect(Self.next(checks, "outbox/dead-letters").contains("madoguchi queue retry"))
                // Counts only: nothing of the submission's content.
                for text in ["見本", "MARKER-OUTBOX-7731"] { #expect(!result.standardOutput.contains(text)) }
            }
        }

        @Test func anOutboxTheKeyDoesNotOpenIsAFailure() async throws {
            try await Self.withEverything { kiosk, _ in
                try FileManager.default.removeItem(atPath: kiosk.keyFile)
                _ = try OutboxKey.create(at: kiosk.keyFile)
                let result = try await kiosk.diag(["--json"])
                #expect(result.status == 2, "\(result.standardOutput)")
                let checks = try Self.checks(result.standardOutput)
                #expect(Self.mark(checks, "outbox/key") == "failure")
                #expect(Self.next(checks, "outbox/key").contains("madoguchi keys check"))
            }
        }

        @Test func withoutBackofficeOrPrinterTheirSectionsAreSkipped() async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            try kiosk.configure(queue: nil, receiver: nil)
            let result = try await kiosk.diag(["--json"])
            #expect(result.status == 1, "only the daemon warns: \(result.standardOutput)")
            try Self.expectConforms(result.standardOutput)
            let checks = try Self.checks(result.standardOutput)
            #expect(Self.mark(checks, "printer/a4") == "skipped")
            #expect(Self.mark(checks, "backoffice/url") == "skipped")
            #expect(checks["printer/a4"]?["next"] is NSNull)
            let text = try await kiosk.diag()
            #expect(text.standardOutput.contains("– [printer.a4] が設定されていません。 / No [printer.a4] configured."))
            #expect(text.standardOutput.contains("– [backoffice] url が設定されていません"))
        }

        @Test func aConfiguredReaderThatIsNotThereIsAFailureThatSaysToPlugItIn() async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            try kiosk.configure(queue: nil, receiver: nil)
            let reader = try kiosk.environment.reader
            let text = try String(contentsOfFile: kiosk.config, encoding: .utf8)
                .replacingOccurrences(of: "match = \"\(reader)\"", with: "match = \"SONY FeliCa RC-S300\"")
            try text.write(toFile: kiosk.config, atomically: true, encoding: .utf8)
            let result = try await kiosk.diag(["--json"])
            #expect(result.status == 2)
            let checks = try Self.checks(result.standardOutput)
            #expect(Self.mark(checks, "readers/configured") == "failure")
            #expect(Self.next(checks, "readers/configured").contains("lsusb") && Self.next(checks, "readers/configured").contains("restart pcscd"))
            #expect(Self.mark(checks, "card/card") == "skipped")
        }

        @Test func tonerLowIsAWarningWithWhatToPrepare() async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            let queue = try kiosk.environment.printer
            try kiosk.configure(queue: queue, receiver: nil)
            let control = try kiosk.environment.printerControl
            let page = kiosk.directory + "/page.txt"
            try "diag test page\n".write(toFile: page, atomically: true, encoding: .utf8)
            /// The a4 reasons' line once a job has gone through, within 15 s.
            func reasonsAfterAJob(_ mark: String) async throws -> [String: Any]? {
                try Self.cups(kiosk.environment, "lp", ["-d", queue, "-o", "raw", page], directory: "/usr/bin/")
                let deadline = ContinuousClock.now + .seconds(15)
                while ContinuousClock.now < deadline {
                    let checks = try Self.checks(try await kiosk.diag(["--json"]).standardOutput)
                    if Self.mark(checks, "printer/a4-reasons") == mark && Self.mark(checks, "printer/a4-jobs") == "ok" {
                        return checks["printer/a4-reasons"]
                    }
                    try await Task.sleep(for: .milliseconds(300))
                }
                return nil
            }
            try "state=+toner-low-report\n".write(toFile: control, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: control) }
            let warning = try await reasonsAfterAJob("warning")
            // The next job clears the reason, as a printer does once the toner is replaced.
            try "state=-toner-low-report\n".write(toFile: control, atomically: true, encoding: .utf8)
            let cleared = try await reasonsAfterAJob("ok")
            #expect(cleared != nil, "the next job cleared toner-low")
            let line = try #require(warning, "toner-low did not show as a warning")
            let english = line["en"] as? String ?? ""
            #expect(english.contains("toner-low-report"), "\(english)")
            let next = line["next"] as? [String: String] ?? [:]
            #expect(next["en", default: ""].contains("madoguchi print status"))
            for file in (try? FileManager.default.contentsOfDirectory(atPath: try kiosk.environment.printOutput)) ?? [] {
                try? FileManager.default.removeItem(atPath: try kiosk.environment.printOutput + "/" + file)
            }
        }

        @Test func cupsdStoppedIsAFailureThatSaysHowToStartItAndCupsdComesBack() async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            try kiosk.configure(queue: try kiosk.environment.printer, receiver: nil)
            var restarted = false
            defer { if !restarted { try? kiosk.environment.services("restart", "cupsd") } }
            kill(try kiosk.environment.cupsdPID, SIGKILL)
            try await Task.sleep(for: .milliseconds(200))
            let result = try await kiosk.diag(["--json"])
            try kiosk.environment.services("restart", "cupsd")
            restarted = true
            #expect(result.status == 2, "\(result.standardOutput)")
            try Self.expectConforms(result.standardOutput)
            let checks = try Self.checks(result.standardOutput)
            #expect(Self.mark(checks, "printer/a4-queue") == "failure")
            #expect(Self.next(checks, "printer/a4-queue").contains("systemctl restart cups"))
            #expect(Self.mark(checks, "readers/pcscd") == "ok", "only the printer's line says so")
            let again = try await kiosk.diag(["--json"])
            #expect(Self.mark(try Self.checks(again.standardOutput), "printer/a4-queue") == "ok")
        }

        @Test func pcscdStoppedIsAFailureThatSaysHowToStartItAndPcscdComesBack() async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            try kiosk.configure(queue: nil, receiver: nil)
            let pid = try #require(Int32(try kiosk.environment.require("MADOGUCHI_TEST_PCSCD_PID")))
            var restarted = false
            defer { if !restarted { try? kiosk.environment.services("restart", "pcscd") } }
            kill(pid, SIGKILL)
            try await Task.sleep(for: .milliseconds(200))
            let result = try await kiosk.diag(["--json"])
            try kiosk.environment.services("restart", "pcscd")
            restarted = true
            #expect(result.status == 2, "\(result.standardOutput)")
            try Self.expectConforms(result.standardOutput)
            let checks = try Self.checks(result.standardOutput)
            #expect(Self.mark(checks, "readers/pcscd") == "failure")
            #expect(Self.next(checks, "readers/pcscd").contains("systemctl restart pcscd"))
            #expect(Self.mark(checks, "card/card") == "skipped")
            let again = try await kiosk.diag(["--json"])
            #expect(Self.mark(try Self.checks(again.standardOutput), "readers/configured") == "ok")
        }

        @Test func aMissingFramebufferOrTouchDeviceIsAFailureAndAPresentOneIsOk() async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            let present = kiosk.directory + "/fb-stand-in"
            try "".write(toFile: present, atomically: true, encoding: .utf8)
            try kiosk.configure(
                queue: nil, receiver: nil,
                display: """
                    [display]
                    device = "\(kiosk.directory)/fb-missing"

                    [input]
                    touch = "\(kiosk.directory)/touch-missing-event"
                    keyboard = "\(present)"

                    """)
            let result = try await kiosk.diag(["--json"])
            #expect(result.status == 2)
            try Self.expectConforms(result.standardOutput)
            let checks = try Self.checks(result.standardOutput)
            #expect(Self.mark(checks, "display/framebuffer") == "failure")
            #expect(Self.next(checks, "display/framebuffer").contains("ls /dev/fb*"))
            #expect(Self.mark(checks, "display/touch") == "failure")
            #expect(Self.next(checks, "display/touch").contains("[input] touch"))
            #expect(Self.mark(checks, "display/keyboard") == "ok")

            try kiosk.configure(queue: nil, receiver: nil, display: "[display]\ndevice = \"\(present)\"\n\n[input]\ntouch = \"none\"\nkeyboard = \"none\"\n")
            let fixed = try Self.checks(try await kiosk.diag(["--json"]).standardOutput)
            #expect(Self.mark(fixed, "display/framebuffer") == "ok")
            #expect(Self.mark(fixed, "display/touch") == "skipped" && Self.mark(fixed, "display/calibration") == "skipped")
        }

        @Test func aRunningDaemonIsOkWithItsPhaseAndSaysWhatItsReaderHolds() async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            try kiosk.configure(queue: nil, receiver: nil)
            try await StandInDaemon.run(in: kiosk.directory, status: try StandInDaemon.answering) { socket in
                let result = try await ProgramRunner.run(
                    "madoguchi", ["diag", "--json", "--config", kiosk.config], environment: ["MADOGUCHI_CONTROL_SOCKET": socket], timeout: 60)
                try Self.expectConforms(result.standardOutput)
                let checks = try Self.checks(result.standardOutput)
                #expect(Self.mark(checks, "system/daemon") == "ok", "\(checks["system/daemon"] ?? [:])")
                #expect((checks["system/daemon"]?["en"] as? String)?.contains("madoguchid is running (session phase") == true)
                // The daemon holds the card: diag tells what it reports and opens nothing.
                #expect(Self.mark(checks, "card/card") == "ok")
                #expect(
                    (checks["card/card"]?["en"] as? String)?.contains(
                        "madoguchid holds the reader \"SONY FeliCa RC-S300/P 00 00\" (a card is on it, session phase answering)") == true,
                    "\(checks["card/card"] ?? [:])")
                #expect(checks["card/type"] == nil && checks["card/round-trip"] == nil)
            }
        }

        @Test func aDaemonThatCouldNotLockItsConsoleIsAWarningNamingTheUnitLines() async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            try kiosk.configure(queue: nil, receiver: nil)
            let status = try StandInDaemon.answering.replacingOccurrences(
                of: #""console": {"tty": "/dev/tty1", "locked": true}"#, with: #""console": {"tty": "/dev/tty1", "locked": false}"#)
            try #require(status.contains(#""locked": false"#))
            try await StandInDaemon.run(in: kiosk.directory, status: status) { socket in
                let result = try await ProgramRunner.run(
                    "madoguchi", ["diag", "--json", "--config", kiosk.config], environment: ["MADOGUCHI_CONTROL_SOCKET": socket], timeout: 60)
                try Self.expectConforms(result.standardOutput)
                let checks = try Self.checks(result.standardOutput)
                #expect(Self.mark(checks, "system/daemon") == "warning", "\(checks["system/daemon"] ?? [:])")
                #expect((checks["system/daemon"]?["en"] as? String)?.contains("could not lock the virtual terminal /dev/tty1") == true)
                #expect(Self.next(checks, "system/daemon").contains("TTYPath=/dev/tty1"), "\(checks["system/daemon"] ?? [:])")
                // The daemon's other news is still there: it holds the reader.
                #expect(Self.mark(checks, "card/card") == "ok")
            }
        }

        @Test(arguments: [
            ("cardProblem.pinLocked", "暗証番号の初期化"), ("cardProblem.unreadable", "カードを置き直して"),
            ("cardProblem.notMyNumberCard", "表向き"),
        ])
        func aDaemonStuckOnACardProblemWarnsWithTheNextStep(_ phase: String, _ next: String) async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            try kiosk.configure(queue: nil, receiver: nil)
            let status = try StandInDaemon.answering.replacingOccurrences(of: #""phase": "answering""#, with: #""phase": "\#(phase)""#)
            try await StandInDaemon.run(in: kiosk.directory, status: status) { socket in
                let result = try await ProgramRunner.run(
                    "madoguchi", ["diag", "--json", "--config", kiosk.config], environment: ["MADOGUCHI_CONTROL_SOCKET": socket], timeout: 60)
                let checks = try Self.checks(result.standardOutput)
                #expect(Self.mark(checks, "card/card") == "warning", "\(checks["card/card"] ?? [:])")
                #expect(Self.next(checks, "card/card").contains(next))
                #expect(result.status == 1 || result.status == 2)
            }
        }

        @Test func aDaemonWithoutItsReaderIsAFailure() async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            try kiosk.configure(queue: nil, receiver: nil)
            let status = try StandInDaemon.answering.replacingOccurrences(of: #""name": "SONY FeliCa RC-S300/P 00 00", "cardPresent": true"#, with: #""name": null, "cardPresent": false"#)
            try await StandInDaemon.run(in: kiosk.directory, status: status) { socket in
                let result = try await ProgramRunner.run(
                    "madoguchi", ["diag", "--json", "--config", kiosk.config], environment: ["MADOGUCHI_CONTROL_SOCKET": socket], timeout: 60)
                let checks = try Self.checks(result.standardOutput)
                #expect(Self.mark(checks, "card/card") == "failure", "\(checks["card/card"] ?? [:])")
                #expect(Self.next(checks, "card/card").contains("systemctl restart pcscd"))
                #expect(result.status == 2)
            }
        }

        @Test func helpExplainsTheMarksAndTheExitStatus() async throws {
            // ArgumentParser wraps the text at 80 columns: compare it on one line.
            func flat(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            let result = try await ProgramRunner.run("madoguchi", ["diag", "--help"])
            #expect(result.status == 0)
            #expect(flat(result.standardOutput).contains("check (default)") && flat(result.standardOutput).contains("Exit status: 0 all ok, 1 a warning, 2 a failure"))
            #expect(flat(result.standardOutput).contains("card ") && flat(result.standardOutput).contains("check each card placed"))
            let check = try await ProgramRunner.run("madoguchi", ["diag", "check", "--help"])
            #expect(check.status == 0)
            #expect(check.standardOutput.contains("--json") && flat(check.standardOutput).contains("Exit status: 0 all ok, 1 a warning, 2 a failure"))
        }

        /// Runs a CUPS admin tool against the test cupsd.
        static func cups(_ environment: ServicesEnvironment, _ name: String, _ arguments: [String], directory: String = "/usr/sbin/") throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: directory + name)
            process.arguments = arguments
            process.environment = ["CUPS_SERVER": try environment.cupsServer, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(name) \(arguments)")
        }
    }
}
