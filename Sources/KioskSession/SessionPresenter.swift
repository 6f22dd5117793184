import Flows
public import MadoguchiCore
public import Screens

/// What a person does on a screen: a button (its action id, from a touch or a key), a typed
/// character (text and date answers), or erasing the last one.
public enum KioskInput: Sendable, Hashable {
    case action(String)
    case character(Character)
    case erase
}

/// What the runtime does with an input: a session event, a PIN digit for the buffer only it
/// holds, or just drawing the screen again (the view changed).
public enum ViewCommand: Sendable, Hashable {
    case session(SessionEvent)
    case pinDigit(Int)
    case pinErase
    /// A digit of the staff passcode, for its own buffer in the runtime.
    case staffDigit(Int)
    case staffErase
    /// Check the staff passcode typed (the runtime reports `staffCredential`).
    case staffSubmit
    case redraw
}

/// The view's own state beside the session: the language, what is being typed or ticked
/// on the current screen, the printer's progress. Typed answers are personal data until
/// they become answers: `wipe()` drops them with the session.
public struct KioskView: Sendable, Hashable {
    /// The screens' language.
    public var language: ScreenLanguage
    /// Larger text, for the session.
    public var largeText = false
    /// How many PIN digits are typed (the digits live only in the runtime).
    public var pinLength = 0
    /// How many staff passcode digits are typed (the digits live only in the runtime).
    public var staffLength = 0
    /// A number, text or date being typed.
    public var entry = ""
    /// Ticked choices of a multiple-choice question, by index.
    public var checked: Set<Int> = []
    /// A repeated group being answered item by item.
    public var group: GroupEntry?
    /// Why the last answer was not taken, shown under the question.
    public var notice: BilingualText?
    /// Documents to print and printed, for the progress screen.
    public var documents = 0, printed = 0
    /// Sheets printed (or expected), for the done and confirm screens.
    public var sheets = 0
    /// What stopped the printer, as the resident is told.
    public var printerIssue: ScreenState.PrinterIssue = .unavailable
    /// Submissions waiting to be sent (the offline banner).
    public var waiting = 0
    /// The resident said they have their papers.
    public var papersTaken = false
    /// The question the entry belongs to: moving to another question starts afresh.
    var question: String?

    /// A view in `language`.
    public init(language: ScreenLanguage) { self.language = language }

    /// Drops everything typed and ticked; keeps the language chosen by the kiosk's default.
    public mutating func wipe(language: ScreenLanguage) {
        self = KioskView(language: language)
    }

    /// The question the entry belongs to.
    public var questionID: String? { question }

    /// Starts a new question: nothing typed or ticked yet.
    public mutating func reset(for id: String?) {
        entry = ""
        checked = []
        notice = nil
        question = id
    }
}

/// One repeated group (相続人 …) answered one item at a time: how many first, then each
/// item's questions in turn.
public struct GroupEntry: Sendable, Hashable {
    /// How many items; nil while the person is asked how many.
    var count: Int?
    /// Finished items.
    var items: [[String: AnswerValue]] = []
    /// The item being answered.
    var current: [String: AnswerValue] = [:]
    /// The nested question being asked.
    var nested = 0
}

/// Turns the session's screens into drawn screens and people's inputs into session
/// events. Pure: the runtime owns the devices, the PIN buffer and the clock.
public enum SessionPresenter {
    /// The screen state for what the session shows.
    public static func state(_ screen: SessionScreen, session: KioskSession, view: KioskView) -> ScreenState {
        let t = Say(view.language)
        switch screen {
        case .welcome, .purposeNotice: return .welcome
        case .placeCard: return .placeCard
        case .checkingCard, .reading: return .reading
        case .pinPad(let tries, let wrong): return .pinPad(entered: view.pinLength, triesLeft: tries, wrong: wrong && view.pinLength == 0)
        case .confirmLastTry: return .confirmLastTry
        case .cardProblem(let problem):
            let code = switch problem {
            case .notMyNumberCard: "E-CARD-01"
            case .pinLocked: "E-CARD-02"
            case .unreadable: "E-CARD-03"
            }
            return .error(code: code)
        case .confirmIdentity:
            guard let identity = session.identity else { return .reading }
            let birth = view.language == .en ? identity.birthDate : identity.birthWareki
            return .confirmIdentity(name: identity.name, address: identity.address, birth: birth)
        case .question(_, let invalid):
            guard let run = session.run, let question = run.current else { return .reading }
            var state = self.question(question, run: run, view: view)
            if invalid || view.notice != nil {
                let notice = view.notice ?? BilingualText(ja: "この答えは使えません。もう一度お答えください。", en: "That answer cannot be used; please answer again.")
                state.help = [t.text(notice), state.help].compactMap { $0 }.joined(separator: " ")
            }
            return .question(state)
        case .review:
            guard let run = session.run else { return .reading }
            return .review(rows(run, language: view.language))
        case .working:
            return .printing(done: view.printed, total: max(view.documents, 1))
        case .printerProblem: return .printerProblem(view.printerIssue)
        case .confirmSheets(let expected): return .confirmSheets(sheets: expected)
        case .done(let atCounter):
            // "I have everything" pressed with the card still on the reader: only the card is left.
            if view.papersTaken, session.cardPresent { return .cardLeftBehind }
            return .done(sheets: view.sheets, papersAtCounter: atCounter)
        case .takeYourCard: return .cardLeftBehind
        case .needMoreTime: return .needMoreTime(seconds: session.configuration.moreTimeGrace)
        case .staffSignIn: return .staffMode(entered: view.staffLength)
        case .staffLockedOut: return .error(code: "E-STAFF-01")
        }
    }

