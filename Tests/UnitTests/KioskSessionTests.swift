import Flows
import Foundation
import KioskSession
import MadoguchiCore
import MyNumberCard
import Testing

/// The session state machine without hardware: every transition from a table, the whole
/// way from welcome to done, and property tests over random event sequences.
@Suite("KioskSession: the pure state machine")
struct KioskSessionTests {
    static let resident = ResidentIdentity(
        name: "見本 花子", address: "東京都千代田区霞が関一丁目1番1号", birth: "19800401", birthDate: "1980-04-01",
        birthWareki: "昭和55年4月1日", sex: ResidentIdentity.Sex(code: "2")!)
    static let configuration = SessionConfiguration(
        bundle: try! FlowRunTests.bundle("Tests/Fixtures/forms/okuyami"), today: FlowRunTests.today, inactivity: 90, moreTimeGrace: 30,
        collectTimeout: 20)

    /// A session after `events`.
    static func session(_ events: [SessionEvent], configuration: SessionConfiguration = configuration) -> KioskSession {
        var session = KioskSession(configuration: configuration)
        for event in events { _ = session.handle(event) }
        return session
    }

    static let toPIN: [SessionEvent] = [.startTouched, .consent(true), .cardInserted, .cardStatus(CardReport(isMyNumberCard: true, triesLeft: 3))]
    static let toIdentity: [SessionEvent] = toPIN + [.pinSubmitted, .readSucceeded(resident)]
    static let toQuestions: [SessionEvent] = toIdentity + [.identityConfirmed(true)]

    /// Answers every question with a fitting answer until the review.
    static func answerAll(_ session: inout KioskSession, seed: UInt64 = 1, log: ((SessionEvent) -> Void)? = nil) {
        var random = SeededGenerator(state: seed)
        var guardCount = 0
        while session.phase == .answering, let run = session.run, let question = run.current, guardCount < 200 {
            let event = SessionEvent.answer(AnswerGenerator.answer(for: question, in: run, using: &random))
            log?(event)
            _ = session.handle(event)
            guardCount += 1
        }
    }

