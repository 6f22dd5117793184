public import Flows
public import MadoguchiCore
public import MyNumberCard

/// Where a session stands: the screen a person sees and what the kiosk waits for.
public indirect enum SessionPhase: Sendable, Hashable {
    /// The welcome screen: touch to start, or place a card.
    case welcome
    /// What the card is read for (purpose of use); nothing is read before consent.
    case purposeNotice
    /// Consent given: place the card on the reader.
    case waitingForCard
    /// Reading the card's type and PIN tries (no PIN spent).
    case checkingCard
    /// The 4-digit PIN pad.
    case enteringPIN(triesLeft: Int)
    /// One try left: spending it needs a yes.
    case confirmingLastTry
    /// Verifying the PIN and reading the basic 4 information.
    case reading
    /// Something about the card stops the read (wrong card, locked PIN, read failed).
    case cardProblem(CardProblem)
    /// "Is this you?": name, address, birth date.
    case confirmingIdentity
    /// The flow's questions.
    case answering
    /// The answers and the procedures, before finishing.
    case reviewing
    /// Storing the submission (durable before anything is printed).
    case enqueueing
    /// Printing the documents.
    case printing
    /// Recording how the print ended, on the stored submission.
    case recordingPrint
    /// The printer failed: retry, or collect the papers at the counter.
    case printerProblem(PrinterProblem)
    /// The printer could not confirm the sheets: did the resident get them all?
    case confirmingSheets(expected: Int)
    /// Finished: take the card and the papers.
    case done
    /// The session is over but the card is still on the reader.
    case takeYourCard
    /// "Do you need more time?", then back to `resume`.
    case needMoreTime(resume: SessionPhase)
    /// The staff PIN pad (or a staff card), then back to `resume`.
    case staffSignIn(attemptsLeft: Int, resume: SessionPhase)
}

/// Why a card cannot be read; shown with a way back, never a dead end.
public enum CardProblem: String, Sendable, Hashable, CaseIterable {
    /// Not a My Number Card (e.g. a 住基カード or a bank card).
    case notMyNumberCard
    /// The PIN is locked: the counter resets it.
    case pinLocked
    /// The card did not answer (moved, dirty, faulty reader).
    case unreadable
}

/// What went wrong with a print, for the resident's choice.
public enum PrinterProblem: String, Sendable, Hashable, CaseIterable {
    /// Out of paper, jam, cover open…: staff have been alerted.
    case printerFault
    /// The print service or queue is unavailable.
    case unavailable
    /// The job failed for another reason.
    case failed
}

/// What the card's status read reported.
public struct CardReport: Sendable, Hashable {
    /// Whether it is a My Number Card.
    public var isMyNumberCard: Bool
    /// Tries left on the card-information PIN.
    public var triesLeft: Int

    /// Creates a report.
    public init(isMyNumberCard: Bool, triesLeft: Int) {
        self.isMyNumberCard = isMyNumberCard
        self.triesLeft = triesLeft
    }
}

/// How a verify-and-read ended, other than with the identity.
public enum ReadFailure: Sendable, Hashable {
    case wrongPIN(triesLeft: Int)
    case pinLocked
    case notMyNumberCard
    case unreadable
}

/// How a print ended, as the session needs it.
public enum PrintResult: Sendable, Hashable {
    /// The printer reported every sheet.
    case confirmed(sheets: Int)
    /// The spooler finished without confirming the sheets.
    case assumed(expected: Int)
    /// Nothing came out, or not all.
    case failed(PrinterProblem)
}

/// The resident's choice after a print failed.
public enum PrinterChoice: String, Sendable, Hashable {
    /// Try again (staff fixed the printer).
    case retry
    /// Collect the papers at the counter: the submission is already stored.
    case collectAtCounter
}

/// Something that happened: input, a device's answer, or time passing.
public enum SessionEvent: Sendable, Hashable {
    case startTouched
    case consent(Bool)
    case cardInserted
    case cardRemoved
    case cardStatus(CardReport)
    case cardStatusFailed
    /// The PIN pad's OK: the runtime holds the digits for the one VERIFY; the session never does.
    case pinSubmitted
    case lastTryConfirmed(Bool)
    case readSucceeded(ResidentIdentity)
    case readFailed(ReadFailure)
    case identityConfirmed(Bool)
    case answer(AnswerValue)
    case skip
    case back
    case reviewConfirmed
    case enqueued(submissionID: String)
    case enqueueFailed
    case printed(PrintResult)
    case printerChoice(PrinterChoice)
    case printRecorded
    case sheetsReceived(Bool)
    case papersTaken
    case cancel
    /// Time passed: `now` in whole seconds of a monotonic clock.
    case tick(now: Int)
    case moreTime(Bool)
    case staffRequested
    /// The runtime checked a staff PIN (against its hash) or a staff card.
    case staffCredential(valid: Bool, card: Bool)
    case staffSignedOut
}