    /// The drawn screen: the state in the view's language, with the offline banner.
    public static func screen(_ screen: SessionScreen, session: KioskSession, view: KioskView) -> Screen {
        ScreenCatalog.screen(
            state(screen, session: session, view: view), language: view.language, largeText: view.largeText, waiting: view.waiting,
            staff: session.staffSignedIn)
    }

    // MARK: input

    /// A key of a pad for a secret (the PIN, the staff passcode): the digits go to the
    /// runtime's buffer, only their `count` is kept here.
    enum PadKey: Equatable {
        case digit(Int), erase, ok
    }

    /// What `key.N`, `key.clear` or `key.ok` does to a pad holding `count` of at most `maximum` digits.
    static func padKey(_ id: String, count: inout Int, maximum: Int) -> PadKey? {
        let key = id.dropFirst(4)
        if let digit = Int(key), (0...9).contains(digit) {
            guard count < maximum else { return nil }
            count += 1
            return .digit(digit)
        }
        if key == "clear" {
            guard count > 0 else { return nil }
            count -= 1
            return .erase
        }
        return key == "ok" ? .ok : nil
    }

    /// What an input on `screen` means. Chrome (language, larger text, cancel) works on
    /// every screen; the rest depends on the screen.
    public static func handle(_ input: KioskInput, on screen: SessionScreen, session: KioskSession, view: inout KioskView) -> [ViewCommand] {
        if case .action(let id) = input {
            if id.hasPrefix("language."), let language = ScreenLanguage(rawValue: String(id.dropFirst(9))) {
                view.language = language
                return [.redraw]
            }
            switch id {
            case "largeText":
                view.largeText.toggle()
                return [.redraw]
            case "cancel": return [.session(.cancel)]
            case "staff": return [.session(.staffRequested)]
            case "help": return [.redraw]
            default: break
            }
        }
        switch (screen, input) {
        case (.welcome, .action("consent.yes")): return [.session(.startTouched), .session(.consent(true))]
        case (.purposeNotice, .action("consent.yes")): return [.session(.consent(true))]
        case (.purposeNotice, .action("consent.no")): return [.session(.consent(false))]
        case (.pinPad, .action(let id)) where id.hasPrefix("key."):
            switch padKey(id, count: &view.pinLength, maximum: 4) {
            case .digit(let digit)?: return [.pinDigit(digit)]
            case .erase?: return [.pinErase]
            case .ok? where view.pinLength == 4: return [.session(.pinSubmitted)]
            default: return []
            }
        case (.pinPad, .erase):
            return padKey("key.clear", count: &view.pinLength, maximum: 4) == nil ? [] : [.pinErase]
        case (.staffSignIn, .action(let id)) where id.hasPrefix("key."):
            switch padKey(id, count: &view.staffLength, maximum: 12) {
            case .digit(let digit)?: return [.staffDigit(digit)]
            case .erase?: return [.staffErase]
            case .ok? where view.staffLength >= 6: return [.staffSubmit]
            default: return []
            }
        case (.staffSignIn, .erase):
            return padKey("key.clear", count: &view.staffLength, maximum: 12) == nil ? [] : [.staffErase]
        case (.confirmLastTry, .action("lastTry.yes")): return [.session(.lastTryConfirmed(true))]
        case (.confirmLastTry, .action("lastTry.no")): return [.session(.lastTryConfirmed(false))]
        case (.cardProblem, .action("restart")), (.staffLockedOut, .action("restart")): return [.session(.back)]
        case (.confirmIdentity, .action("identity.yes")): return [.session(.identityConfirmed(true))]
        case (.confirmIdentity, .action("identity.no")): return [.session(.identityConfirmed(false))]
        case (.question, _):
            return answerInput(input, session: session, view: &view)
        case (.review, .action("confirm")): return [.session(.reviewConfirmed)]
        case (.review, .action("back")): return [.session(.back)]
        case (.printerProblem, .action("print.retry")): return [.session(.printerChoice(.retry))]
        case (.printerProblem, .action("print.counter")): return [.session(.printerChoice(.collectAtCounter))]
        case (.confirmSheets, .action("sheets.yes")): return [.session(.sheetsReceived(true))]
        case (.confirmSheets, .action("sheets.no")): return [.session(.sheetsReceived(false))]
        case (.done, .action("finish")):
            view.papersTaken = true
            return [.session(.papersTaken)]
        case (.needMoreTime, .action("moreTime.yes")): return [.session(.moreTime(true))]
        case (.needMoreTime, .action("moreTime.no")): return [.session(.moreTime(false))]
        default: return []
        }
    }

