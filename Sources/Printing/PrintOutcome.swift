public import MadoguchiCore

/// `printer-state` (RFC 8011 §5.4.11).
public enum PrinterState: Int, Sendable, Hashable {
    case idle = 3, processing, stopped
}

/// A queue as the printer's IPP attributes describe it.
public struct PrinterStatus: Sendable, Hashable {
    /// The CUPS queue.
    public var queue: String
    /// Idle, processing or stopped.
    public var state: PrinterState
    /// What is wrong, typed.
    public var reasons: [PrinterReason]
    /// `printer-is-accepting-jobs`: false when rejecting (`cupsreject`).
    public var isAcceptingJobs: Bool
    /// `printer-state-message`: the last word of the backend or of whoever paused it.
    public var message: String
    /// `printer-error-policy` (CUPS): what a failed job does to the queue.
    public var errorPolicy: String?
    /// Jobs not yet finished.
    public var activeJobs: Int
    /// The supply levels (`marker-…`) as the printer's backend last reported them, unread:
    /// `Diagnostics.MarkerLevels` interprets them.
    public var markers: MarkerAttributes = MarkerAttributes()

    /// The reasons that keep paper from coming out.
    public var faults: [PrinterReason] { reasons.filter(\.stopsPrinting) }
}

/// The printer's `marker-…` attributes (RFC 3995/PWG 5100.9 as CUPS keeps them from its
/// backends' `ATTR:` lines), each list as sent: parallel lists, one entry per supply, but
/// nothing here checks that they agree. Empty lists when the printer reports none.
public struct MarkerAttributes: Sendable, Hashable {
    /// `marker-names`, e.g. `Black Toner`.
    public var names: [String]
    /// `marker-types`, e.g. `toner`, `ink-cartridge`, `waste-toner`.
    public var types: [String]
    /// `marker-colors`, e.g. `#000000`, `none`.
    public var colors: [String]
    /// `marker-levels`: 0–100 %, or -1 (unavailable), -2 (unknown), -3 (some remaining).
    public var levels: [Int]
    /// `marker-low-levels`: the level at or below which the supply is low.
    public var lowLevels: [Int]
    /// `marker-high-levels`: for waste containers, the level at or above which it is nearly full.
    public var highLevels: [Int]

    /// The attributes as read (all empty: none reported).
    public init(
        names: [String] = [], types: [String] = [], colors: [String] = [], levels: [Int] = [], lowLevels: [Int] = [],
        highLevels: [Int] = []
    ) {
        self.names = names
        self.types = types
        self.colors = colors
        self.levels = levels
        self.lowLevels = lowLevels
        self.highLevels = highLevels
    }
}

/// A job as `Get-Job-Attributes` reports it.
public struct JobStatus: Sendable, Hashable {
    /// The CUPS job id.
    public var id: Int
    /// `job-state`.
    public var state: PrintJobState
    /// `job-state-reasons`.
    public var reasons: [String]
    /// `job-media-sheets-completed`: the sheets the device (through its backend) reported.
    public var sheetsCompleted: Int
    /// `job-printer-state-message`: the backend's last message for this job.
    public var printerMessage: String
}

/// CUPS's `printer-error-policy`: what a job whose backend fails does to the queue.
public enum ErrorPolicy: String, Sendable, Hashable, CaseIterable {
    /// The kiosk's choice: the job is retried after `JobRetryInterval`, up to
    /// `JobRetryLimit`; the queue keeps serving the next resident. Madoguchi cancels the
    /// job itself once its own timeout passes.
    case retryJob = "retry-job"
    /// The job is aborted at once; the queue goes on.
    case abortJob = "abort-job"
    /// CUPS's default, wrong for a kiosk: one failed job stops the queue for everyone.
    case stopPrinter = "stop-printer"
    /// The job is retried at once, forever.
    case retryCurrentJob = "retry-current-job"

    /// The kiosk's deliberate policy.
    public static let kiosk = ErrorPolicy.retryJob
}

