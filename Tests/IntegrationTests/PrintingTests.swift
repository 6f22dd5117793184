import Documents
import Foundation
import Printing
import Rendering
import Testing

extension DeviceTests {
    /// Printing as a kiosk must trust it, against the isolated cupsd (configured with the
    /// kiosk's own Devices/cups/cupsd-kiosk.conf) and its test backend, which can fail,
    /// hold, stop the printer, report a fault or keep quiet about sheets.
    @Suite("Printing through CUPS: outcomes, faults and queue care")
    struct PrintingTests {
        /// The fictional resident whose name must never reach CUPS.
        static let resident = "見本 花子"

        struct Bench {
            let environment: ServicesEnvironment
            let printer: Printer

            init() throws {
                environment = try ServicesEnvironment.load()
                setenv("CUPS_SERVER", try environment.cupsServer, 1)
                printer = Printer(queue: try environment.printer, server: try environment.cupsServer)
            }

            /// Tells the test backend how the next jobs behave (nil: normally).
            func control(_ lines: String?) throws {
                let path = try environment.printerControl
                if let lines { try lines.write(toFile: path, atomically: true, encoding: .utf8) } else { try? FileManager.default.removeItem(atPath: path) }
            }

            /// A PDF of `pages` A4 pages holding the resident's name, as a filled form would.
            func pdf(pages: Int) throws -> String {
                let path = NSTemporaryDirectory() + "madoguchi-print-\(UUID().uuidString).pdf"
                let style = DocumentTemplate.Style(family: "BIZ UDGothic", size: 14)
                let document = ComposedDocument(
                    id: "form", title: "form", page: PageSize.named["A4"]!, language: .ja,
                    pages: (1...pages).map { page in
                        ComposedPage(marks: [.text(TextMark(pieces: [.plain("\(PrintingTests.resident) \(page)")], x: 20, y: 20, style: style))])
                    })
                try DocumentRenderer().writePDF(document, to: path)
                return path
            }

            /// Prints `pages` pages and returns the outcome and the job id.
            func print(pages: Int = 1, timeout: Duration = .seconds(20)) async throws -> (outcome: PrintOutcome, job: Int?) {
                let path = try pdf(pages: pages)
                defer { try? FileManager.default.removeItem(atPath: path) }
                let seen = JobRecorder()
                let outcome = await printer.print(
                    file: path, title: "madoguchi setainushi-henko", expectedSheets: pages, timeout: timeout, faultGrace: .seconds(1)
                ) { seen.record($0.id) }
                return (outcome, seen.id)
            }

            /// What the spool keeps of `job` (c##### control, d#####-### document files); other
            /// tests' jobs, sent without Madoguchi's purge, may sit beside them.
            func spoolFiles(job: Int?) throws -> [String] {
                guard let job else { return ["(no job id)"] }
                let id = String(format: "%05d", job)
                return try FileManager.default.contentsOfDirectory(atPath: try environment.cupsSpool)
                    .filter { $0 == "c" + id || $0.hasPrefix("d" + id + "-") }
            }

            /// Runs a CUPS command-line tool against the test server.
            func tool(_ name: String, _ arguments: [String]) throws {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/sbin/" + name)
                if !FileManager.default.fileExists(atPath: process.executableURL!.path) { process.executableURL = URL(fileURLWithPath: "/usr/bin/" + name) }
                process.arguments = arguments
                process.environment = ["CUPS_SERVER": try environment.cupsServer, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
                try process.run()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "\(name) \(arguments)")
            }

            /// Back to a clean queue: no control file, accepting, enabled, the kiosk's policy.
            func reset() async {
                try? control(nil)
                try? await printer.accept()
                try? await printer.resume()
                try? await printer.setErrorPolicy(.kiosk)
            }
        }

        /// Runs `body` on a clean queue and leaves it clean, also when `body` fails (a
        /// cleanup in an unstructured task could land in the next test).
        static func onCleanQueue(_ body: (Bench) async throws -> Void) async throws {
            let bench = try Bench()
            await bench.reset()
            do {
                try await body(bench)
            } catch {
                await bench.reset()
                throw error
            }
            await bench.reset()
        }

        /// The job id the progress callback saw.
        final class JobRecorder: @unchecked Sendable {
            private let lock = NSLock()
            private var value: Int?
            func record(_ id: Int) { lock.withLock { value = id } }
            var id: Int? { lock.withLock { value } }
        }