    /// Whether typed characters are an answer on this screen (text and date questions).
    public static func takesText(_ screen: Screen) -> Bool {
        if case .textEntry = screen.content { return true }
        return false
    }

    // MARK: questions

    /// The question the person answers now: the flow's, or a repeated group's inner one.
    static func asked(_ question: Question, view: KioskView) -> (question: Question, countOfGroup: Bool) {
        guard case .repeatGroup(let nested, _, _, _, _) = question.kind, let group = view.group else { return (question, false) }
        guard group.count != nil, nested.indices.contains(group.nested) else { return (question, true) }
        return (nested[group.nested], false)
    }

    static func question(_ flowQuestion: Question, run: FlowRun, view: KioskView) -> ScreenState.Question {
        let bundle = run.bundle
        let language = BundleLanguage(rawValue: view.language.rawValue) ?? .ja
        let t = Say(view.language)
        let (question, countOfGroup) = asked(flowQuestion, view: view.group == nil ? KioskView.groupStarting(view, flowQuestion) : view)
        let number = run.shown.count + 1
        let total = max(bundle.questions.count, number)
        var text = bundle.text(question.text, in: language)
        var help = question.help.map { bundle.text($0, in: language) }
        if case .repeatGroup(_, let itemLabel, _, _, let maxItems) = flowQuestion.kind, let group = view.group ?? KioskView.groupStarting(view, flowQuestion).group {
            let itemNumber = String(group.items.count + 1)
            let label = itemLabel.map { bundle.text($0, in: language, values: ["n": itemNumber]) } ?? t.text(BilingualText(ja: "\(itemNumber) 件目", en: "item \(itemNumber)"))
            if countOfGroup || group.count == nil {
                text = bundle.text(flowQuestion.text, in: language)
                help = t.text(BilingualText(ja: "何件ですか(0〜\(maxItems))", en: "How many? (0–\(maxItems))"))
                return ScreenState.Question(number: number, total: total, text: text, help: help, kind: .number(value: view.entry, unit: nil))
            }
            help = [help, "\(label)(\(group.items.count + 1) / \(group.count ?? 0))"].compactMap { $0 }.joined(separator: " ")
        }
        let kind: ScreenState.Question.Kind
        switch question.kind {
        case .boolean, .confirmIdentity: kind = .boolean
        case .singleChoice(let choices): kind = .choices(choices.map { bundle.text($0.text, in: language) })
        case .multipleChoice(let choices, _, _):
            kind = .checkboxes(choices.map { bundle.text($0.text, in: language) }, checked: choices.indices.map { view.checked.contains($0) })
        case .number(_, _, _, let unit): kind = .number(value: view.entry, unit: unit.map { bundle.text($0, in: language) })
        case .date: kind = .date(value: view.entry)
        case .text: kind = .text(value: view.entry)
        case .repeatGroup: kind = .number(value: view.entry, unit: nil)
        }
        if case .confirmIdentity = question.kind {
            text = bundle.text(question.text, in: language)
            help = [help, t.text(BilingualText(ja: "「はい」は住所が変わっていないとき。変わったときは「いいえ」(新しい住所は窓口で伺います)。", en: "Yes if your address has not changed; No if it has (the counter takes the new address)."))].compactMap { $0 }.joined(separator: " ")
        }
        return ScreenState.Question(number: number, total: total, text: text, help: help, kind: kind)
    }