/// A screen to show; the runtime draws it from the session's values.
public enum SessionScreen: Sendable, Hashable {
    case welcome, purposeNotice, placeCard, checkingCard, pinPad(triesLeft: Int, wrong: Bool), confirmLastTry, reading
    case cardProblem(CardProblem), confirmIdentity, question(id: String, invalid: Bool), review, working, printerProblem(PrinterProblem)
    case confirmSheets(expected: Int), done(papersAtCounter: Bool), takeYourCard, needMoreTime, staffSignIn(attemptsLeft: Int)
    case staffLockedOut
}

/// What a staff member did: audit records carry no personal data.
public enum AuditEvent: Sendable, Hashable {
    case staffSignedIn(card: Bool)
    case staffSignInFailed(attemptsLeft: Int)
    case staffLockedOut(seconds: Int)
    case staffSignedOut
    case staffCancelledSession
    /// Staff answered a question (its id only, never the answer).
    case staffAnswered(question: String)
}

/// An alert for the resident, staff or both, until its cause is gone.
public enum SessionAlert: String, Sendable, Hashable {
    case cardLeftBehind
    case papersLeftInTray
    case printerNeedsStaff
    case pinLockedNeedsCounter
}

/// A draft submission for the outbox: the run's outcome with its identity and answers.
public struct SubmissionDraft: Sendable, Hashable {
    /// The finished run (its bundle, mode, answers).
    public var run: FlowRun
    /// The identity read from the card.
    public var identity: ResidentIdentity

    /// A draft of `run` for `identity`.
    public init(run: FlowRun, identity: ResidentIdentity) {
        self.run = run
        self.identity = identity
    }
}

/// What the runtime must do; results come back as events.
public enum SessionEffect: Sendable, Hashable {
    case show(SessionScreen)
    case readCardStatus
    /// VERIFY with the PIN the runtime holds, then read; `confirmLastTry` only after a yes.
    /// The runtime wipes the PIN once the command is sent.
    case verifyAndRead(confirmLastTry: Bool)
    /// Drop the PIN typed but not sent (the resident kept the last try).
    case forgetPIN
    case enqueue(SubmissionDraft)
    case print(documents: [String], submissionID: String)
    /// The print's outcome on the stored submission; for an assumed print, with the
    /// resident's answer to "did you get every sheet?" (nil: none given).
    case recordPrintOutcome(submissionID: String, PrintResult, residentConfirmed: Bool? = nil)
    case alert(SessionAlert)
    case clearAlert(SessionAlert)
    /// Drop every personal value the runtime holds (PIN buffer, drawn screens, documents).
    case wipe
    case audit(AuditEvent)
}

/// The kiosk's settings a session follows.
public struct SessionConfiguration: Sendable {
    /// The form the kiosk offers.
    public var bundle: FormBundle
    /// The mode without staff signed in.
    public var mode: KioskMode
    /// The session's date in Japan.
    public var today: CalendarDate
    /// Seconds without input before "need more time?".
    public var inactivity: Int
    /// Seconds "need more time?" waits before ending the session.
    public var moreTimeGrace: Int
    /// Seconds the done screen waits for the card and papers before alerting.
    public var collectTimeout: Int
    /// Wrong staff PINs before the lockout.
    public var staffAttempts: Int
    /// Seconds of staff lockout.
    public var staffLockout: Int
    /// Seconds a whole session may last; then it ends (a store or print under way finishes first).
    public var sessionMax: Int
    /// Seconds the PIN pad waits for a key; then the typed digits are dropped and "need more time?" asks.
    public var pinEntry: Int
    /// Seconds a card check or read may take; then the card is reported unreadable, with a retry.
    public var cardRead: Int
    /// Seconds "did you get every sheet?" waits for an answer; then the done screen follows.
    public var printConfirm: Int
    /// Whether staff can sign in on this kiosk (`[staff] enabled` with a passcode hash).
    public var staffSignIn: Bool
    /// Seconds without input after which signed-in staff are signed out (`lockAfterSeconds`).
    public var staffSignOutAfter: Int

    /// Creates a configuration; the defaults are those of `[timeouts]` in madoguchi.toml.
    public init(
        bundle: FormBundle, mode: KioskMode = .resident, today: CalendarDate, inactivity: Int = 90, moreTimeGrace: Int = 60,
        collectTimeout: Int = 20, staffAttempts: Int = 3, staffLockout: Int = 300, sessionMax: Int = 1800, pinEntry: Int = 60,
        cardRead: Int = 20, printConfirm: Int = 60, staffSignIn: Bool = true, staffSignOutAfter: Int = 300
    ) {
        self.bundle = bundle
        self.mode = mode
        self.today = today
        self.inactivity = inactivity
        self.moreTimeGrace = moreTimeGrace
        self.collectTimeout = collectTimeout
        self.staffAttempts = staffAttempts
        self.staffLockout = staffLockout
        self.sessionMax = sessionMax
        self.pinEntry = pinEntry
        self.cardRead = cardRead
        self.printConfirm = printConfirm
        self.staffSignIn = staffSignIn
        self.staffSignOutAfter = staffSignOutAfter
    }
}