        @Test func aJobsBytesArriveAndItEndsConfirmedWhenThePrinterReportsItsSheets() async throws {
            let bench = try Bench()
            await bench.reset()
            let path = try bench.pdf(pages: 2)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let seen = JobRecorder()
            let outcome = await bench.printer.print(file: path, title: "madoguchi setainushi-henko", expectedSheets: 2) { seen.record($0.id) }
            #expect(outcome == .confirmed(sheets: 2))
            let job = try #require(seen.id)
            let out = try bench.environment.printOutput
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/job-\(job).pdf")) == original)
            let meta = try String(contentsOfFile: "\(out)/job-\(job).meta", encoding: .utf8)
            #expect(meta.contains("title=madoguchi setainushi-henko") && !meta.contains(Self.resident))
            let spool = try bench.spoolFiles(job: job)
            #expect(spool.isEmpty, "the spool keeps \(spool)")
            #expect(try await bench.printer.job(job) == nil)  // purged
        }

        @Test func aPrinterThatReportsNoSheetsGivesAnAssumedOutcome() async throws {
            try await Self.onCleanQueue { bench in
                try bench.control("pages=none\n")
                let (outcome, job) = try await bench.print(pages: 1)
                #expect(outcome == .assumed(sheetsReported: 0))
                #expect(try bench.spoolFiles(job: job).isEmpty)
            }
        }

        @Test(arguments: [ErrorPolicy.kiosk, .abortJob])
        func eachFaultGivesItsTypedOutcomeAndTheQueueWorksOnceItClears(_ policy: ErrorPolicy) async throws {
            try await Self.onCleanQueue { bench in
                try await bench.printer.setErrorPolicy(policy)
                #expect(try await bench.printer.status().errorPolicy == policy.rawValue)

                // A backend that fails: aborted at once, or retried by the kiosk's policy until
                // Madoguchi's own timeout cancels it.
                try bench.control("exit=1\nmessage=the test printer failed\n")
                let (failed, failedJob) = try await bench.print(timeout: .seconds(4))
                guard case .failed(let failure) = failed else { Issue.record("\(failed)"); return }
                #expect(failure.kind == (policy == .abortJob ? .jobAborted : .timedOut), "\(failure)")
                #expect(try bench.spoolFiles(job: failedJob).isEmpty)

                // A backend that holds the job.
                try bench.control("exit=3\n")
                guard case .failed(let held) = try await bench.print().outcome else { Issue.record("not failed"); return }
                #expect(held.kind == .jobHeld)

                // A backend that stops the printer.
                try bench.control("exit=4\nmessage=printer offline (test)\n")
                guard case .failed(let stopped) = try await bench.print().outcome else { Issue.record("not failed"); return }
                #expect(stopped.kind == .queueStopped, "\(stopped)")

                // Out of paper: the printer stops with media-empty-error.
                try bench.control("state=+media-empty-error\nexit=4\nmessage=out of paper (test)\n")
                guard case .failed(let empty) = try await bench.print().outcome else { Issue.record("not failed"); return }
                #expect(empty.kind == .printerFault, "\(empty)")
                #expect(empty.reasons.contains { $0.kind == .mediaEmpty && $0.severity == .error })
                #expect(empty.forResident.ja.contains("紙") && empty.forStaff.en.contains("out of paper"))
                #expect(try await bench.printer.status().state == .stopped)

                // The fault clears: the next print resumes the queue and comes out.
                try bench.control(nil)
                let (cleared, clearedJob) = try await bench.print()
                #expect(cleared == .confirmed(sheets: 1))
                let after = try await bench.printer.status()
                #expect(after.state == .idle && after.faults.isEmpty, "\(after)")
                #expect(try bench.spoolFiles(job: clearedJob).isEmpty)
            }
        }

        @Test(arguments: [ErrorPolicy.kiosk, .abortJob])
        func aPausedQueueIsResumedAndARejectingOneIsReportedUntilStaffAcceptJobs(_ policy: ErrorPolicy) async throws {
            try await Self.onCleanQueue { bench in
                try await bench.printer.setErrorPolicy(policy)
                let queue = try bench.environment.printer
                try bench.tool("cupsdisable", ["-r", "paused by the test", queue])
                #expect(try await bench.printer.status().state == .stopped)
                #expect(try await bench.print().outcome == .confirmed(sheets: 1))

                try bench.tool("cupsreject", ["-r", "rejecting (test)", queue])
                guard case .failed(let rejecting) = try await bench.print().outcome else { Issue.record("not failed"); return }
                #expect(rejecting.kind == .queueRejecting && rejecting.detail.contains("rejecting (test)"))
                try bench.tool("cupsaccept", [queue])
                #expect(try await bench.print().outcome == .confirmed(sheets: 1))
            }
        }

        @Test func aJobStuckPastItsTimeoutIsCanceledAndPurged() async throws {
            try await Self.onCleanQueue { bench in
                try bench.control("delay=4\n")
                let start = ContinuousClock.now
                let (outcome, job) = try await bench.print(timeout: .seconds(1))
                #expect(ContinuousClock.now - start < .seconds(3))
                guard case .failed(let failure) = outcome else { Issue.record("\(outcome)"); return }
                #expect(failure.kind == .timedOut)
                #expect(try await bench.printer.job(try #require(job)) == nil)
                #expect(try bench.spoolFiles(job: job).isEmpty)
            }
        }