/// Why a print did not happen. Never carries a document's content or its title.
public struct PrintFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        /// cupsd does not answer (stopped, or its socket is gone).
        case serverUnavailable
        /// The queue does not exist.
        case queueMissing
        /// The queue refuses new jobs (`cupsreject`): a staff decision, not undone here.
        case queueRejecting
        /// The queue is stopped and could not be resumed.
        case queueStopped
        /// The printer reports a fault (`reasons`) that keeps paper from coming out.
        case printerFault
        /// The backend failed and the policy aborted the job.
        case jobAborted
        /// The job was canceled (by the backend, staff, or CUPS's `MaxJobTime`).
        case jobCanceled
        /// The backend held the job.
        case jobHeld
        /// The job did not finish within the time allowed; it was canceled.
        case timedOut
        /// CUPS refused the file or a request.
        case rejected
    }

    /// What went wrong.
    public var kind: Kind
    /// The printer faults seen, if any.
    public var reasons: [PrinterReason]
    /// CUPS's or the backend's own words (technicians; never personal data: titles carry none).
    public var detail: String

    /// Creates a failure.
    public init(_ kind: Kind, reasons: [PrinterReason] = [], detail: String = "") {
        self.kind = kind
        self.reasons = reasons
        self.detail = detail
    }

    /// For the resident: what happened, and that staff will help. Never a dead end.
    public var forResident: BilingualText {
        if let fault = reasons.first(where: \.stopsPrinting) { return fault.forResident }
        return BilingualText(
            ja: "印刷できませんでした。受付番号で係員がお手伝いします。", en: "Printing did not work. Staff will help you with your reference number.")
    }

    /// For staff: the cause and what to do.
    public var forStaff: BilingualText {
        let (ja, en): (String, String) =
            switch kind {
            case .serverUnavailable: ("印刷サービス(cupsd)が応答しません。systemctl status cups で確認してください", "the print service (cupsd) does not answer; check systemctl status cups")
            case .queueMissing: ("プリンターキューがありません。設定の [printer] を確認してください", "the printer queue does not exist; check [printer] in the configuration")
            case .queueRejecting: ("キューが受付を停止しています(cupsreject)。確認して cupsaccept で再開してください", "the queue rejects jobs (cupsreject); check it and run cupsaccept")
            case .queueStopped: ("キューが停止したまま再開できません", "the queue is stopped and could not be resumed")
            case .printerFault: ("プリンターの障害: " + reasons.filter(\.stopsPrinting).map(\.forStaff.ja).joined(separator: "、"), "printer fault: " + reasons.filter(\.stopsPrinting).map(\.forStaff.en).joined(separator: ", "))
            case .jobAborted: ("印刷ジョブが中止されました(バックエンドの失敗)", "the print job was aborted (the backend failed)")
            case .jobCanceled: ("印刷ジョブが取り消されました", "the print job was canceled")
            case .jobHeld: ("印刷ジョブが保留され、取り消しました", "the print job was held, and has been canceled")
            case .timedOut: ("印刷が時間内に終わらず、取り消しました", "the print job did not finish in time and has been canceled")
            case .rejected: ("CUPS が印刷を受け付けませんでした", "CUPS refused the print")
            }
        let detail = detail.isEmpty ? "" : " — " + detail
        return BilingualText(ja: ja + detail, en: en + detail)
    }

    /// Staff text, both languages.
    public var description: String { "\(kind.rawValue): \(forStaff)" }
}

/// How a print ended (architecture.md): never "printed" on the job state alone.
public enum PrintOutcome: Sendable, Hashable, CustomStringConvertible {
    /// The device reported every sheet.
    case confirmed(sheets: Int)
    /// The spooler finished but the device did not report the sheets (it cannot, or
    /// reported fewer): the done screen asks "did you get N sheets?".
    case assumed(sheetsReported: Int)
    /// Nothing, or not everything, came out.
    case failed(PrintFailure)

    /// Decides from a job's final status and the sheets expected.
    public static func decide(_ job: JobStatus, expectedSheets: Int) -> PrintOutcome {
        switch job.state {
        case .completed:
            job.sheetsCompleted >= expectedSheets && expectedSheets > 0
                ? .confirmed(sheets: job.sheetsCompleted) : .assumed(sheetsReported: job.sheetsCompleted)
        case .aborted: .failed(PrintFailure(.jobAborted, detail: job.printerMessage))
        case .canceled: .failed(PrintFailure(.jobCanceled, detail: job.printerMessage))
        case .held: .failed(PrintFailure(.jobHeld, detail: job.printerMessage))
        case .pending, .processing, .stopped: .failed(PrintFailure(.timedOut, detail: job.printerMessage))
        }
    }

    /// One line for terminals and logs.
    public var description: String {
        switch self {
        case .confirmed(let sheets): "confirmed: \(sheets) sheet(s) reported by the printer"
        case .assumed(let sheets): "assumed: the spooler finished; the printer reported \(sheets) sheet(s)"
        case .failed(let failure): "failed: \(failure)"
        }
    }
}
