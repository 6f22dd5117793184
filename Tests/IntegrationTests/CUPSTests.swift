import CCUPS
import Foundation
import Printing
import Testing

extension DeviceTests {
    @Suite("CUPS against the isolated cupsd and its test queue")
    struct CUPSTests {
        @Test func libcupsFindsTheTestQueueThroughCUPSServer() throws {
            let environment = try ServicesEnvironment.load()
            setenv("CUPS_SERVER", try environment.cupsServer, 1)
            var dests: UnsafeMutablePointer<cups_dest_t>?
            let count = cupsGetDests2(nil, &dests)
            defer { cupsFreeDests(count, dests) }
            let names = (0..<Int(count)).map { String(cString: dests![$0].name) }
            #expect(names.contains(try environment.printer))
        }

        @Test func adapterReportsTheTestQueueAsTheDefaultAndAcceptingJobs() throws {
            let environment = try ServicesEnvironment.load()
            setenv("CUPS_SERVER", try environment.cupsServer, 1)
            let queue = try #require(try CUPSClient.queues().first { $0.name == (try environment.printer) })
            #expect(queue.isDefault)
            #expect(queue.isAcceptingJobs == true)
        }

        @Test func aSubmittedPDFLandsByteForByteInTheOutputFolderWithItsTitle() async throws {
            let environment = try ServicesEnvironment.load()
            setenv("CUPS_SERVER", try environment.cupsServer, 1)
            let pdf = Data("%PDF-1.4\n% Madoguchi test page\n".utf8)
            let path = NSTemporaryDirectory() + "madoguchi-print-\(UUID().uuidString).pdf"
            try pdf.write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }

            let job = try CUPSClient.submit(file: path, to: try environment.printer, title: "madoguchi-test-page")
            let state = try await waitForFinalState(queue: try environment.printer, job: job)
            #expect(state == .completed)

            let out = URL(fileURLWithPath: try environment.printOutput)
            let printed = try Data(contentsOf: out.appendingPathComponent("job-\(job).pdf"))
            #expect(printed == pdf)
            let meta = try String(contentsOf: out.appendingPathComponent("job-\(job).meta"), encoding: .utf8)
            #expect(meta.contains("title=madoguchi-test-page"))
        }

        @Test func aBackendToldToFailAbortsTheJobAndWritesNothing() async throws {
            let environment = try ServicesEnvironment.load()
            setenv("CUPS_SERVER", try environment.cupsServer, 1)
            // Under abort-job; the queue's own policy (the kiosk's retry-job) comes back after.
            let printer = Printer(queue: try environment.printer, server: try environment.cupsServer)
            try await printer.setErrorPolicy(.abortJob)
            let control = try environment.printerControl
            try "exit=1\nmessage=paper jam (test)\n".write(toFile: control, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: control) }
            let path = NSTemporaryDirectory() + "madoguchi-print-\(UUID().uuidString).pdf"
            try Data("%PDF-1.4\n".utf8).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }

            let job = try CUPSClient.submit(file: path, to: try environment.printer, title: "madoguchi-fail-test")
            let state = try await waitForFinalState(queue: try environment.printer, job: job)
            try await printer.setErrorPolicy(.kiosk)
            #expect(state == .aborted)
            let out = URL(fileURLWithPath: try environment.printOutput)
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("job-\(job).pdf").path))
        }

        private func waitForFinalState(queue: String, job: Int) async throws -> PrintJobState? {
            let deadline = ContinuousClock.now + .seconds(10)
            var state: PrintJobState?
            while ContinuousClock.now < deadline {
                state = try CUPSClient.jobState(queue: queue, id: job)
                if state?.isFinal == true { return state }
                try await Task.sleep(for: .milliseconds(25))
            }
            return state
        }
    }
}
