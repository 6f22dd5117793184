import Foundation
import Printing
import Testing

extension DeviceTests {
    /// `madoguchi diag print` against the test cupsd and its backend, as a technician runs
    /// it: the test page is followed to its end line by line, each way it can fail is ✗
    /// with its next step, and the queue's supply levels (the backend's `ATTR:` lines, kept
    /// by cupsd) show in `madoguchi diag` and end a print with a warning when low.
    @Suite("madoguchi diag print: the test page, followed to its end", .serialized)
    struct DiagPrintTests {
        typealias Kiosk = DiagCommandTests.Kiosk

        /// A kiosk configured with the test queue as `[printer.a4]` (no back office), a clean
        /// queue, and the test backend told `control` (nil: print normally).
        static func withKiosk(control: String? = nil, _ body: (Kiosk) async throws -> Void) async throws {
            let kiosk = try await Kiosk()
            defer { kiosk.remove() }
            try kiosk.configure(queue: try kiosk.environment.printer, receiver: nil)
            let path = try kiosk.environment.printerControl
            if let control { try control.write(toFile: path, atomically: true, encoding: .utf8) }
            defer { try? FileManager.default.removeItem(atPath: path) }
            // No job of a failed test may hold up the next one.
            defer { try? DiagCommandTests.cups(kiosk.environment, "cancel", ["-a", kiosk.environment.printer], directory: "/usr/bin/") }
            try await body(kiosk)
        }

        /// `madoguchi diag print --config <the kiosk's> ARGUMENTS…`.
        static func print(_ kiosk: Kiosk, _ arguments: [String] = []) async throws -> ProgramRunner.Result {
            try await ProgramRunner.run(
                "madoguchi", ["diag", "print", "--config", kiosk.config] + arguments,
                environment: ["MADOGUCHI_CONTROL_SOCKET": kiosk.directory + "/no-daemon.sock"], timeout: 60)
        }

        /// The index of the first line containing `text`, or nil.
        static func line(_ output: String, _ text: String) -> Int? {
            output.split(separator: "\n").firstIndex { $0.contains(text) }
        }

        /// The test queue's unfinished jobs.
        static func activeJobs(_ kiosk: Kiosk) async throws -> Int {
            try await Printer(queue: try kiosk.environment.printer, server: try kiosk.environment.cupsServer).status().activeJobs
        }

