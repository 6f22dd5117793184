import KioskSession
import MyNumberCard
import Testing

/// The session's own clocks (`[timeouts]`): a session that lasts too long, a PIN pad no one
/// types on, a card that never answers, a sheet count no one confirms. Each ends somewhere a
/// person can go on from, and none keeps personal data or a typed digit longer than it must.
@Suite("KioskSession: timeouts")
struct SessionTimeoutTests {
    static let configuration = SessionConfiguration(
        bundle: KioskSessionTests.configuration.bundle, today: KioskSessionTests.configuration.today, inactivity: 90,
        moreTimeGrace: 30, collectTimeout: 20, sessionMax: 600, pinEntry: 45, cardRead: 15, printConfirm: 40)

    static func session(_ events: [SessionEvent]) -> KioskSession {
        KioskSessionTests.session(events, configuration: configuration)
    }

    @Test func aSessionEndsAtItsMaximumAndKeepsNothing() {
        var session = Self.session(KioskSessionTests.toQuestions)
        // Answering slowly but steadily: no inactivity prompt, yet the session has a ceiling.
        for time in stride(from: 60, through: 540, by: 60) {
            _ = session.handle(.tick(now: time))
            _ = session.handle(.back)
            _ = session.handle(.identityConfirmed(true))
        }
        #expect(session.phase == .answering)
        let effects = session.handle(.tick(now: 600))
        #expect(effects == [.wipe, .show(.takeYourCard)])
        #expect(!session.holdsPersonalData)
        // Once it ended, the card left on the reader is not cut short again.
        #expect(session.handle(.tick(now: 1300)) == [.alert(.cardLeftBehind)])
    }

    @Test func aPrintUnderWayFinishesBeforeTheMaximumEndsTheSession() throws {
        var session = Self.session(KioskSessionTests.toQuestions)
        KioskSessionTests.answerAll(&session)
        _ = session.handle(.reviewConfirmed)
        _ = session.handle(.enqueued(submissionID: "4f7d3c1e-0000-4000-8000-000000000001"))
        #expect(session.phase == .printing)
        #expect(session.handle(.tick(now: 700)) == [], "the print is not abandoned")
        _ = session.handle(.printed(.confirmed(sheets: 2)))
        _ = session.handle(.printRecorded)
        #expect(session.phase == .done)
        #expect(session.handle(.tick(now: 701)).contains(.wipe), "then the session ends")
    }

    @Test func staffSigningInAtAnIdleKioskIsNotCutShortByTheMaximum() {
        var session = Self.session([.tick(now: 5000), .staffRequested])
        #expect(session.handle(.tick(now: 5001)) == [])
        #expect(session.phase == .staffSignIn(attemptsLeft: 3, resume: .welcome))
    }

    @Test func anIdlePINPadDropsTheDigitsAndAsksForMoreTimeThenComesBackEmpty() {
        var session = Self.session(KioskSessionTests.toPIN)
        #expect(session.handle(.tick(now: 44)) == [])
        #expect(session.handle(.tick(now: 45)) == [.forgetPIN, .show(.needMoreTime)])
        #expect(session.handle(.moreTime(true)) == [.show(.pinPad(triesLeft: 3, wrong: false))])
        #expect(session.phase == .enteringPIN(triesLeft: 3))
    }

    @Test func anUnansweredLastTryQuestionDropsThePINAndKeepsTheLastTry() {
        var session = Self.session(
            Array(KioskSessionTests.toPIN.dropLast()) + [.cardStatus(CardReport(isMyNumberCard: true, triesLeft: 1)), .pinSubmitted])
        #expect(session.phase == .confirmingLastTry)
        #expect(session.handle(.tick(now: 45)) == [.forgetPIN, .show(.needMoreTime)])
        #expect(session.handle(.tick(now: 75)) == [.wipe, .show(.takeYourCard)], "no answer: the session ends, the try unspent")
    }

    @Test func aCardThatNeverAnswersIsReportedUnreadableWithARetry() {
        var session = Self.session(Array(KioskSessionTests.toPIN.dropLast()))
        #expect(session.phase == .checkingCard)
        #expect(session.handle(.tick(now: 14)) == [])
        #expect(session.handle(.tick(now: 15)) == [.forgetPIN, .show(.cardProblem(.unreadable))])
        // The late answer changes nothing; trying again reads the card anew.
        #expect(session.handle(.cardStatus(CardReport(isMyNumberCard: true, triesLeft: 3))) == [])
        #expect(session.handle(.back) == [.show(.checkingCard), .readCardStatus])
    }

    @Test func aReadThatHangsAfterThePINIsReportedUnreadable() {
        var session = Self.session(KioskSessionTests.toPIN + [.tick(now: 10), .pinSubmitted])
        #expect(session.phase == .reading)
        #expect(session.handle(.tick(now: 24)) == [])
        #expect(session.handle(.tick(now: 25)) == [.forgetPIN, .show(.cardProblem(.unreadable))])
        #expect(session.handle(.readSucceeded(KioskSessionTests.resident)) == [], "a late read is dropped")
        #expect(session.identity == nil)
    }

    @Test func anUnconfirmedSheetCountGoesOnToTheDoneScreen() {
        var session = Self.session(KioskSessionTests.toQuestions)
        KioskSessionTests.answerAll(&session)
        _ = session.handle(.reviewConfirmed)
        _ = session.handle(.enqueued(submissionID: "4f7d3c1e-0000-4000-8000-000000000002"))
        _ = session.handle(.printed(.assumed(expected: 2)))
        #expect(session.phase == .confirmingSheets(expected: 2))
        _ = session.handle(.tick(now: 39))
        #expect(session.phase == .confirmingSheets(expected: 2))
        // No answer: recorded without residentConfirmed, then the done screen.
        #expect(session.handle(.tick(now: 40)) == [
            .show(.working), .recordPrintOutcome(submissionID: "4f7d3c1e-0000-4000-8000-000000000002", .assumed(expected: 2)),
        ])
        #expect(session.handle(.printRecorded) == [.show(.done(papersAtCounter: false))])
        // Card and papers not taken: the usual alerts follow, as for a confirmed print.
        #expect(session.handle(.tick(now: 60)) == [.alert(.cardLeftBehind), .alert(.papersLeftInTray)])
    }

    @Test func staffWhoWalkAwayAreSignedOutAndTheNextPersonIsAResident() {
        var configuration = Self.configuration
        configuration.staffSignOutAfter = 300
        var session = KioskSessionTests.session([.staffRequested, .staffCredential(valid: true, card: false)], configuration: configuration)
        #expect(session.staffSignedIn && session.mode == .staff)
        #expect(session.handle(.tick(now: 299)) == [])
        #expect(session.handle(.tick(now: 300)) == [.audit(.staffSignedOut)])
        #expect(!session.staffSignedIn && session.mode == .resident)
    }

    @Test func staffAtWorkStaySignedIn() {
        var session = KioskSessionTests.session([.staffRequested, .staffCredential(valid: true, card: false)], configuration: Self.configuration)
        for time in stride(from: 100, through: 1000, by: 100) {
            _ = session.handle(.tick(now: time))
            _ = session.handle(.startTouched)
            _ = session.handle(.consent(false))
        }
        #expect(session.staffSignedIn, "input every 100 s keeps staff signed in")
    }
}
