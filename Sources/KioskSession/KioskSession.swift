public import Flows
public import MadoguchiCore
public import MyNumberCard

/// The kiosk session: one pure state machine from "place your card" to "take your papers".
/// Events in, next state and effects out, no I/O (docs/architecture.md). The runtime
/// performs the effects with the adapters and feeds their results back as events.
///
/// Rules it keeps, whatever the events: nothing is read from a card before consent; the
/// last PIN try is never spent without a yes; nothing is printed before the submission is
/// stored; every way out (finished, cancelled, timed out, card removed, staff aborted)
/// ends with `wipe` and no personal data left in the value.
public struct KioskSession: Sendable {
    /// The modes a kiosk runs in.
    public typealias Mode = KioskMode

    /// The kiosk's settings.
    public let configuration: SessionConfiguration
    /// Where the session stands.
    public private(set) var phase: SessionPhase = .welcome

    // Personal data: held only while a session runs.
    /// The identity read from the card.
    public private(set) var identity: ResidentIdentity?
    /// The flow being answered.
    public private(set) var run: FlowRun?
    /// The stored submission's id (links to personal data in the outbox).
    public private(set) var submissionID: String?

    // Bookkeeping without personal data.
    /// Whether the resident agreed to the purpose of use in this session.
    public private(set) var consented = false
    /// Whether a card is on the reader.
    public private(set) var cardPresent = false
    /// Tries left on the card-information PIN, as last reported.
    public private(set) var triesLeft: Int?
    /// Whether staff are signed in.
    public private(set) var staffSignedIn = false
    /// Alerts raised and not yet cleared.
    public private(set) var alerts: Set<SessionAlert> = []
    private var now = 0
    /// When the running session left the welcome screen; nil between sessions.
    private var startedAt: Int?
    private var phaseSince = 0
    private var lastActivity = 0
    private var promptSince = 0
    private var doneSince = 0
    private var staffAttemptsLeft: Int
    private var staffLockedUntil: Int?
    private var papersInTray = false
    private var papersAtCounter = false
    private var lastPrint: PrintResult?
    /// The resident's answer to "did you get every sheet?"; nil when not given.
    private var sheetsAnswer: Bool?

    /// A session at the welcome screen.
    public init(configuration: SessionConfiguration) {
        self.configuration = configuration
        staffAttemptsLeft = configuration.staffAttempts
    }

    /// The mode questions are asked in: staff (or vehicle) when staff are signed in.
    public var mode: KioskMode {
        staffSignedIn && configuration.mode == .resident ? .staff : configuration.mode
    }

    /// Whether any personal value is held.
    public var holdsPersonalData: Bool { identity != nil || run != nil || submissionID != nil }

    /// Whether a session is under way (anything but the welcome screen).
    public var isActive: Bool { phase != .welcome }

    // MARK: events

    /// Takes one event; returns what the runtime must do.
    public mutating func handle(_ event: SessionEvent) -> [SessionEffect] {
        if Self.isInput(event) { lastActivity = now }
        switch event {
        case .tick(let time):
            return tick(time)
        case .cardInserted:
            cardPresent = true
        case .cardRemoved:
            cardPresent = false
            return cardRemoved()
        case .staffRequested:
            return staffRequested()
        case .staffCredential(let valid, let card):
            return staffCredential(valid: valid, card: card)
        case .staffSignedOut:
            guard staffSignedIn else { return [] }
            staffSignedIn = false
            return [.audit(.staffSignedOut)]
        case .cancel:
            if case .staffSignIn(_, let resume) = phase { return enter(resume) }
            guard isActive else { return [] }
            return end(audit: staffSignedIn ? .staffCancelledSession : nil)
        default:
            break
        }
        return step(event)
    }

