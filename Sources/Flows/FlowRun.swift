public import MadoguchiCore

/// One run of a flow: which question comes next, the answers given, going back, and the
/// outcome. A value: copying it keeps a snapshot, comparing two tells whether they are the
/// same state, and it holds the bundle it started with, so a flow in progress finishes on
/// its version whatever is loaded meanwhile.
public struct FlowRun: Sendable, Hashable {
    /// What stands where a question was not answered.
    public enum Unanswered: Sendable, Hashable {
        /// Its `when` was false, or it was optional and skipped: the answer is null.
        case null
        /// A staff question in resident mode, or its `when` was unknown: the answer is unknown.
        case unknown
    }

    /// The bundle, as it was when the run started.
    public let bundle: FormBundle
    /// Resident, staff or vehicle.
    public let mode: KioskMode
    /// The session's date for `today()`.
    public let today: CalendarDate
    /// The card's data (an object), or null.
    public let identity: ExpressionValue
    /// The answers given, by question id.
    public private(set) var answers: [String: AnswerValue] = [:]
    /// Indices of the questions shown, in order (answered or skipped).
    public private(set) var shown: [Int] = []
    /// Answers taken back with `back()`, offered again when the question returns.
    public private(set) var remembered: [String: AnswerValue] = [:]

    /// Starts a run. Fails when the flow requires a card and none is given.
    public init(bundle: FormBundle, mode: KioskMode, today: CalendarDate, identity: ExpressionValue = .null) throws(AnswerError) {
        if bundle.identity == .required, case .null = identity {
            throw AnswerError(
                .wrongType, question: "identity",
                ja: "このフォームはマイナンバーカードを読んでから始めます。カードを読み取ってください。",
                en: "this form starts by reading a My Number Card; read the card first.")
        }
        self.bundle = bundle
        self.mode = mode
        self.today = today
        self.identity = bundle.identity == .none ? .null : identity
    }

    // MARK: where the run stands

    /// The question to ask now, or nil when every question has been dealt with.
    public var current: Question? { currentIndex.map { bundle.questions[$0] } }

    /// Whether the run has reached its end (then `outcome()` is final).
    public var isFinished: Bool { currentIndex == nil }

    /// The index of the next question to ask.
    var currentIndex: Int? {
        var environment = RunEnvironment(run: self, limit: 0)
        var index = (shown.last ?? -1) + 1
        environment.fill(upTo: index)
        while index < bundle.questions.count {
            if environment.status(of: index) == nil { return index }
            environment.fill(upTo: index + 1)
            index += 1
        }
        return nil
    }

    /// Whether `back()` can go anywhere.
    public var canGoBack: Bool { !shown.isEmpty }

    /// The answer to offer when a question comes back after `back()`.
    public func suggestedAnswer(for question: Question) -> AnswerValue? { remembered[question.id] }

    // MARK: moving

    /// Answers the current question; the value is checked against the question first.
    public mutating func answer(_ value: AnswerValue) throws(AnswerError) {
        guard let index = currentIndex else {
            throw AnswerError(
                .finished, question: "",
                ja: "質問はすべて終わっています。", en: "every question has been answered already.")
        }
        let question = bundle.questions[index]
        let environment = RunEnvironment(run: self, limit: index)
        let checked = try AnswerValidator(mode: mode).validate(value, for: question, in: environment)
        answers[question.id] = checked
        remembered[question.id] = nil
        shown.append(index)
    }

    /// Goes on without answering the current question; only optional questions allow it.
    public mutating func skip() throws(AnswerError) {
        guard let index = currentIndex else {
            throw AnswerError(.finished, question: "", ja: "質問はすべて終わっています。", en: "every question has been answered already.")
        }
        let question = bundle.questions[index]
        guard question.optional else {
            throw AnswerError(
                .notOptional, question: question.id,
                ja: "質問「\(question.id)」は答えが必要です。", en: "question \"\(question.id)\" needs an answer.")
        }
        remembered[question.id] = nil
        shown.append(index)
    }

    /// Goes back to the question shown before; its answer is taken back (and remembered to
    /// offer again). Returns false at the first question.
    @discardableResult
    public mutating func back() -> Bool {
        guard let index = shown.popLast() else { return false }
        let id = bundle.questions[index].id
        if let previous = answers.removeValue(forKey: id) { remembered[id] = previous }
        return true
    }

    // MARK: values

    /// What expressions see now: answers given, null or unknown for the questions passed.
    public var environment: some ExpressionEnvironment {
        var environment = RunEnvironment(run: self, limit: 0)
        environment.fill(upTo: currentIndex ?? bundle.questions.count)
        return environment
    }

    /// How a passed question stands when it has no answer (nil: answered, or to be asked).
    public func unanswered(_ id: String) -> Unanswered? {
        guard let index = bundle.questions.firstIndex(where: { $0.id == id }) else { return nil }
        var environment = RunEnvironment(run: self, limit: 0)
        environment.fill(upTo: index)
        return environment.status(of: index)
    }
}

/// The values of a run up to a question: answers, null and unknown, computed values on
/// demand, identity and today.
struct RunEnvironment: ExpressionEnvironment {
    let run: FlowRun
    private(set) var values: [String: ExpressionValue] = [:]
    private(set) var filled = 0
    var currentItem: ExpressionValue?
    private let computed: [String: ComputedValue]

    init(run: FlowRun, limit: Int) {
        self.run = run
        self.computed = Dictionary(run.bundle.computed.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        fill(upTo: limit)
    }

    var today: CalendarDate { run.today }

    func value(of path: String) -> ExpressionValue? {
        if let value = values[path] { return value }
        if path.hasPrefix("computed."), let value = computed[String(path.dropFirst(9))] {
            return value.expression.expression.evaluate(in: self)
        }
        if path.hasPrefix("identity.") {
            return ExpressionEvaluator<Self>.member(run.identity, path.split(separator: ".").dropFirst().map(String.init)[...])
        }
        if path.hasPrefix("answers.") { return .null }
        return nil
    }

    /// Whether question `index` is passed without being asked (null or unknown), given the
    /// values of the questions before it; nil when it is asked.
    func status(of index: Int) -> FlowRun.Unanswered? {
        let question = run.bundle.questions[index]
        if let when = question.when {
            switch when.expression.evaluate(in: self).decision {
            case .no: return .null
            case .unknown: return .unknown
            case .yes: break
            }
        }
        if question.answeredBy == .staff && run.mode == .resident { return .unknown }
        return nil
    }

    /// Records the values of questions up to (not including) `limit`.
    mutating func fill(upTo limit: Int) {
        let questions = run.bundle.questions
        while filled < min(limit, questions.count) {
            let question = questions[filled]
            let path = "answers." + question.id
            if let answer = run.answers[question.id] {
                values[path] = answer.expressionValue
            } else {
                values[path] = status(of: filled) == .unknown ? .unknown : .null
            }
            filled += 1
        }
    }
}