    // MARK: the table

    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let before: [SessionEvent]
        let event: SessionEvent
        let phase: SessionPhase
        let effects: [SessionEffect]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "touch opens the purpose notice", before: [], event: .startTouched, phase: .purposeNotice, effects: [.show(.purposeNotice)]),
        Row(name: "a card on the welcome screen opens the purpose notice, unread", before: [], event: .cardInserted, phase: .purposeNotice, effects: [.show(.purposeNotice)]),
        Row(name: "consent without a card asks for it", before: [.startTouched], event: .consent(true), phase: .waitingForCard, effects: [.show(.placeCard)]),
        Row(name: "consent with the card on the reader reads its status", before: [.cardInserted], event: .consent(true), phase: .checkingCard, effects: [.show(.checkingCard), .readCardStatus]),
        Row(name: "declining ends the session", before: [.startTouched], event: .consent(false), phase: .welcome, effects: [.wipe, .show(.welcome)]),
        Row(name: "declining with a card asks to take it", before: [.cardInserted], event: .consent(false), phase: .takeYourCard, effects: [.wipe, .show(.takeYourCard)]),
        Row(name: "the card placed after consent is checked", before: [.startTouched, .consent(true)], event: .cardInserted, phase: .checkingCard, effects: [.show(.checkingCard), .readCardStatus]),
        Row(name: "tries left open the PIN pad", before: Array(toPIN.dropLast()), event: .cardStatus(CardReport(isMyNumberCard: true, triesLeft: 3)), phase: .enteringPIN(triesLeft: 3), effects: [.show(.pinPad(triesLeft: 3, wrong: false))]),
        Row(name: "a locked PIN sends to the counter", before: Array(toPIN.dropLast()), event: .cardStatus(CardReport(isMyNumberCard: true, triesLeft: 0)), phase: .cardProblem(.pinLocked), effects: [.show(.cardProblem(.pinLocked)), .alert(.pinLockedNeedsCounter)]),
        Row(name: "another card is named as such", before: Array(toPIN.dropLast()), event: .cardStatus(CardReport(isMyNumberCard: false, triesLeft: 0)), phase: .cardProblem(.notMyNumberCard), effects: [.show(.cardProblem(.notMyNumberCard))]),
        Row(name: "an unreadable card can be tried again", before: Array(toPIN.dropLast()) + [.cardStatusFailed], event: .back, phase: .checkingCard, effects: [.show(.checkingCard), .readCardStatus]),
        Row(name: "the PIN is verified without the last-try flag", before: toPIN, event: .pinSubmitted, phase: .reading, effects: [.show(.reading), .verifyAndRead(confirmLastTry: false)]),
        Row(name: "the last try asks first", before: Array(toPIN.dropLast()) + [.cardStatus(CardReport(isMyNumberCard: true, triesLeft: 1))], event: .pinSubmitted, phase: .confirmingLastTry, effects: [.show(.confirmLastTry)]),
        Row(name: "a yes spends the last try", before: Array(toPIN.dropLast()) + [.cardStatus(CardReport(isMyNumberCard: true, triesLeft: 1)), .pinSubmitted], event: .lastTryConfirmed(true), phase: .reading, effects: [.show(.reading), .verifyAndRead(confirmLastTry: true)]),
        Row(name: "a no keeps the last try and drops the typed PIN", before: Array(toPIN.dropLast()) + [.cardStatus(CardReport(isMyNumberCard: true, triesLeft: 1)), .pinSubmitted], event: .lastTryConfirmed(false), phase: .enteringPIN(triesLeft: 1), effects: [.show(.pinPad(triesLeft: 1, wrong: false)), .forgetPIN]),
        Row(name: "a wrong PIN shows the tries left", before: toPIN + [.pinSubmitted], event: .readFailed(.wrongPIN(triesLeft: 2)), phase: .enteringPIN(triesLeft: 2), effects: [.show(.pinPad(triesLeft: 2, wrong: true))]),
        Row(name: "a wrong last PIN locks and sends to the counter", before: toPIN + [.pinSubmitted], event: .readFailed(.wrongPIN(triesLeft: 0)), phase: .cardProblem(.pinLocked), effects: [.show(.cardProblem(.pinLocked)), .alert(.pinLockedNeedsCounter)]),
        Row(name: "the card pulled mid-read ends the session", before: toPIN + [.pinSubmitted], event: .cardRemoved, phase: .welcome, effects: [.wipe, .show(.welcome)]),
        Row(name: "the read identity is confirmed", before: toPIN + [.pinSubmitted], event: .readSucceeded(resident), phase: .confirmingIdentity, effects: [.show(.confirmIdentity)]),
        Row(name: "not me ends the session", before: toIdentity, event: .identityConfirmed(false), phase: .takeYourCard, effects: [.wipe, .show(.takeYourCard)]),
        Row(name: "confirmed identity starts the questions", before: toIdentity, event: .identityConfirmed(true), phase: .answering, effects: [.show(.question(id: "applicant", invalid: false))]),
        Row(name: "a wrong answer keeps the question", before: toQuestions, event: .answer(.number(3)), phase: .answering, effects: [.show(.question(id: "applicant", invalid: true))]),
        Row(name: "back from the first question returns to the identity", before: toQuestions, event: .back, phase: .confirmingIdentity, effects: [.show(.confirmIdentity)]),
        Row(name: "removing the card after the read keeps the session", before: toQuestions, event: .cardRemoved, phase: .answering, effects: []),
        Row(name: "inactivity asks for more time", before: toQuestions, event: .tick(now: 90), phase: .needMoreTime(resume: .answering), effects: [.show(.needMoreTime)]),
        Row(name: "no answer to more time ends the session", before: toQuestions + [.tick(now: 90)], event: .tick(now: 120), phase: .takeYourCard, effects: [.wipe, .show(.takeYourCard)]),
        Row(name: "more time resumes where it was", before: toQuestions + [.tick(now: 90)], event: .moreTime(true), phase: .answering, effects: [.show(.question(id: "applicant", invalid: false))]),
        Row(name: "cancel anywhere ends and wipes", before: toQuestions, event: .cancel, phase: .takeYourCard, effects: [.wipe, .show(.takeYourCard)]),
        Row(name: "staff sign in from any screen", before: toQuestions, event: .staffRequested, phase: .staffSignIn(attemptsLeft: 3, resume: .answering), effects: [.show(.staffSignIn(attemptsLeft: 3))]),
        Row(name: "a good staff PIN signs in, audited, and resumes", before: toQuestions + [.staffRequested], event: .staffCredential(valid: true, card: false), phase: .answering, effects: [.audit(.staffSignedIn(card: false)), .show(.question(id: "applicant", invalid: false))]),
        Row(name: "a wrong staff PIN counts down, audited", before: toQuestions + [.staffRequested], event: .staffCredential(valid: false, card: false), phase: .staffSignIn(attemptsLeft: 2, resume: .answering), effects: [.audit(.staffSignInFailed(attemptsLeft: 2)), .show(.staffSignIn(attemptsLeft: 2))]),
        Row(name: "the third wrong staff PIN locks out, audited", before: toQuestions + [.staffRequested, .staffCredential(valid: false, card: false), .staffCredential(valid: false, card: false)], event: .staffCredential(valid: false, card: false), phase: .answering, effects: [.audit(.staffSignInFailed(attemptsLeft: 0)), .audit(.staffLockedOut(seconds: 300)), .show(.question(id: "applicant", invalid: false)), .show(.staffLockedOut)]),
        Row(name: "during the lockout staff sign-in is refused", before: toQuestions + [.staffRequested, .staffCredential(valid: false, card: false), .staffCredential(valid: false, card: false), .staffCredential(valid: false, card: false)], event: .staffRequested, phase: .answering, effects: [.show(.staffLockedOut)]),
        Row(name: "cancel on the staff pad returns, not ends", before: toQuestions + [.staffRequested], event: .cancel, phase: .answering, effects: [.show(.question(id: "applicant", invalid: false))]),
    ]

    @Test(arguments: rows)
    func eachTransitionGivesItsPhaseAndEffects(_ row: Row) {
        var session = Self.session(row.before)
        let effects = session.handle(row.event)
        #expect(session.phase == row.phase)
        #expect(effects == row.effects)
    }

    // MARK: whole sessions

    /// Walks a session from welcome to the review; returns it.
    static func toReview(seed: UInt64 = 1) -> KioskSession {
        var session = Self.session(toQuestions)
        answerAll(&session, seed: seed)
        return session
    }

    @Test func aWholeSessionEnqueuesThenPrintsThenRecordsThenWipes() throws {
        var session = Self.toReview()
        #expect(session.phase == .reviewing)
        let enqueue = session.handle(.reviewConfirmed)
        guard case .enqueue(let draft)? = enqueue.last else { Issue.record("\(enqueue)"); return }
        #expect(draft.identity == Self.resident && draft.run.isFinished)
        let print = session.handle(.enqueued(submissionID: "3f2504e0-4f89-11d3-9a0c-0305e82c3301"))
        guard case .print(let documents, let id)? = print.last else { Issue.record("\(print)"); return }
        #expect(documents.first == "okuyami-checklist" && id == "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
        #expect(session.handle(.printed(.confirmed(sheets: 2))).last == .recordPrintOutcome(submissionID: id, .confirmed(sheets: 2)))
        #expect(session.handle(.printRecorded) == [.show(.done(papersAtCounter: false))])
        #expect(session.holdsPersonalData)
        #expect(session.handle(.papersTaken).isEmpty)  // the card is still on the reader
        #expect(session.handle(.cardRemoved) == [.wipe, .show(.welcome)])
        #expect(!session.holdsPersonalData && session.phase == .welcome)
    }

    @Test func cardAndPapersLeftBehindRaiseAlertsUntilTaken() {
        var session = Self.toReview()
        _ = session.handle(.reviewConfirmed)
        _ = session.handle(.enqueued(submissionID: "id-1"))
        _ = session.handle(.printed(.confirmed(sheets: 2)))
        _ = session.handle(.printRecorded)
        #expect(session.handle(.tick(now: 5)).isEmpty)
        #expect(session.handle(.tick(now: 25)) == [.alert(.cardLeftBehind), .alert(.papersLeftInTray)])
        #expect(session.handle(.tick(now: 40)).isEmpty)  // raised once
        #expect(session.handle(.papersTaken) == [.clearAlert(.papersLeftInTray)])
        #expect(session.handle(.cardRemoved) == [.clearAlert(.cardLeftBehind), .wipe, .show(.welcome)])
        #expect(!session.holdsPersonalData)
    }

    @Test func aPrinterFaultOffersRetryOrTheCounterAndAlertsStaff() {
        var session = Self.toReview()
        _ = session.handle(.reviewConfirmed)
        _ = session.handle(.enqueued(submissionID: "id-1"))
        _ = session.handle(.printed(.failed(.printerFault)))
        #expect(session.handle(.printRecorded) == [.show(.printerProblem(.printerFault)), .alert(.printerNeedsStaff)])
        let retry = session.handle(.printerChoice(.retry))
        #expect(retry.contains(.clearAlert(.printerNeedsStaff)) && retry.contains { if case .print = $0 { true } else { false } })
        _ = session.handle(.printed(.failed(.unavailable)))
        _ = session.handle(.printRecorded)
        #expect(session.phase == .printerProblem(.unavailable))
        #expect(session.handle(.printerChoice(.collectAtCounter)) == [.show(.done(papersAtCounter: true))])
        #expect(session.handle(.cardRemoved) == [.wipe, .show(.welcome)])
    }

    @Test func anAssumedPrintAsksWhetherEverySheetCameOut() {
        var session = Self.toReview()
        _ = session.handle(.reviewConfirmed)
        _ = session.handle(.enqueued(submissionID: "id-1"))
        #expect(session.handle(.printed(.assumed(expected: 2))) == [.show(.confirmSheets(expected: 2))], "asked before it is recorded")
        #expect(session.handle(.sheetsReceived(false)) == [.show(.working), .recordPrintOutcome(submissionID: "id-1", .assumed(expected: 2), residentConfirmed: false)])
        #expect(session.handle(.printRecorded) == [.show(.printerProblem(.failed))])
    }

    @Test func allSheetsReceivedAreRecordedAsConfirmedByTheResident() {
        var session = Self.toReview()
        _ = session.handle(.reviewConfirmed)
        _ = session.handle(.enqueued(submissionID: "id-2"))
        _ = session.handle(.printed(.assumed(expected: 3)))
        #expect(session.handle(.sheetsReceived(true)).last == .recordPrintOutcome(submissionID: "id-2", .assumed(expected: 3), residentConfirmed: true))
        #expect(session.handle(.printRecorded) == [.show(.done(papersAtCounter: false))])
    }

    @Test func aSessionEndedWhileAskedAboutTheSheetsStillRecordsThePrint() {
        var session = Self.toReview()
        _ = session.handle(.reviewConfirmed)
        _ = session.handle(.enqueued(submissionID: "id-3"))
        _ = session.handle(.printed(.assumed(expected: 1)))
        let effects = session.handle(.cancel)
        #expect(effects.first == .recordPrintOutcome(submissionID: "id-3", .assumed(expected: 1)), "recorded, without an answer, before the wipe")
        #expect(effects.contains(.wipe))
        #expect(session.handle(.printRecorded) == [], "the late confirmation changes nothing")
    }

    @Test func aFailedEnqueuePrintsNothingAndReturnsToTheReview() {
        var session = Self.toReview()
        _ = session.handle(.reviewConfirmed)
        #expect(session.handle(.enqueueFailed) == [.show(.review)])
        #expect(session.handle(.printed(.confirmed(sheets: 1))).isEmpty)  // no print was asked for
    }

    @Test func staffModeAsksStaffQuestionsAndSignsOutAudited() {
        var session = Self.session([.staffRequested, .staffCredential(valid: true, card: true)])
        #expect(session.staffSignedIn && session.mode == .staff)
        for event in Self.toQuestions { _ = session.handle(event) }
        #expect(session.run?.mode == .staff)
        let answered = session.handle(.answer(.identity(addressChanged: false, newAddress: nil)))
        #expect(answered.first == .audit(.staffAnswered(question: "applicant")))
        #expect(session.handle(.answer(.number(-1))).allSatisfy { if case .audit = $0 { false } else { true } })  // refused: no audit
        #expect(session.handle(.cancel).first == .audit(.staffCancelledSession))
        #expect(session.handle(.staffSignedOut) == [.audit(.staffSignedOut)])
        #expect(session.mode == .resident)
    }

    @Test func aVehicleAsksStaffQuestionsWithoutSignIn() {
        var configuration = Self.configuration
        configuration.mode = .vehicle
        let session = Self.session(Self.toQuestions, configuration: configuration)
        #expect(session.mode == .vehicle && session.run?.mode == .vehicle)
    }

    @Test func theLockoutEndsAfterItsTime() {
        var session = Self.session([.staffRequested] + Array(repeating: .staffCredential(valid: false, card: false), count: 3))
        #expect(session.handle(.staffRequested) == [.show(.staffLockedOut)])
        _ = session.handle(.tick(now: 300))
        #expect(session.handle(.staffRequested) == [.show(.staffSignIn(attemptsLeft: 3))])
    }

    // MARK: replay

    @Test func aMaskedLogReplaysToTheSamePhasesAndNamesNoOne() {
        var session = KioskSession(configuration: Self.configuration)
        var log = SessionLog()
        var phases: [SessionPhase] = []
        func feed(_ event: SessionEvent) {
            log.record(event, today: FlowRunTests.today)
            _ = session.handle(event)
            phases.append(session.phase)
        }
        Self.toQuestions.forEach(feed)
        var random = SeededGenerator(state: 4)
        while session.phase == .answering, let run = session.run, let question = run.current {
            feed(.answer(AnswerGenerator.answer(for: question, in: run, using: &random)))
        }
        for event: SessionEvent in [.reviewConfirmed, .enqueued(submissionID: "id-7"), .printed(.confirmed(sheets: 2)), .printRecorded, .papersTaken, .cardRemoved] {
            feed(event)
        }
        #expect(phases.last == .welcome)
        #expect(log.replay(Self.configuration) == phases)
        let text = String(describing: log.events)
        for secret in ["見本", "霞が関", "1980-04-01", "19800401", "昭和55年"] { #expect(!text.contains(secret), "\(secret)") }
    }

    // MARK: properties

    /// An event a person or device could send now: mostly what the phase expects, often not.
    static func randomEvent(for session: KioskSession, time: inout Int, using random: inout SeededGenerator) -> SessionEvent {
        if Int.random(in: 0..<10, using: &random) < 6 {
            switch session.phase {
            case .welcome: return [.startTouched, .cardInserted].randomElement(using: &random)!
            case .purposeNotice: return .consent(Int.random(in: 0..<5, using: &random) > 0)
            case .waitingForCard: return .cardInserted
            case .checkingCard:
                return Bool.random(using: &random)
                    ? .cardStatus(CardReport(isMyNumberCard: Int.random(in: 0..<6, using: &random) > 0, triesLeft: Int.random(in: 0...3, using: &random)))
                    : .cardStatusFailed
            case .enteringPIN: return .pinSubmitted
            case .confirmingLastTry: return .lastTryConfirmed(Bool.random(using: &random))
            case .reading:
                return Int.random(in: 0..<3, using: &random) > 0
                    ? .readSucceeded(resident) : .readFailed([.wrongPIN(triesLeft: Int.random(in: 0...2, using: &random)), .pinLocked, .unreadable].randomElement(using: &random)!)
            case .confirmingIdentity: return .identityConfirmed(Int.random(in: 0..<6, using: &random) > 0)
            case .answering:
                guard let run = session.run, let question = run.current else { return .back }
                return Int.random(in: 0..<8, using: &random) > 0 ? .answer(AnswerGenerator.answer(for: question, in: run, using: &random)) : .back
            case .reviewing: return .reviewConfirmed
            case .enqueueing: return Int.random(in: 0..<6, using: &random) > 0 ? .enqueued(submissionID: UUID().uuidString) : .enqueueFailed
            case .printing:
                return .printed([.confirmed(sheets: 2), .assumed(expected: 2), .failed(.printerFault), .failed(.unavailable)].randomElement(using: &random)!)
            case .recordingPrint: return .printRecorded
            case .printerProblem: return .printerChoice(Bool.random(using: &random) ? .retry : .collectAtCounter)
            case .confirmingSheets: return .sheetsReceived(Bool.random(using: &random))
            case .done, .takeYourCard: return [.papersTaken, .cardRemoved].randomElement(using: &random)!
            case .cardProblem: return .back
            case .needMoreTime: return .moreTime(Bool.random(using: &random))
            case .staffSignIn: return .staffCredential(valid: Bool.random(using: &random), card: Bool.random(using: &random))
            }
        }
        time += Int.random(in: 0...40, using: &random)
        let anything: [SessionEvent] = [
            .startTouched, .consent(true), .consent(false), .cardInserted, .cardRemoved, .cardStatusFailed, .pinSubmitted,
            .lastTryConfirmed(true), .lastTryConfirmed(false), .readSucceeded(resident), .readFailed(.wrongPIN(triesLeft: 1)),
            .identityConfirmed(true), .answer(AnswerGenerator.garbage(using: &random)), .skip, .back, .reviewConfirmed,
            .enqueued(submissionID: "stray"), .enqueueFailed, .printed(.confirmed(sheets: 1)), .printerChoice(.retry), .printRecorded,
            .sheetsReceived(true), .papersTaken, .cancel, .tick(now: time), .moreTime(true), .staffRequested,
            .staffCredential(valid: false, card: false), .staffSignedOut, .cardStatus(CardReport(isMyNumberCard: true, triesLeft: 1)),
        ]
        return anything.randomElement(using: &random)!
    }

    @Test(arguments: 0..<40)
    func anyEventSequenceKeepsTheRules(_ seed: Int) {
        var random = SeededGenerator(state: UInt64(seed) &* 7919 &+ 11)
        var session = KioskSession(configuration: Self.configuration)
        var time = 0
        var consented = false, enqueuedID: String?, lastTries: Int?, confirmedLastTry = false
        var finished = 0
        for _ in 0..<600 {
            let event = Self.randomEvent(for: session, time: &time, using: &random)
            let before = session.phase
            let effects = session.handle(event)
            // What the session was told, as the rules need it.
            switch event {
            case .consent(true) where before == .purposeNotice: consented = true
            case .cardStatus(let report) where before == .checkingCard: lastTries = report.triesLeft; confirmedLastTry = false
            case .readFailed(.wrongPIN(let tries)) where before == .reading: lastTries = tries; confirmedLastTry = false
            case .lastTryConfirmed(true) where before == .confirmingLastTry: confirmedLastTry = true
            case .enqueued(let id) where before == .enqueueing: enqueuedID = id
            default: break
            }
            for effect in effects {
                switch effect {
                case .verifyAndRead(let confirm):
                    #expect(consented, "VERIFY without consent (seed \(seed))")
                    if lastTries == 1 { #expect(confirm && confirmedLastTry, "last try spent without a yes (seed \(seed))") }
                    #expect(!confirm || lastTries == 1)
                case .print(_, let id):
                    #expect(id == enqueuedID, "printed before the submission was stored (seed \(seed))")
                case .wipe:
                    #expect(!session.holdsPersonalData, "personal data after wipe (seed \(seed))")
                    consented = false
                    if session.phase == .welcome || session.phase == .takeYourCard { enqueuedID = nil; finished += 1 }
                default: break
                }
            }
            if session.phase == .welcome || session.phase == .takeYourCard {
                #expect(!session.holdsPersonalData, "session over but personal data held (seed \(seed), \(event))")
            }
        }
        #expect(finished > 0, "no session ended (seed \(seed))")
    }
}