    private mutating func step(_ event: SessionEvent) -> [SessionEffect] {
        switch (phase, event) {
        case (.welcome, .startTouched), (.welcome, .cardInserted):
            startedAt = now
            return enter(.purposeNotice)
        case (.purposeNotice, .consent(let agreed)):
            guard agreed else { return end() }
            consented = true
            return cardPresent ? enter(.checkingCard) + [.readCardStatus] : enter(.waitingForCard)
        case (.waitingForCard, .cardInserted):
            return enter(.checkingCard) + [.readCardStatus]
        case (.checkingCard, .cardStatus(let report)):
            triesLeft = report.triesLeft
            if !report.isMyNumberCard { return enter(.cardProblem(.notMyNumberCard)) }
            if report.triesLeft <= 0 { return enter(.cardProblem(.pinLocked)) + raise(.pinLockedNeedsCounter) }
            return enter(.enteringPIN(triesLeft: report.triesLeft))
        case (.checkingCard, .cardStatusFailed):
            return enter(.cardProblem(.unreadable))
        case (.enteringPIN(let tries), .pinSubmitted):
            guard consented else { return [] }
            // A yes is for the PIN just typed: asked each time, never carried over.
            if tries == 1 { return enter(.confirmingLastTry) }
            return enter(.reading) + [.verifyAndRead(confirmLastTry: false)]
        case (.confirmingLastTry, .lastTryConfirmed(let yes)):
            guard yes else { return enter(.enteringPIN(triesLeft: 1)) + [.forgetPIN] }
            return enter(.reading) + [.verifyAndRead(confirmLastTry: true)]
        case (.reading, .readSucceeded(let read)):
            identity = read
            do throws(AnswerError) {
                run = try FlowRun(bundle: configuration.bundle, mode: mode, today: configuration.today, identity: Self.value(read))
            } catch {
                return end()
            }
            return enter(.confirmingIdentity)
        case (.reading, .readFailed(let failure)):
            switch failure {
            case .wrongPIN(let tries):
                triesLeft = tries
                if tries <= 0 { return enter(.cardProblem(.pinLocked)) + raise(.pinLockedNeedsCounter) }
                phase = .enteringPIN(triesLeft: tries)
                return [.show(.pinPad(triesLeft: tries, wrong: true))]
            case .pinLocked: return enter(.cardProblem(.pinLocked)) + raise(.pinLockedNeedsCounter)
            case .notMyNumberCard: return enter(.cardProblem(.notMyNumberCard))
            case .unreadable: return enter(.cardProblem(.unreadable))
            }
        case (.cardProblem(.unreadable), .back) where cardPresent:
            return enter(.checkingCard) + [.readCardStatus]
        case (.cardProblem, .back):
            return end()
        case (.confirmingIdentity, .identityConfirmed(let yes)):
            guard yes else { return end() }
            return run?.isFinished == true ? enter(.reviewing) : enter(.answering)
        case (.answering, .answer(let value)):
            let question = run?.current?.id ?? ""
            let effects = advance { (run: inout FlowRun) throws(AnswerError) in try run.answer(value) }
            let accepted = !effects.contains { if case .show(.question(_, true)) = $0 { true } else { false } }
            return staffSignedIn && accepted ? [.audit(.staffAnswered(question: question))] + effects : effects
        case (.answering, .skip):
            return advance { (run: inout FlowRun) throws(AnswerError) in try run.skip() }
        case (.answering, .back):
            guard var current = run else { return [] }
            let moved = current.back()
            run = current
            return moved ? enter(.answering) : enter(.confirmingIdentity)
        case (.reviewing, .back):
            guard var current = run else { return [] }
            _ = current.back()
            run = current
            return enter(.answering)
        case (.reviewing, .reviewConfirmed):
            guard let run, let identity, run.isFinished else { return [] }
            return enter(.enqueueing) + [.enqueue(SubmissionDraft(run: run, identity: identity))]
        case (.enqueueing, .enqueued(let id)):
            submissionID = id
            let documents = run?.outcome().print ?? []
            if documents.isEmpty { return enter(.done) }
            return enter(.printing) + [.print(documents: documents, submissionID: id)]
        case (.enqueueing, .enqueueFailed):
            return enter(.reviewing)
        case (.printing, .printed(let result)):
            guard let submissionID else { return [] }
            lastPrint = result
            sheetsAnswer = nil
            // An assumed print is recorded with the resident's answer (or without one, when
            // they give none): the back office learns whether the papers came out.
            if case .assumed(let expected) = result { return enter(.confirmingSheets(expected: expected)) }
            return enter(.recordingPrint) + [.recordPrintOutcome(submissionID: submissionID, result)]
        case (.recordingPrint, .printRecorded):
            switch lastPrint {
            case .confirmed?:
                papersInTray = true
                return enter(.done)
            case .assumed?:
                if sheetsAnswer == false { return enter(.printerProblem(.failed)) }
                papersInTray = true
                return enter(.done)
            case .failed(let problem)?:
                return enter(.printerProblem(problem)) + (problem == .printerFault ? raise(.printerNeedsStaff) : [])
            case nil:
                return enter(.done)
            }
        case (.printerProblem, .printerChoice(.retry)):
            guard let submissionID, let documents = run?.outcome().print else { return [] }
            return enter(.printing) + clear(.printerNeedsStaff) + [.print(documents: documents, submissionID: submissionID)]
        case (.printerProblem, .printerChoice(.collectAtCounter)):
            papersAtCounter = true
            return clear(.printerNeedsStaff) + enter(.done)
        case (.confirmingSheets, .sheetsReceived(let all)):
            guard let submissionID, let lastPrint else { return [] }
            sheetsAnswer = all
            return enter(.recordingPrint) + [.recordPrintOutcome(submissionID: submissionID, lastPrint, residentConfirmed: all)]
        case (.done, .papersTaken):
            papersInTray = false
            return clear(.papersLeftInTray) + (cardPresent ? [] : end())
        case (.needMoreTime(let resume), .moreTime(let yes)):
            return yes ? enter(resume) : end()
        default:
            return []
        }
    }