        @Test func aGoodPrintCompletesWithOneLinePerChangeInOrderAndThePageLands() async throws {
            // A slow printer, so that "processing" is seen between "sent" and "completed".
            try await Self.withKiosk(control: "delay=1\n") { kiosk in
                let result = try await Self.print(kiosk, ["--timeout", "30"])
                let output = result.standardOutput
                #expect(result.status == 0, "\(output)\(result.standardError)")
                let queue = try kiosk.environment.printer
                #expect(output.hasPrefix("テストページを印刷します: キュー \(queue)([printer.a4]) / Printing the test page on queue \(queue) ([printer.a4])"))
                let sent = try #require(Self.line(output, "/ sent (job "), "\(output)")
                let processing = try #require(Self.line(output, "印刷中 / processing"), "\(output)")
                let completed = try #require(Self.line(output, "完了 / completed"), "\(output)")
                let done = try #require(Self.line(output, "✓ テストページを印刷しました"), "\(output)")
                #expect(sent < processing && processing < completed && completed < done, "\(output)")
                // Each progress line starts with the seconds since the job was sent.
                let lines = output.split(separator: "\n")
                for index in [sent, processing, completed] { #expect(lines[index].contains(" s  "), "\(lines[index])") }
                #expect(lines[done].contains("the printer reported 1 sheet(s)"))
                // The job's file landed, titled as a test page.
                let job = try #require(Int(lines[sent].split(separator: "job ").last?.prefix { $0.isNumber } ?? ""), "\(lines[sent])")
                let out = try kiosk.environment.printOutput
                let page = try Data(contentsOf: URL(fileURLWithPath: "\(out)/job-\(job).pdf"))
                #expect(page.starts(with: Array("%PDF-".utf8)))
                let meta = try String(contentsOfFile: "\(out)/job-\(job).meta", encoding: .utf8)
                #expect(meta.contains("title=madoguchi-test-page"))
                #expect(try await Self.activeJobs(kiosk) == 0)
            }
        }

        @Test func outOfPaperIsAFailureWithTheReasonAndTheNextStepAndThePrintWorksOnceFixed() async throws {
            let queue = try ServicesEnvironment.load().printer
            try await Self.withKiosk(control: "state=+media-empty-error\nexit=4\nmessage=out of paper (test)\n") { kiosk in
                defer { try? DiagCommandTests.cups(kiosk.environment, "cupsenable", [queue]) }
                let result = try await Self.print(kiosk, ["--timeout", "20"])
                let output = result.standardOutput
                #expect(result.status == 2, "\(output)\(result.standardError)")
                let failure = try #require(output.split(separator: "\n").first { $0.hasPrefix("✗ ") }, "\(output)")
                #expect(failure.contains("out of paper: load paper (media-empty-error)"), "\(failure)")
                #expect(failure.contains("out of paper (test)"), "the backend's message: \(failure)")
                #expect(output.contains("→ Clear the printer's fault (paper, cover, power), then resume with cupsenable \(queue)"))
                #expect(!output.contains("completed"))
                #expect(try await Self.activeJobs(kiosk) == 0, "the failed job is not left in the queue")

                // The technician does what it says: paper in, cupsenable, and the print works.
                try FileManager.default.removeItem(atPath: try kiosk.environment.printerControl)
                try DiagCommandTests.cups(kiosk.environment, "cupsenable", [queue])
                let again = try await Self.print(kiosk, ["--timeout", "20"])
                #expect(again.status == 0, "\(again.standardOutput)")
            }
        }

        @Test func aJobPastTheTimeoutIsCanceledAndSaysSoSoNothingIsLeftInTheQueue() async throws {
            try await Self.withKiosk(control: "delay=5\n") { kiosk in
                let start = ContinuousClock.now
                let result = try await Self.print(kiosk, ["--timeout", "1"])
                let output = result.standardOutput
                #expect(ContinuousClock.now - start < .seconds(4), "it stops at the timeout, not when the printer is done")
                #expect(result.status == 2, "\(output)")
                #expect(output.contains("✗ 1 秒たっても印刷が終わりません"), "\(output)")
                #expect(output.contains("The print did not finish within 1 s"))
                let canceled = try #require(Self.line(output, "/ canceled job "), "\(output)")
                #expect(canceled < (Self.line(output, "✗ ") ?? 0))
                #expect(try await Self.activeJobs(kiosk) == 0)
            }
        }

        @Test func ctrlCWhilePrintingCancelsTheJobAndSaysSo() async throws {
            try await Self.withKiosk(control: "delay=5\n") { kiosk in
                let output = Pipe()
                let process = try ProgramRunner.start(
                    "madoguchi", ["diag", "print", "--config", kiosk.config], output: output, error: Pipe())
                let deadline = ContinuousClock.now + .seconds(10)
                // Wait until the job is sent, then interrupt.
                var seen = Data()
                while ContinuousClock.now < deadline, !String(decoding: seen, as: UTF8.self).contains("sent (job") {
                    seen += output.fileHandleForReading.availableData
                }
                kill(process.processIdentifier, SIGINT)
                while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                seen += output.fileHandleForReading.readDataToEndOfFile()
                let text = String(decoding: seen, as: UTF8.self)
                #expect(process.terminationStatus == 130, "\(text)")
                #expect(text.contains("中断: ジョブ") && text.contains("interrupted: canceled job"), "\(text)")
                #expect(try await Self.activeJobs(kiosk) == 0)
            }
        }

        @Test func aStoppedQueueIsAFailureThatSaysToRunCupsenableAndSendsNothing() async throws {
            try await Self.withKiosk { kiosk in
                let queue = try kiosk.environment.printer
                try DiagCommandTests.cups(kiosk.environment, "cupsdisable", ["-r", "paused by the diag print test", queue])
                defer { try? DiagCommandTests.cups(kiosk.environment, "cupsenable", [queue]) }
                let result = try await Self.print(kiosk)
                let output = result.standardOutput
                #expect(result.status == 2, "\(output)")
                #expect(output.contains("✗ キュー \(queue) は停止しています「paused by the diag print test」。 / Queue \(queue) is stopped (\"paused by the diag print test\")."))
                #expect(output.contains("cupsenable \(queue)"))
                #expect(!output.contains("sent (job"), "nothing is sent to a stopped queue")
                let status = try await Printer(queue: queue, server: try kiosk.environment.cupsServer).status()
                #expect(status.state == .stopped, "diag print does not resume the queue itself")
            }
        }

        @Test func onAReceiptQueueTheTestPageIsEightyMillimetresWide() async throws {
            try await Self.withKiosk { kiosk in
                let queue = try kiosk.environment.printer
                let config = try String(contentsOfFile: kiosk.config, encoding: .utf8) + "\n[printer.receipt]\nqueue = \"\(queue)\"\n"
                try config.write(toFile: kiosk.config, atomically: true, encoding: .utf8)
                let result = try await Self.print(kiosk, ["--queue", "receipt"])
                let output = result.standardOutput
                #expect(result.status == 0, "\(output)")
                #expect(output.hasPrefix("テストページを印刷します: キュー \(queue)([printer.receipt])"))
                let sent = try #require(output.split(separator: "\n").first { $0.contains("/ sent (job ") }, "\(output)")
                let job = try #require(Int(sent.split(separator: "job ").last?.prefix { $0.isNumber } ?? ""), "\(sent)")
                let page = try Data(contentsOf: URL(fileURLWithPath: "\(try kiosk.environment.printOutput)/job-\(job).pdf"))
                // 80 mm = 226.77 pt wide (an A4 page would be 595.28).
                #expect(String(decoding: page, as: UTF8.self).contains("/MediaBox [ 0 0 226.77"), "not an 80 mm page")
            }
        }

        @Test func aReceiptQueueThatIsNotConfiguredSaysWhatToAddOrWhichQueueToUse() async throws {
            try await Self.withKiosk { kiosk in
                let result = try await Self.print(kiosk, ["--queue", "receipt"])
                let output = result.standardOutput
                #expect(result.status == 2, "\(output)")
                #expect(output.contains("✗ [printer.receipt] が設定されていません(\(kiosk.config))。 / No [printer.receipt] is configured (\(kiosk.config))."))
                #expect(output.contains("→ Add [printer.receipt] with queue = \"<CUPS queue>\" to \(kiosk.config)"))
                #expect(output.contains("--queue a4"))
                #expect(!output.contains("sent (job"))
            }
        }

        @Test func supplyLevelsFromTheBackendShowInDiagAndALowOneEndsThePrintWithAWarningAnEmptyOneWithAFailure() async throws {
            let levels = { (black: Int) in
                "attr=marker-names=Black,Cyan marker-types=toner,toner marker-colors=#000000,#00FFFF marker-levels=\(black),60 marker-low-levels=10,10\n"
            }
            try await Self.withKiosk(control: levels(80)) { kiosk in
                // Whatever happens, the queue is left with good levels for the tests after.
                do {
                    try await Self.lowLevelsWarn(kiosk, levels)
                } catch {
                    try? levels(80).write(toFile: try kiosk.environment.printerControl, atomically: true, encoding: .utf8)
                    _ = try? await Self.print(kiosk)
                    throw error
                }
                try levels(80).write(toFile: try kiosk.environment.printerControl, atomically: true, encoding: .utf8)
                #expect(try await Self.print(kiosk).status == 0)
            }
        }

        /// Good levels are ✓ in diag; Black at 8 % (low at 10 %) makes the print end ⚠ and diag
        /// ⚠; at 0 % (toner cannot print) the print ends ✗.
        static func lowLevelsWarn(_ kiosk: Kiosk, _ levels: (Int) -> String) async throws {
            let good = try await Self.print(kiosk)
            #expect(good.status == 0, "\(good.standardOutput)")
            let checks = try DiagCommandTests.checks(try await kiosk.diag(["--json"]).standardOutput)
            #expect(DiagCommandTests.mark(checks, "printer/a4-marker-1") == "ok")
            #expect(checks["printer/a4-marker-1"]?["en"] as? String == "Toner Black: 80 %")
            #expect(checks["printer/a4-marker-2"]?["en"] as? String == "Toner Cyan: 60 %")

            try levels(8).write(toFile: try kiosk.environment.printerControl, atomically: true, encoding: .utf8)
            let low = try await Self.print(kiosk)
            #expect(low.status == 1, "\(low.standardOutput)")
            #expect(low.standardOutput.contains("⚠ トナー残りわずか: Black 8 %(目安 10 %) / toner low: Black 8 % (low at 10 %)"))
            #expect(low.standardOutput.contains("→ Order a replacement toner cartridge"))
            #expect(low.standardOutput.contains("⚠ テストページを印刷しましたが、注意があります"))

            let report = try await kiosk.diag(["--json"])
            #expect(report.status == 1)
            try DiagCommandTests.expectConforms(report.standardOutput)
            let lowChecks = try DiagCommandTests.checks(report.standardOutput)
            #expect(DiagCommandTests.mark(lowChecks, "printer/a4-marker-1") == "warning")
            #expect(DiagCommandTests.next(lowChecks, "printer/a4-marker-1").contains("toner cartridge"))
            #expect(DiagCommandTests.mark(lowChecks, "printer/a4-marker-2") == "ok")
            let text = try await kiosk.diag()
            #expect(text.standardOutput.contains("⚠ トナー残りわずか: Black 8 %"))

            try levels(0).write(toFile: try kiosk.environment.printerControl, atomically: true, encoding: .utf8)
            let empty = try await Self.print(kiosk)
            #expect(empty.status == 2, "\(empty.standardOutput)")
            #expect(empty.standardOutput.contains("✗ トナー切れ: Black 0 % / toner empty: Black 0 %"))
            #expect(empty.standardOutput.contains("→ Replace the toner cartridge, then check with madoguchi diag print."))
            #expect(empty.standardOutput.contains("✗ 印刷は終わりましたが、プリンターに異常があります"))
        }
    }
}
