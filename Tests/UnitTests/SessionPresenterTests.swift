import Contracts
import Flows
import Foundation
import KioskSession
import MadoguchiCore
import Screens
import Testing

/// The view between the session and the screens, without devices: inputs become events,
/// screens show what the session holds, and a finished run becomes a submission body the
/// contract accepts.
@Suite("SessionPresenter and SubmissionComposer")
struct SessionPresenterTests {
    /// A session and its view, with a runtime's loop in miniature: PIN digits only counted.
    struct Driver {
        var session = KioskSession(configuration: KioskSessionTests.configuration)
        var view = KioskView(language: .ja)
        var shown: SessionScreen = .welcome
        var pinDigits: [Int] = []
        /// The staff passcode as the runtime's buffer would hold it; "246810" is right.
        var staffDigits: [Int] = []

        init(configuration: SessionConfiguration = KioskSessionTests.configuration) {
            session = KioskSession(configuration: configuration)
        }

        mutating func send(_ event: SessionEvent) {
            for effect in session.handle(event) {
                switch effect {
                case .show(let screen):
                    if case .question(let id, _) = screen, view.questionID != id { view.reset(for: id) }
                    shown = screen
                case .readCardStatus: send(.cardStatus(CardReport(isMyNumberCard: true, triesLeft: 3)))
                case .verifyAndRead:
                    pinDigits = []
                    view.pinLength = 0
                    send(.readSucceeded(KioskSessionTests.resident))
                case .wipe: view.wipe(language: .ja)
                default: break
                }
            }
        }

        mutating func input(_ input: KioskInput) {
            for command in SessionPresenter.handle(input, on: shown, session: session, view: &view) {
                switch command {
                case .session(let event): send(event)
                case .pinDigit(let digit): pinDigits.append(digit)
                case .pinErase: pinDigits.removeLast()
                case .staffDigit(let digit): staffDigits.append(digit)
                case .staffErase: staffDigits.removeLast()
                case .staffSubmit:
                    let valid = staffDigits == [2, 4, 6, 8, 1, 0]
                    staffDigits = []
                    view.staffLength = 0
                    send(.staffCredential(valid: valid, card: false))
                case .redraw: break
                }
            }
        }

        mutating func press(_ id: String) { input(.action(id)) }
        mutating func type(_ text: String) { for character in text { input(.character(character)) } }

        var screen: Screen { SessionPresenter.screen(shown, session: session, view: view) }
        var question: String? { session.run?.current?.id }
    }

    /// Consent, the PIN, "this is me" and the address unchanged: at the second question.
    static func signedIn() -> Driver {
        var driver = Driver()
        driver.send(.cardInserted)
        driver.press("consent.yes")
        for digit in [1, 2, 3, 4] { driver.press("key.\(digit)") }
        driver.press("key.ok")
        driver.press("identity.yes")
        driver.press("answer.yes")  // address unchanged
        return driver
    }

    static func answered() -> Driver {
        var driver = signedIn()
        driver.type("見本 一郎")
        driver.press("next")
        driver.type("R8.1.5")
        driver.press("next")
        driver.type("1948-02-10")
        driver.press("next")
        driver.press("answer.yes")  // head of household
        driver.press("key.2")
        driver.press("next")
        driver.type("見本 花子")
        driver.press("next")
        driver.press("choice.1")  // kouki
        driver.press("answer.yes")  // funeral held
        driver.type("R8.1.8")
        driver.press("next")
        driver.press("choice.0")  // pension
        driver.press("next")
        return driver
    }

    @Test func consentThePINAndEveryKindOfQuestionLeadToTheReview() {
        var driver = Self.answered()
        #expect(driver.question == "heirs")
        driver.press("key.2")
        driver.press("next")
        // Item 1: a spouse who lived with the deceased; item 2: "other", so "lived together" is not asked.
        driver.type("見本 花子")
        driver.press("next")
        driver.press("choice.0")
        #expect(driver.screen.title.contains("一緒に住んで"))
        driver.press("answer.yes")
        driver.type("見本 次郎")
        driver.press("next")
        driver.press("choice.4")
        #expect(driver.session.phase == .reviewing, "\(driver.session.phase)")
        guard case .items(let items)? = driver.session.run?.answers["heirs"] else { Issue.record("no heirs"); return }
        #expect(items.count == 2 && items[0]["livedTogether"] == .boolean(true) && items[1]["livedTogether"] == nil)
        #expect(driver.session.run?.answers["dateOfDeath"] == .date(CalendarDate(iso: "2026-01-05")!))
        #expect(driver.session.run?.answers["benefits"] == .choices(["pension"]))
        guard case .review(let rows) = SessionPresenter.state(driver.shown, session: driver.session, view: driver.view) else {
            Issue.record("not the review"); return
        }
        #expect(rows.contains { $0.value == "令和8年1月5日" } && rows.contains { $0.value == "後期高齢者医療制度" })
    }

    @Test func thePINIsCountedNeverHeldAndOKWaitsForFourDigits() {
        var driver = Driver()
        driver.send(.cardInserted)
        driver.press("consent.yes")
        driver.press("key.7")
        driver.press("key.ok")
        #expect(driver.session.phase == .enteringPIN(triesLeft: 3), "OK with one digit does nothing")
        driver.input(.erase)
        for digit in [1, 2, 3, 4, 5] { driver.press("key.\(digit)") }
        #expect(driver.pinDigits == [1, 2, 3, 4] && driver.view.pinLength == 4, "a fifth digit is not taken")
        #expect(driver.screen.content == .pinPad(entered: 4, length: 4))
        driver.press("key.ok")
        #expect(driver.session.phase == .confirmingIdentity)
    }