    /// Applies a change to the run, then shows the next question or the review.
    private mutating func advance(_ change: (inout FlowRun) throws(AnswerError) -> Void) -> [SessionEffect] {
        guard var current = run else { return [] }
        do throws(AnswerError) {
            try change(&current)
        } catch {
            return [.show(.question(id: current.current?.id ?? "", invalid: true))]
        }
        run = current
        return current.isFinished ? enter(.reviewing) : enter(.answering)
    }

    // MARK: time, cards, staff

    private mutating func tick(_ time: Int) -> [SessionEffect] {
        now = max(now, time)
        if let until = staffLockedUntil, now >= until {
            staffLockedUntil = nil
            staffAttemptsLeft = configuration.staffAttempts
        }
        // Staff who walked away are signed out: the next person cannot act as them.
        if staffSignedIn, now - lastActivity >= configuration.staffSignOutAfter {
            staffSignedIn = false
            return [.audit(.staffSignedOut)] + tick(time)
        }
        switch phase {
        case .enqueueing, .printing, .recordingPrint:
            break  // a store or a print under way finishes first
        default:
            // However long a person stays, a session ends: nothing personal stays on screen.
            if let startedAt, now - startedAt >= configuration.sessionMax { return end() }
        }
        switch phase {
        case .welcome, .enqueueing, .printing, .recordingPrint:
            return []
        case .checkingCard, .reading:
            // A reader that never answers is a card problem with a way back, not a frozen screen.
            guard now - phaseSince >= configuration.cardRead else { return [] }
            return [.forgetPIN] + enter(.cardProblem(.unreadable))
        case .confirmingSheets:
            guard now - phaseSince >= configuration.printConfirm, let submissionID, let lastPrint else { return [] }
            sheetsAnswer = nil  // no answer: recorded without residentConfirmed, then the done screen
            return enter(.recordingPrint) + [.recordPrintOutcome(submissionID: submissionID, lastPrint)]
        case .enteringPIN(let tries):
            return pinIdle(triesLeft: tries)
        case .confirmingLastTry:
            return pinIdle(triesLeft: 1)
        case .needMoreTime:
            return now - promptSince >= configuration.moreTimeGrace ? end() : []
        case .done:
            guard now - doneSince >= configuration.collectTimeout else { return [] }
            if !cardPresent && !papersInTray { return end() }
            return (cardPresent ? raise(.cardLeftBehind) : []) + (papersInTray ? raise(.papersLeftInTray) : [])
        case .takeYourCard:
            return now - doneSince >= configuration.collectTimeout ? raise(.cardLeftBehind) : []
        default:
            guard now - lastActivity >= configuration.inactivity else { return [] }
            promptSince = now
            phase = .needMoreTime(resume: phase)
            return [.show(.needMoreTime)]
        }
    }

    /// The PIN pad with no key for `pinEntry` seconds: the digits typed are not kept while no
    /// one types; "need more time?" asks, and the pad comes back empty.
    private mutating func pinIdle(triesLeft: Int) -> [SessionEffect] {
        guard now - lastActivity >= configuration.pinEntry else { return [] }
        promptSince = now
        phase = .needMoreTime(resume: .enteringPIN(triesLeft: triesLeft))
        return [.forgetPIN, .show(.needMoreTime)]
    }

    private mutating func cardRemoved() -> [SessionEffect] {
        switch phase {
        case .checkingCard, .enteringPIN, .confirmingLastTry, .reading, .cardProblem:
            // The card went before its data was read: nothing to keep.
            return end()
        case .takeYourCard:
            phase = .welcome
            return clear(.cardLeftBehind) + [.show(.welcome)]
        case .done:
            return clear(.cardLeftBehind) + (papersInTray ? [] : end())
        default:
            return []
        }
    }

    /// The staff key: sign in, or sign out when signed in.
    private mutating func staffRequested() -> [SessionEffect] {
        guard configuration.staffSignIn else { return [] }
        if case .staffSignIn = phase { return [] }
        if staffSignedIn {
            staffSignedIn = false
            return [.audit(.staffSignedOut)]
        }
        if staffLockedUntil != nil { return [.show(.staffLockedOut)] }
        phase = .staffSignIn(attemptsLeft: staffAttemptsLeft, resume: phase)
        return [.show(.staffSignIn(attemptsLeft: staffAttemptsLeft))]
    }

