import Flows
import Foundation
public import KioskSession
public import Logging
import MadoguchiCore
import MyNumberCard
import Outbox
public import OutboxStore
public import PCSC
public import Screens

/// What the runtime reports for metrics: aggregates only, never a person.
public enum RuntimeMetric: Sendable, Hashable {
    /// Seconds spent in one step of a form (`card`, `pin`, `question:<id>`, `review`, `print`).
    case step(form: String, step: String, seconds: Double)
    /// How a session ended, and the step it ended in when unfinished.
    case session(form: String, outcome: String, abandonedAt: String?)
}

/// What the runtime is doing, for `madoguchi status` (no personal data).
public struct RuntimeStatus: Sendable, Hashable {
    public var phase: String
    public var screen: String
    public var reader: String?
    public var cardPresent: Bool
    public var alerts: [String]
    public var sessions: Int
    public var lastPrint: String?
}

/// Performs the session's effects with the devices and feeds their results back as events:
/// the card on its own thread, the printer through CUPS, the outbox in SQLite, the screen
/// through `display`. Holds the PIN digits (`SecretDigits`) and the typed answers (`KioskView`)
/// only while a session runs; `wipe` drops them.
public actor KioskRuntime {
    /// The devices and settings a runtime works with.
    public struct Settings: Sendable {
        public var session: SessionConfiguration
        public var kioskId: String
        public var language: ScreenLanguage
        /// Use the first reader whose name contains this ("" for any).
        public var readerMatch: String
        /// Accept vsmartcard's virtual reader (tests and demos).
        public var allowVirtualReader: Bool
        public var printers: PrinterQueues
        /// A private folder for PDFs while their job runs.
        public var spoolDirectory: String
        /// Checks a staff passcode (ASCII digits) against the kiosk's hash; nil when staff
        /// cannot sign in here.
        public var staffCheck: (@Sendable ([UInt8]) -> Bool)?

        public init(
            session: SessionConfiguration, kioskId: String, language: ScreenLanguage = .ja, readerMatch: String = "",
            allowVirtualReader: Bool = false, printers: PrinterQueues, spoolDirectory: String,
            staffCheck: (@Sendable ([UInt8]) -> Bool)? = nil
        ) {
            self.session = session
            self.kioskId = kioskId
            self.language = language
            self.readerMatch = readerMatch
            self.allowVirtualReader = allowVirtualReader
            self.printers = printers
            self.spoolDirectory = spoolDirectory
            self.staffCheck = staffCheck
        }
    }

    private let settings: Settings
    private var session: KioskSession
    private var view: KioskView
    private var shown: SessionScreen = .welcome
    private var drawn: Screen
    private let digits = SecretDigits()
    /// The staff passcode as it is typed, apart from a resident's PIN.
    private let staffDigits = SecretDigits(capacity: 12)
    private let card = CardService()
    private let printer: DocumentPrinter
    private let outbox: OutboxDatabase
    private let display: @Sendable (Screen) -> Void
    private let onEnqueued: @Sendable () -> Void
    private let onMetric: @Sendable (RuntimeMetric) -> Void
    private let sensitive: SensitiveValues
    private let logger: Logger
    private let started = ContinuousClock.now
    private var reader: String?
    private var readers: [String] = []
    private var step: (name: String, since: ContinuousClock.Instant)?
    private var reachedDone = false
    private var sessions = 0
    private var lastPrint: String?
    private var busy = 0

    /// A runtime at the welcome screen.
    public init(
        settings: Settings, outbox: OutboxDatabase, sensitive: SensitiveValues, logger: Logger,
        display: @escaping @Sendable (Screen) -> Void, onEnqueued: @escaping @Sendable () -> Void = {},
        onMetric: @escaping @Sendable (RuntimeMetric) -> Void = { _ in }
    ) throws {
        self.settings = settings
        self.session = KioskSession(configuration: settings.session)
        self.view = KioskView(language: settings.language)
        self.outbox = outbox
        self.sensitive = sensitive
        self.logger = logger
        self.display = display
        self.onEnqueued = onEnqueued
        self.onMetric = onMetric
        try FileManager.default.createDirectory(atPath: settings.spoolDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        self.printer = DocumentPrinter(queues: settings.printers, spool: settings.spoolDirectory, logger: logger)
        self.drawn = SessionPresenter.screen(.welcome, session: session, view: view)
    }

    // MARK: what happens

    /// Shows the first screen.
    public func start() {
        view.waiting = (try? outbox.status()).map { $0.waiting + $0.delivering } ?? 0
        redraw()
    }

    /// The screen on show (for key mapping and tests).
    public var screen: Screen { drawn }

    /// A person's input on the screen shown.
    public func input(_ input: KioskInput) async {
        let commands = SessionPresenter.handle(input, on: shown, session: session, view: &view)
        for command in commands {
            switch command {
            case .session(let event): await handle(event)
            case .pinDigit(let digit): digits.append(digit)
            case .pinErase: digits.eraseLast()
            case .staffDigit(let digit): staffDigits.append(digit)
            case .staffErase: staffDigits.eraseLast()
            case .staffSubmit:
                let check = settings.staffCheck
                let valid = staffDigits.take { typed in check?(typed) ?? false }
                view.staffLength = 0
                await handle(.staffCredential(valid: valid, card: false))
            case .redraw: break
            }
        }
        if !commands.isEmpty { redraw() }
    }

    /// A reader or card event from pcscd.
    public func readerEvent(_ event: ReaderEvent) async {
        switch event {
        case .readerAdded(let name):
            readers.append(name)
            if reader == nil, accepts(name) {
                reader = name
                logger.info("reader chosen", metadata: ["reader.name": "\(name)"])
            }
        case .readerRemoved(let name):
            readers.removeAll { $0 == name }
            if reader == name {
                reader = readers.first(where: accepts)
                if session.cardPresent { await handle(.cardRemoved) }
            }
        case .cardInserted(let name, _):
            if reader == nil, accepts(name) { reader = name }
            if name == reader { await handle(.cardInserted) }
        case .cardRemoved(let name):
            if name == reader { await handle(.cardRemoved) }
        case .serviceUnavailable:
            if session.cardPresent { await handle(.cardRemoved) }
        case .serviceRestored:
            break
        }
    }

    /// The clock: call about once a second.
    public func tick() async {
        let seconds = Int((ContinuousClock.now - started).components.seconds)
        await handle(.tick(now: seconds))
    }

    /// What the runtime is doing, without personal data.
    public func status() -> RuntimeStatus {
        RuntimeStatus(
            phase: Self.name(session.phase), screen: drawn.id, reader: reader, cardPresent: session.cardPresent,
            alerts: session.alerts.map(\.rawValue).sorted(), sessions: sessions, lastPrint: lastPrint)
    }

    /// Whether a print or a store is under way (a shutdown waits for it).
    public var isBusy: Bool { busy > 0 }

    /// Ends the session under way (staff, or shutdown): its data is dropped.
    public func cancelSession() async {
        if session.isActive { await handle(.cancel) }
    }

    private func accepts(_ name: String) -> Bool {
        if !settings.allowVirtualReader, name.hasPrefix("Virtual PCD") { return false }
        return settings.readerMatch.isEmpty || name.contains(settings.readerMatch)
    }

    // MARK: the session

    private func handle(_ event: SessionEvent) async {
        let before = session.phase
        let effects = session.handle(event)
        track(from: before, event: event, effects: effects)
        for effect in effects { await perform(effect) }
    }

    private func perform(_ effect: SessionEffect) async {
        switch effect {
        case .show(let screen):
            if case .question(let id, _) = screen, view.questionID != id {
                view.reset(for: id)
            }
            if case .pinPad = screen, case .pinPad = shown {} else if case .pinPad = screen {
                digits.wipe()
                view.pinLength = 0
            }
            if case .pinPad(_, true) = screen {
                digits.wipe()
                view.pinLength = 0
            }
            if case .staffSignIn = screen {
                // Each sign-in (and each retry after a wrong passcode) starts empty.
                staffDigits.wipe()
                view.staffLength = 0
            } else if case .staffSignIn = shown {
                // Left (signed in, cancelled, locked out): no typed digit stays behind.
                staffDigits.wipe()
                view.staffLength = 0
            }
            shown = screen
            redraw()
        case .readCardStatus:
            guard let reader else { return await handle(.cardStatusFailed) }
            await handle(await card.status(reader: reader))
        case .verifyAndRead(let confirmLastTry):
            guard let reader else {
                digits.wipe()
                return await handle(.readFailed(.unreadable))
            }
            view.pinLength = 0
            let result = await card.verifyAndRead(reader: reader, digits: digits, confirmLastTry: confirmLastTry)
            if case .readSucceeded(let identity) = result {
                sensitive.add([identity.name, identity.address, identity.birthWareki])
            }
            await handle(result)
        case .forgetPIN:
            digits.wipe()
            view.pinLength = 0
        case .enqueue(let draft):
            busy += 1
            defer { busy -= 1 }
            await handle(enqueue(draft))
        case .print(let documents, let submissionID):
            guard let run = session.run else { return }
            busy += 1
            defer { busy -= 1 }
            view.documents = documents.count
            view.printed = 0
            redraw()
            let language = BundleLanguage(rawValue: view.language.rawValue) ?? .ja
            let result = await printer.printDocuments(
                documents, run: run, submissionID: submissionID, createdAt: Self.japanTime(Date()), language: language
            ) { [weak self] done in await self?.printed(done) }
            view.printerIssue = result.issue
            view.sheets = result.record.sheets
            pendingRecord = result.record
            lastPrint = result.record.outcome.rawValue
            await handle(.printed(result.result))
        case .recordPrintOutcome(let id, let result, let residentConfirmed):
            var record = pendingRecord ?? PrintRecord(outcome: Self.outcome(result), sheets: 0)
            if record.outcome == .assumed { record.residentConfirmed = residentConfirmed }
            pendingRecord = nil
            do {
                if let submission = SubmissionID(id) { try outbox.recordPrint(submission, record) }
                onEnqueued()
            } catch {
                logger.error("print outcome not recorded", metadata: ["error.kind": "\(Self.kind(error))"])
            }
            await handle(.printRecorded)
        case .alert(let alert):
            logger.warning("alert", metadata: ["alert": "\(alert.rawValue)"])
        case .clearAlert(let alert):
            logger.info("alert cleared", metadata: ["alert": "\(alert.rawValue)"])
        case .wipe:
            digits.wipe()
            staffDigits.wipe()
            sensitive.clear()
            let waiting = (try? outbox.status()).map { $0.waiting + $0.delivering } ?? view.waiting
            view.wipe(language: settings.language)
            view.waiting = waiting
            pendingRecord = nil
        case .audit(let event):
            logger.notice("audit", metadata: ["audit": "\(Self.name(event))"])
        }
    }

    private var pendingRecord: PrintRecord?

    private func printed(_ done: Int) {
        view.printed = done
        redraw()
    }

    private func enqueue(_ draft: SubmissionDraft) -> SessionEvent {
        let id = UUID().uuidString.lowercased()
        let body = SubmissionComposer.body(draft, id: id, kioskId: settings.kioskId, createdAt: Self.japanTime(Date()))
        do {
            guard let submission = SubmissionID(id) else { return .enqueueFailed }
            try outbox.enqueue(id: submission, body: Data(body.utf8))
            logger.info("submission stored", metadata: ["form": "\(draft.run.bundle.id)"])
            return .enqueued(submissionID: id)
        } catch {
            logger.error("submission not stored", metadata: ["form": "\(draft.run.bundle.id)", "error.kind": "\(Self.kind(error))"])
            return .enqueueFailed
        }
    }

    private func redraw() {
        drawn = SessionPresenter.screen(shown, session: session, view: view)
        display(drawn)
    }

    // MARK: metrics

    /// Attributes time to steps as phases change, and reports how each session ended.
    private func track(from before: SessionPhase, event: SessionEvent, effects: [SessionEffect]) {
        let form = settings.session.bundle.id
        let now = ContinuousClock.now
        let current = Self.step(session.phase, run: session.run)
        if current != step?.name || effects.contains(.wipe) {
            if let step {
                let seconds = Double((now - step.since).components.attoseconds) / 1e18 + Double((now - step.since).components.seconds)
                onMetric(.step(form: form, step: step.name, seconds: seconds))
            }
            step = current.map { ($0, now) }
        }
        if session.phase == .done { reachedDone = true }
        if before == .welcome, session.phase != .welcome { sessions += 1 }
        if effects.contains(.wipe) {
            let outcome: String
            if reachedDone {
                outcome = "finished"
            } else {
                switch event {
                case .tick, .moreTime(false): outcome = "timedOut"
                case .cardRemoved: outcome = "cardRemoved"
                case .cancel: outcome = session.staffSignedIn ? "staffAborted" : "cancelled"
                default: outcome = "cancelled"
                }
            }
            onMetric(.session(form: form, outcome: outcome, abandonedAt: reachedDone ? nil : Self.step(before, run: nil) ?? Self.name(before)))
            reachedDone = false
            step = nil
        }
    }

    /// The metrics step a phase belongs to (nil: none is timed).
    private static func step(_ phase: SessionPhase, run: FlowRun?) -> String? {
        switch phase {
        case .purposeNotice: "consent"
        case .waitingForCard, .checkingCard: "card"
        case .enteringPIN, .confirmingLastTry, .reading: "pin"
        case .confirmingIdentity: "identity"
        case .answering: "question:" + (run?.current?.id ?? "")
        case .reviewing: "review"
        case .enqueueing, .printing, .recordingPrint, .printerProblem, .confirmingSheets: "print"
        case .needMoreTime(let resume): step(resume, run: run)
        case .staffSignIn(_, let resume): step(resume, run: run)
        default: nil
        }
    }

    // MARK: names without personal data

    static func name(_ phase: SessionPhase) -> String {
        switch phase {
        case .welcome: "welcome"
        case .purposeNotice: "purposeNotice"
        case .waitingForCard: "waitingForCard"
        case .checkingCard: "checkingCard"
        case .enteringPIN: "enteringPIN"
        case .confirmingLastTry: "confirmingLastTry"
        case .reading: "reading"
        case .cardProblem(let problem): "cardProblem.\(problem.rawValue)"
        case .confirmingIdentity: "confirmingIdentity"
        case .answering: "answering"
        case .reviewing: "reviewing"
        case .enqueueing: "enqueueing"
        case .printing: "printing"
        case .recordingPrint: "recordingPrint"
        case .printerProblem(let problem): "printerProblem.\(problem.rawValue)"
        case .confirmingSheets: "confirmingSheets"
        case .done: "done"
        case .takeYourCard: "takeYourCard"
        case .needMoreTime: "needMoreTime"
        case .staffSignIn: "staffSignIn"
        }
    }

    static func name(_ event: AuditEvent) -> String {
        switch event {
        case .staffSignedIn(let card): card ? "staffSignedIn.card" : "staffSignedIn.pin"
        case .staffSignInFailed(let left): "staffSignInFailed.\(left)"
        case .staffLockedOut(let seconds): "staffLockedOut.\(seconds)s"
        case .staffSignedOut: "staffSignedOut"
        case .staffCancelledSession: "staffCancelledSession"
        case .staffAnswered(let question): "staffAnswered.\(question)"
        }
    }

    static func outcome(_ result: PrintResult) -> PrintRecord.Outcome {
        switch result {
        case .confirmed: .confirmed
        case .assumed: .assumed
        case .failed: .failed
        }
    }

    /// An error's type and case name only: outbox errors can quote a path, never personal data,
    /// but a type name is all a log needs.
    static func kind(_ error: any Error) -> String {
        let text = "\(error)"
        return "\(type(of: error))." + String(text.prefix { $0.isLetter || $0.isNumber })
    }

    /// Now in Japan time, RFC 3339 with offset.
    static func japanTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 9 * 3600)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { (value ?? 0) < 10 ? "0\(value ?? 0)" : "\(value ?? 0)" }
        return "\(c.year ?? 2000)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))+09:00"
    }
}