    @Test func aDateThatCannotBeReadIsExplainedAndNothingIsAnswered() {
        var driver = Self.signedIn()
        driver.type("見本 一郎")
        driver.press("next")
        driver.type("いつか")
        driver.press("next")
        #expect(driver.question == "dateOfDeath")
        guard case .question(let question) = SessionPresenter.state(driver.shown, session: driver.session, view: driver.view) else {
            Issue.record("not a question"); return
        }
        #expect(question.help?.contains("令和8年1月5日") == true, "\(question.help ?? "")")
        for _ in 0..<3 { driver.input(.erase) }
        driver.type("2026-01-05")
        driver.press("next")
        #expect(driver.question == "deceasedBirthDate")
    }

    @Test func languageAndLargerTextChangeTheScreenNotTheSession() {
        var driver = Driver()
        driver.press("language.en")
        #expect(driver.screen.title == "The no-writing counter")
        driver.press("largeText")
        #expect(driver.screen.largeText && driver.session.phase == .welcome)
        driver.press("cancel")
        #expect(driver.session.phase == .welcome)
    }

    @Test func aSessionEndedMidAnswerLeavesNothingTypedInTheView() {
        var driver = Self.answered()
        driver.press("key.3")
        driver.press("next")
        driver.type("見本 花")
        driver.press("cancel")
        #expect(driver.view == KioskView(language: .ja))
        #expect(!driver.session.holdsPersonalData)
    }

    @Test func theSubmissionBodyOfAFinishedRunMeetsTheContract() throws {
        var driver = Self.answered()
        driver.press("key.0")
        driver.press("next")
        #expect(driver.session.phase == .reviewing)
        let run = try #require(driver.session.run)
        let body = SubmissionComposer.body(
            SubmissionDraft(run: run, identity: KioskSessionTests.resident), id: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
            kioskId: "kasumi-honcho-01", createdAt: "2026-01-09T10:15:30+09:00")
        let node = try DataLoader.loadJSON(Data(body.utf8), file: "body.json")
        let schemas = try ContractFilesTests.schemas.get()
        #expect(schemas.validate(node, against: "submission.schema.json").isEmpty == false, "without print the body is not yet a whole submission")
        let withPrint = body.dropLast(3) + ",\n  \"print\": {\"outcome\": \"confirmed\", \"sheets\": 2}\n}\n"
        let whole = try DataLoader.loadJSON(Data(withPrint.utf8), file: "submission.json")
        #expect(schemas.validate(whole, against: "submission.schema.json").map(\.description) == [])
        #expect(whole["answers"]?["heirs"]?.value == .array([]))
        #expect(whole["identity"]?["sex"]?["meaning"]?["en"]?.value == .string("female"))
        #expect(body == SubmissionComposer.body(
            SubmissionDraft(run: run, identity: KioskSessionTests.resident), id: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
            kioskId: "kasumi-honcho-01", createdAt: "2026-01-09T10:15:30+09:00"), "the same draft gives the same bytes")
    }

    // MARK: staff

    @Test func theStaffKeyOpensAPadOfItsOwnAndTheRightPasscodeSignsIn() {
        var driver = Driver()
        driver.press("staff")
        #expect(driver.shown == .staffSignIn(attemptsLeft: 3))
        for digit in [2, 4, 6, 8, 1] { driver.press("key.\(digit)") }
        #expect(driver.screen.content == .pinPad(entered: 5, length: 6))
        driver.press("key.ok")
        #expect(driver.shown == .staffSignIn(attemptsLeft: 3), "five digits are not a passcode: OK waits")
        driver.press("key.0")
        #expect(driver.pinDigits == [], "the resident's PIN buffer is never touched")
        driver.press("key.ok")
        #expect(driver.session.staffSignedIn)
        #expect(driver.session.mode == .staff)
        #expect(driver.shown == .welcome, "back where staff came from")
        #expect(driver.screen.banner?.contains("職員モード") == true, "every screen says staff are signed in")
        // The staff key again signs out.
        driver.press("staff")
        #expect(!driver.session.staffSignedIn)
        #expect(driver.screen.banner == nil)
    }

    @Test func aWrongStaffPasscodeCountsDownAndTheNextTryStartsEmpty() {
        var driver = Driver()
        driver.press("staff")
        for digit in [1, 1, 1, 1, 1, 1] { driver.press("key.\(digit)") }
        driver.input(.erase)
        driver.press("key.2")
        driver.press("key.ok")
        #expect(driver.shown == .staffSignIn(attemptsLeft: 2))
        #expect(driver.view.staffLength == 0 && driver.screen.content == .pinPad(entered: 0, length: 6))
        #expect(!driver.session.staffSignedIn)
        // Esc leaves the pad for where staff came from.
        driver.press("cancel")
        #expect(driver.shown == .welcome)
    }

    @Test func withoutAStaffPasscodeTheStaffKeyDoesNothing() {
        var configuration = KioskSessionTests.configuration
        configuration.staffSignIn = false
        var driver = Driver(configuration: configuration)
        driver.press("staff")
        #expect(driver.shown == .welcome)
    }
}