    /// Inputs on a question screen.
    static func answerInput(_ input: KioskInput, session: KioskSession, view: inout KioskView) -> [ViewCommand] {
        guard let run = session.run, let flowQuestion = run.current else { return [] }
        if view.question != flowQuestion.id {
            view.reset(for: flowQuestion.id)
            view.group = nil
        }
        guard case .repeatGroup(let nested, _, _, let minItems, let maxItems) = flowQuestion.kind else {
            switch reply(input, to: flowQuestion, view: &view) {
            case .answer(let value): return [.session(.answer(value))]
            case .skip: return [.session(.skip)]
            case .back: return [.session(.back)]
            case .redraw: return [.redraw]
            case .nothing: return []
            }
        }
        var group = view.group ?? GroupEntry()
        defer { view.group = group }
        guard group.count != nil else {
            // How many items: a number pad.
            let count = Question(id: flowQuestion.id, kind: .number(minimum: Double(minItems), maximum: Double(maxItems), integer: true, unit: nil), answeredBy: flowQuestion.answeredBy, text: flowQuestion.text, location: flowQuestion.location)
            switch reply(input, to: count, view: &view) {
            case .answer(.number(let number)):
                let items = Int(number)
                guard items >= minItems, items <= maxItems else {
                    view.notice = BilingualText(ja: "\(minItems)〜\(maxItems) で答えてください。", en: "Answer from \(minItems) to \(maxItems).")
                    view.entry = ""
                    return [.redraw]
                }
                if items == 0 { return [.session(.answer(.items([])))] }
                group.count = items
                group.nested = (0..<nested.count).first { run.asks(nested[$0], inItem: [:], of: flowQuestion) } ?? 0
                view.entry = ""
                view.notice = nil
                return [.redraw]
            case .back: return [.session(.back)]
            case .redraw, .answer, .skip: return [.redraw]
            case .nothing: return []
            }
        }
        let inner = nested[group.nested]
        switch reply(input, to: inner, view: &view) {
        case .answer(let value):
            group.current[inner.id] = value
        case .skip:
            break
        case .back:
            view.reset(for: flowQuestion.id)
            if let previous = (0..<group.nested).last(where: { run.asks(nested[$0], inItem: group.current, of: flowQuestion) }) {
                group.current[nested[previous].id] = nil
                group.nested = previous
            } else if let last = group.items.popLast() {
                group.current = last
                group.nested = (0..<nested.count).last { run.asks(nested[$0], inItem: last, of: flowQuestion) } ?? 0
                group.current[nested[group.nested].id] = nil
            } else {
                group.count = nil
            }
            return [.redraw]
        case .redraw: return [.redraw]
        case .nothing: return []
        }
        view.entry = ""
        view.checked = []
        view.notice = nil
        if let next = (group.nested + 1..<nested.count).first(where: { run.asks(nested[$0], inItem: group.current, of: flowQuestion) }) {
            group.nested = next
            return [.redraw]
        }
        group.items.append(group.current)
        group.current = [:]
        if group.items.count == group.count {
            let items = group.items
            group = GroupEntry()
            return [.session(.answer(.items(items)))]
        }
        group.nested = (0..<nested.count).first { run.asks(nested[$0], inItem: [:], of: flowQuestion) } ?? 0
        return [.redraw]
    }

    enum Reply: Equatable {
        case answer(AnswerValue), skip, back, redraw, nothing
    }