        @Test(arguments: [ErrorPolicy.kiosk, .abortJob])
        func cupsdStoppedIsAClearErrorAtOnceNeverAHang(_ policy: ErrorPolicy) async throws {
            let bench = try Bench()
            await bench.reset()
            try await bench.printer.setErrorPolicy(policy)
            var restarted = false
            defer { if !restarted { try? bench.environment.services("restart", "cupsd") } }
            kill(try bench.environment.cupsdPID, SIGKILL)
            try await Task.sleep(for: .milliseconds(200))
            let start = ContinuousClock.now
            let (outcome, _) = try await bench.print()
            #expect(ContinuousClock.now - start < .seconds(3))
            guard case .failed(let failure) = outcome else { Issue.record("\(outcome)"); return }
            #expect(failure.kind == .serverUnavailable, "\(failure)")
            #expect(failure.forStaff.ja.contains("cupsd"))
            do {
                _ = try await bench.printer.status()
                Issue.record("status answered with cupsd down")
            } catch {
                #expect(Printer.failure(error).kind == .serverUnavailable)
            }
            try bench.environment.services("restart", "cupsd")
            restarted = true
            let fresh = try Bench()
            #expect(try await fresh.print().outcome == .confirmed(sheets: 1))
        }

        @Test func printerReasonsAreTypedWithSeverity() {
            let reasons = ["media-empty-error", "toner-low-report", "media-jam", "paused", "none", "x-vendor-thing-warning"].compactMap(PrinterReason.init(keyword:))
            #expect(reasons.map(\.kind) == [.mediaEmpty, .tonerLow, .mediaJam, .paused, .other])
            #expect(reasons.map(\.stopsPrinting) == [true, false, true, false, false])
            #expect(reasons[4].forStaff.en.contains("x-vendor-thing-warning"))
        }

        // MARK: the CLI

        @Test func printStatusTestAndFileRunAsATechnicianWould() async throws {
            let bench = try Bench()
            await bench.reset()
            let environment = ["CUPS_SERVER": try bench.environment.cupsServer, "MADOGUCHI_PRINTER": try bench.environment.printer]
            let status = try await ProgramRunner.run("madoguchi", ["print", "status", "--json"], environment: environment)
            #expect(status.status == 0, "\(status.standardError)")
            #expect(status.standardOutput.contains("\"ready\": true") && status.standardOutput.contains("\"errorPolicy\": \"retry-job\""))

            let test = try await ProgramRunner.run("madoguchi", ["print", "test", "--kiosk", "kasumi-honcho-01"], environment: environment)
            #expect(test.status == 0, "\(test.standardError)")
            #expect(test.standardOutput.contains("confirmed: 1"))
            let out = try bench.environment.printOutput
            let newest = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".pdf") }
                .max { (Int($0.dropFirst(4).dropLast(4)) ?? 0) < (Int($1.dropFirst(4).dropLast(4)) ?? 0) }
            let text = try DocumentRenderingTests.tool("/usr/bin/pdftotext", [out + "/" + (try #require(newest)), "-"]).output
            let queue = try bench.environment.printer
            #expect(text.contains("kasumi-honcho-01") && text.contains(queue) && text.contains("JST"))

            let named = NSTemporaryDirectory() + "\(Self.resident)-\(UUID().uuidString).pdf"
            try FileManager.default.copyItem(atPath: try bench.pdf(pages: 2), toPath: named)
            defer { try? FileManager.default.removeItem(atPath: named) }
            let file = try await ProgramRunner.run("madoguchi", ["print", named], environment: environment)
            #expect(file.status == 0, "\(file.standardError)")
            #expect(file.standardOutput.contains("confirmed: 2"))
            let titles = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".meta") }
                .map { try String(contentsOfFile: out + "/" + $0, encoding: .utf8) }
            #expect(!titles.contains { $0.contains(Self.resident) })

            let notPDF = NSTemporaryDirectory() + "madoguchi-\(UUID().uuidString).txt"
            try "hello".write(toFile: notPDF, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: notPDF) }
            let refused = try await ProgramRunner.run("madoguchi", ["print", notPDF], environment: environment)
            #expect(refused.status == 65 && refused.standardError.contains("is not a PDF"))
            try await bench.printer.setErrorPolicy(.stopPrinter)
            let prepare = try await ProgramRunner.run("madoguchi", ["print", "prepare"], environment: environment)
            #expect(prepare.status == 0 && prepare.standardOutput.contains("error policy retry-job"), "\(prepare.standardError)")
            #expect(try await bench.printer.status().errorPolicy == "retry-job")
            let missing = try await ProgramRunner.run("madoguchi", ["print", "status", "--queue", "no-such-queue"], environment: environment)
            #expect(missing.status == 69 && missing.standardError.contains("queue does not exist"))
        }
    }
}