    private mutating func staffCredential(valid: Bool, card: Bool) -> [SessionEffect] {
        guard case .staffSignIn(_, let resume) = phase else { return [] }
        if valid {
            staffSignedIn = true
            staffAttemptsLeft = configuration.staffAttempts
            return [.audit(.staffSignedIn(card: card))] + enter(resume)
        }
        staffAttemptsLeft -= 1
        var effects: [SessionEffect] = [.audit(.staffSignInFailed(attemptsLeft: staffAttemptsLeft))]
        if staffAttemptsLeft <= 0 {
            staffLockedUntil = now + configuration.staffLockout
            effects.append(.audit(.staffLockedOut(seconds: configuration.staffLockout)))
            return effects + enter(resume) + [.show(.staffLockedOut)]
        }
        phase = .staffSignIn(attemptsLeft: staffAttemptsLeft, resume: resume)
        return effects + [.show(.staffSignIn(attemptsLeft: staffAttemptsLeft))]
    }

    // MARK: entering phases, ending

    private mutating func enter(_ next: SessionPhase) -> [SessionEffect] {
        phase = next
        phaseSince = now
        if next == .done { doneSince = now }
        return [.show(screen(next))]
    }

    private func screen(_ phase: SessionPhase) -> SessionScreen {
        switch phase {
        case .welcome: .welcome
        case .purposeNotice: .purposeNotice
        case .waitingForCard: .placeCard
        case .checkingCard: .checkingCard
        case .enteringPIN(let tries): .pinPad(triesLeft: tries, wrong: false)
        case .confirmingLastTry: .confirmLastTry
        case .reading: .reading
        case .cardProblem(let problem): .cardProblem(problem)
        case .confirmingIdentity: .confirmIdentity
        case .answering: .question(id: run?.current?.id ?? "", invalid: false)
        case .reviewing: .review
        case .enqueueing, .printing, .recordingPrint: .working
        case .printerProblem(let problem): .printerProblem(problem)
        case .confirmingSheets(let expected): .confirmSheets(expected: expected)
        case .done: .done(papersAtCounter: papersAtCounter)
        case .takeYourCard: .takeYourCard
        case .needMoreTime: .needMoreTime
        case .staffSignIn(let attempts, _): .staffSignIn(attemptsLeft: attempts)
        }
    }

    private mutating func raise(_ alert: SessionAlert) -> [SessionEffect] {
        guard !alerts.contains(alert) else { return [] }
        alerts.insert(alert)
        return [.alert(alert)]
    }

    private mutating func clear(_ alert: SessionAlert) -> [SessionEffect] {
        guard alerts.contains(alert) else { return [] }
        alerts.remove(alert)
        return [.clearAlert(alert)]
    }

    /// Ends the session however it ends: every personal value dropped, the runtime told to
    /// wipe, and the welcome screen (or "take your card" while one is on the reader).
    private mutating func end(audit: AuditEvent? = nil) -> [SessionEffect] {
        var effects: [SessionEffect] = audit.map { [.audit($0)] } ?? []
        // Ended while asked about the sheets: the print is still recorded, without an answer.
        if case .confirmingSheets = phase, let submissionID, let lastPrint {
            effects.append(.recordPrintOutcome(submissionID: submissionID, lastPrint))
        }
        for alert in alerts.sorted(by: { $0.rawValue < $1.rawValue }) where alert != .cardLeftBehind {
            effects += clear(alert)
        }
        identity = nil
        run = nil
        submissionID = nil
        consented = false
        triesLeft = nil
        papersInTray = false
        papersAtCounter = false
        lastPrint = nil
        sheetsAnswer = nil
        effects.append(.wipe)
        startedAt = nil
        doneSince = now
        return effects + enter(cardPresent ? .takeYourCard : .welcome)
    }

    /// Whether an event is a person's input (resets the inactivity timer).
    static func isInput(_ event: SessionEvent) -> Bool {
        switch event {
        case .tick, .cardStatus, .cardStatusFailed, .readSucceeded, .readFailed, .enqueued, .enqueueFailed, .printed, .printRecorded,
            .staffCredential:
            false
        default:
            true
        }
    }

    /// The identity as flows see it (`identity.*`).
    static func value(_ identity: ResidentIdentity) -> ExpressionValue {
        var members: [String: ExpressionValue] = [
            "name": .text(identity.name), "address": .text(identity.address), "birth": .text(identity.birth),
            "birthWareki": .text(identity.birthWareki), "sex": .object(["code": .text(identity.sex.code)]),
        ]
        if let date = CalendarDate(iso: identity.birthDate) { members["birthDate"] = .date(date) }
        return .object(members)
    }
}