    /// One question's widget: buttons, ticks, a number pad or typed text.
    static func reply(_ input: KioskInput, to question: Question, view: inout KioskView) -> Reply {
        if case .action("back") = input { return .back }
        switch (question.kind, input) {
        case (.boolean, .action("answer.yes")): return .answer(.boolean(true))
        case (.boolean, .action("answer.no")): return .answer(.boolean(false))
        case (.confirmIdentity, .action("answer.yes")): return .answer(.identity(addressChanged: false, newAddress: nil))
        case (.confirmIdentity, .action("answer.no")): return .answer(.identity(addressChanged: true, newAddress: nil))
        case (.singleChoice(let choices), .action(let id)) where id.hasPrefix("choice."):
            guard let index = Int(id.dropFirst(7)), choices.indices.contains(index) else { return .nothing }
            return .answer(.choice(choices[index].value))
        case (.multipleChoice(let choices, _, _), .action(let id)) where id.hasPrefix("choice."):
            guard let index = Int(id.dropFirst(7)), choices.indices.contains(index) else { return .nothing }
            if view.checked.contains(index) { view.checked.remove(index) } else { view.checked.insert(index) }
            view.notice = nil
            return .redraw
        case (.multipleChoice(let choices, _, _), .action("next")):
            return .answer(.choices(choices.indices.filter { view.checked.contains($0) }.map { choices[$0].value }))
        case (.number, .action(let id)) where id.hasPrefix("key."):
            let key = id.dropFirst(4)
            if let digit = Int(key), (0...9).contains(digit) {
                guard view.entry.count < 9 else { return .nothing }
                view.entry += String(digit)
            } else if key == "clear" || key == "erase" {
                guard !view.entry.isEmpty else { return .nothing }
                view.entry.removeLast()
            } else if key == "ok" {
                return reply(.action("next"), to: question, view: &view)
            }
            view.notice = nil
            return .redraw
        case (.number, .erase), (.text, .erase), (.date, .erase):
            guard !view.entry.isEmpty else { return .nothing }
            view.entry.removeLast()
            view.notice = nil
            return .redraw
        case (.number, .action("next")):
            if view.entry.isEmpty { return question.optional ? .skip : refuse(&view, ja: "数を入れてください。", en: "Enter a number.") }
            guard let number = Double(view.entry) else { return refuse(&view, ja: "数を入れてください。", en: "Enter a number.") }
            return .answer(.number(number))
        case (.text, .character(let character)), (.date, .character(let character)):
            let limit: Int = if case .text(let maxLength, _) = question.kind { maxLength } else { 20 }
            guard character.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }), view.entry.count < limit else { return .nothing }
            view.entry.append(character)
            view.notice = nil
            return .redraw
        case (.text, .action("next")):
            let text = trimmed(view.entry)
            if text.isEmpty { return question.optional ? .skip : refuse(&view, ja: "文字を入れてください。", en: "Type your answer.") }
            return .answer(.text(text))
        case (.date, .action("next")):
            let text = trimmed(view.entry)
            if text.isEmpty { return question.optional ? .skip : refuse(&view, ja: "日付を入れてください(例 令和8年1月5日、R8.1.5)。", en: "Type the date (e.g. 2026-01-05 or R8.1.5).") }
            switch DateInput.parse(text) {
            case .success(let date): return .answer(.date(date))
            case .failure(let error):
                view.notice = error.message
                return .redraw
            }
        default:
            return .nothing
        }
    }

    static func refuse(_ view: inout KioskView, ja: String, en: String) -> Reply {
        view.notice = BilingualText(ja: ja, en: en)
        return .redraw
    }

    static func trimmed(_ text: String) -> String {
        var scalars = Substring(text)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }

    // MARK: review

    /// The answers for "check your answers", in the flow's order: the question and the answer
    /// as the person gave it (dates in 和暦 in Japanese).
    static func rows(_ run: FlowRun, language screenLanguage: ScreenLanguage) -> [ScreenRow] {
        let language = BundleLanguage(rawValue: screenLanguage.rawValue) ?? .ja
        let t = Say(screenLanguage)
        let bundle = run.bundle
        return bundle.questions.compactMap { question in
            guard let answer = run.answers[question.id] else { return nil }
            let shown: String
            switch answer {
            case .boolean(let flag): shown = t.text(flag ? BilingualText(ja: "はい", en: "Yes") : BilingualText(ja: "いいえ", en: "No"))
            case .choice(let value): shown = question.kind.choices.first { $0.value == value }.map { bundle.text($0.text, in: language) } ?? value
            case .choices(let values):
                shown = values.isEmpty ? t.text(BilingualText(ja: "なし", en: "None")) : values.map { value in question.kind.choices.first { $0.value == value }.map { bundle.text($0.text, in: language) } ?? value }.joined(separator: screenLanguage == .en ? ", " : "、")
            case .number(let number): shown = number.rounded() == number ? String(Int(number)) : String(number)
            case .date(let date): shown = screenLanguage == .en ? date.description : (date.wareki?.text ?? date.description)
            case .text(let text): shown = text
            case .identity(let changed, _): shown = t.text(changed ? BilingualText(ja: "住所が変わった(窓口で伺います)", en: "Address changed (the counter takes it)") : BilingualText(ja: "変わりなし", en: "No change"))
            case .items(let items): shown = t.text(BilingualText(ja: "\(items.count) 件", en: "\(items.count) item(s)"))
            }
            return ScreenRow(bundle.text(question.text, in: language), shown)
        }
    }

    /// Picks Japanese (also for やさしい日本語 where no easy wording is given) or English.
    struct Say {
        let language: ScreenLanguage
        init(_ language: ScreenLanguage) { self.language = language }
        func text(_ text: BilingualText) -> String { language == .en ? text.en : text.ja }
    }
}

extension KioskView {
    /// The view as it is when a repeated group's first screen is drawn before any input.
    static func groupStarting(_ view: KioskView, _ question: Question) -> KioskView {
        guard case .repeatGroup = question.kind, view.group == nil else { return view }
        var copy = view
        copy.group = GroupEntry()
        return copy
    }
}
