import Documents
import Flows
import Foundation
import KioskSession
import Logging
import Outbox
import Printing
import Rendering
import Screens

/// Where the documents go: the A4 queue and, for receipt rolls, the receipt queue.
public struct PrinterQueues: Sendable {
    /// The queue for A/B pages.
    public var a4: String?
    /// The queue for receipt rolls.
    public var receipt: String?
    /// The CUPS server (nil: libcups' default).
    public var server: String?
    /// A job not finished by then counts as failed.
    public var jobTimeout: Duration

    /// Queues for printing.
    public init(a4: String?, receipt: String? = nil, server: String? = nil, jobTimeout: Duration = .seconds(120)) {
        self.a4 = a4
        self.receipt = receipt
        self.server = server
        self.jobTimeout = jobTimeout
    }
}

/// Draws a finished run's documents to PDF and prints them one job each, following every
/// job to its end. The PDFs hold personal data: they live in a private folder only while
/// their job runs. Job titles name the form and document, never a person.
struct DocumentPrinter: Sendable {
    let queues: PrinterQueues
    let spool: String
    let logger: Logger

    /// How the documents' print ended, with what the resident is told when it failed.
    struct Result: Sendable {
        var result: PrintResult
        var record: PrintRecord
        var issue: ScreenState.PrinterIssue
    }

    func printDocuments(
        _ documents: [String], run: FlowRun, submissionID: String, createdAt: String, language: BundleLanguage,
        progress: @escaping @Sendable (Int) async -> Void
    ) async -> Result {
        var confirmedSheets = 0
        var expectedSheets = 0
        var assumed = false
        for (index, id) in documents.enumerated() {
            guard let source = run.bundle.documents[id] else { continue }
            let path = "\(spool)/\(UUID().uuidString.lowercased()).pdf"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let pages: Int
            let roll: Bool
            do {
                let template = try DocumentTemplate(source)
                let renderer = DocumentRenderer()
                let composed = renderer.compose(template, DocumentInput(run: run, submissionID: submissionID, createdAt: createdAt, language: language))
                pages = try renderer.writePDF(composed, to: path).pages
                roll = composed.page.isRoll
            } catch {
                logger.error("document not drawn", metadata: ["form": "\(run.bundle.id)", "document": "\(id)", "error.kind": "\(type(of: error))"])
                return Result(result: .failed(.failed), record: PrintRecord(outcome: .failed, sheets: confirmedSheets, reasons: ["document-format-error"]), issue: .unavailable)
            }
            guard let queue = roll ? (queues.receipt ?? queues.a4) : queues.a4 else {
                logger.error("no printer queue configured", metadata: ["document": "\(id)"])
                return Result(result: .failed(.unavailable), record: PrintRecord(outcome: .failed, sheets: confirmedSheets), issue: .unavailable)
            }
            expectedSheets += pages
            let printer = Printer(queue: queue, server: queues.server)
            let outcome = await printer.print(
                file: path, title: "madoguchi \(run.bundle.id) \(id)", expectedSheets: pages, timeout: queues.jobTimeout)
            logger.info("printed", metadata: ["document": "\(id)", "printer.queue": "\(queue)", "outcome": "\(Self.name(outcome))"])
            switch outcome {
            case .confirmed(let sheets):
                confirmedSheets += sheets
            case .assumed:
                assumed = true
            case .failed(let failure):
                // IPP keywords without the severity suffix, as the submission's print record keeps
                // them; anything that is no keyword is left out (a record must stay sendable).
                let reasons = failure.reasons.map(\.base).filter(PrintRecord.isKeyword)
                let problem: PrinterProblem = switch failure.kind {
                case .printerFault: .printerFault
                case .serverUnavailable, .queueMissing, .queueRejecting, .queueStopped: .unavailable
                default: .failed
                }
                let kinds = Set(failure.reasons.map(\.kind))
                let issue: ScreenState.PrinterIssue =
                    kinds.contains(.mediaEmpty) || kinds.contains(.mediaNeeded) ? .outOfPaper : kinds.contains(.mediaJam) ? .jammed : .unavailable
                return Result(result: .failed(problem), record: PrintRecord(outcome: .failed, sheets: confirmedSheets, reasons: reasons), issue: issue)
            }
            await progress(index + 1)
        }
        if assumed { return Result(result: .assumed(expected: expectedSheets), record: PrintRecord(outcome: .assumed, sheets: expectedSheets), issue: .unavailable) }
        return Result(result: .confirmed(sheets: confirmedSheets), record: PrintRecord(outcome: .confirmed, sheets: confirmedSheets), issue: .unavailable)
    }

    static func name(_ outcome: PrintOutcome) -> String {
        switch outcome {
        case .confirmed: "confirmed"
        case .assumed: "assumed"
        case .failed(let failure): "failed:\(failure.kind.rawValue)"
        }
    }
}
