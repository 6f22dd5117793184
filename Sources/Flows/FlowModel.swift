public import Contracts

/// An expression as written in a bundle: its text, where the text starts, and the parsed
/// tree (parsed once, when the bundle loads).
public struct SourceExpression: Sendable, Hashable {
    /// The text as written.
    public var text: String
    /// Where the expression's first character stands (inside the quotes).
    public var location: FilePosition
    /// The parsed tree.
    public var expression: Expression

    /// Creates a located expression.
    public init(text: String, location: FilePosition, expression: Expression) {
        self.text = text
        self.location = location
        self.expression = expression
    }

    /// The location of a character `offset` scalars into the text (from 1).
    public func location(ofOffset offset: Int) -> FilePosition {
        var position = location
        if let column = position.column, !text.contains("\n") { position.column = column + offset - 1 }
        return position
    }
}

/// Who answers a question (`answeredBy`).
public enum AnsweredBy: String, Sendable, Hashable, CaseIterable {
    /// The resident, at the kiosk or with staff.
    case resident
    /// Staff only; not asked in resident mode.
    case staff
}

/// Whether a flow reads a My Number Card first (`identity`).
public enum IdentityRequirement: String, Sendable, Hashable, CaseIterable {
    /// A card must be read.
    case required
    /// The resident may go on without a card.
    case optional
    /// No card; `identity.*` may not be used.
    case none
}

/// One choice of a `singleChoice` or `multipleChoice` question.
public struct Choice: Sendable, Hashable {
    /// The value stored in answers.
    public var value: String
    /// The string key of its text.
    public var text: String
    /// `multipleChoice` only: choosing it clears the others.
    public var exclusive: Bool

    /// Creates a choice.
    public init(value: String, text: String, exclusive: Bool = false) {
        self.value = value
        self.text = text
        self.exclusive = exclusive
    }
}

/// What a date question offers first on screen.
public enum CalendarKind: String, Sendable, Hashable, CaseIterable {
    /// 和暦 (era, year, month, day).
    case wareki
    /// 西暦.
    case western
}

/// What a text question accepts.
public enum TextInputKind: String, Sendable, Hashable, CaseIterable {
    case any, katakana, hiragana, digits, phone, postalCode
}

/// A card field shown by a `confirmIdentity` question.
public enum IdentityField: String, Sendable, Hashable, CaseIterable {
    case name, address, birth, sex
}

/// A question's type with the keys that type takes.
public indirect enum QuestionKind: Sendable, Hashable {
    /// Yes or no.
    case boolean
    /// One of the choices.
    case singleChoice(choices: [Choice])
    /// Some of the choices.
    case multipleChoice(choices: [Choice], minSelected: Int, maxSelected: Int?)
    /// A number in a range.
    case number(minimum: Double, maximum: Double, integer: Bool, unit: String?)
    /// A date, with optional bounds.
    case date(calendar: CalendarKind, earliest: SourceExpression?, latest: SourceExpression?)
    /// Short text.
    case text(maxLength: Int, inputKind: TextInputKind)
    /// The card's data, with a possible changed address.
    case confirmIdentity(fields: [IdentityField], allowAddressChange: Bool)
    /// A repeated group of nested questions.
    case repeatGroup(questions: [Question], itemLabel: String?, addText: String?, minItems: Int, maxItems: Int)

    /// The `type` word in bundles.
    public var name: String {
        switch self {
        case .boolean: "boolean"
        case .singleChoice: "singleChoice"
        case .multipleChoice: "multipleChoice"
        case .number: "number"
        case .date: "date"
        case .text: "text"
        case .confirmIdentity: "confirmIdentity"
        case .repeatGroup: "repeat"
        }
    }

    /// The choices of a choice question; empty otherwise.
    public var choices: [Choice] {
        switch self {
        case .singleChoice(let choices), .multipleChoice(let choices, _, _): choices
        default: []
        }
    }

    /// The type its answer has in expressions.
    public var expressionType: ExpressionType {
        switch self {
        case .boolean: .boolean
        case .singleChoice, .text: .text
        case .multipleChoice: .textList
        case .number: .number
        case .date: .date
        case .confirmIdentity: .object
        case .repeatGroup(let questions, _, _, _, _):
            .itemList(fields: Dictionary(questions.map { ($0.id, $0.kind.expressionType) }, uniquingKeysWith: { first, _ in first }))
        }
    }
}

/// One question of a flow.
public struct Question: Sendable, Hashable, Identifiable {
    /// Unique in the flow (nested: unique in its group).
    public var id: String
    /// The type and its keys.
    public var kind: QuestionKind
    /// Who answers it.
    public var answeredBy: AnsweredBy
    /// The string key of the question text.
    public var text: String
    /// The string key of the help text.
    public var help: String?
    /// Asked only when this is true.
    public var when: SourceExpression?
    /// Whether the person may go on without answering.
    public var optional: Bool
    /// Extending bundles: the question this one follows.
    public var after: String?
    /// Where the question's mapping starts.
    public var location: FilePosition

    /// Creates a question.
    public init(
        id: String, kind: QuestionKind, answeredBy: AnsweredBy, text: String, help: String? = nil,
        when: SourceExpression? = nil, optional: Bool = false, after: String? = nil, location: FilePosition
    ) {
        self.id = id
        self.kind = kind
        self.answeredBy = answeredBy
        self.text = text
        self.help = help
        self.when = when
        self.optional = optional
        self.after = after
        self.location = location
    }

    /// The nested questions of a repeat; empty otherwise.
    public var nestedQuestions: [Question] {
        if case .repeatGroup(let questions, _, _, _, _) = kind { return questions }
        return []
    }
}

/// A named computed value.
public struct ComputedValue: Sendable, Hashable {
    /// `computed.<name>`.
    public var name: String
    /// Its expression.
    public var expression: SourceExpression
    /// Where its key stands.
    public var location: FilePosition

    /// Creates a computed value.
    public init(name: String, expression: SourceExpression, location: FilePosition) {
        self.name = name
        self.expression = expression
        self.location = location
    }
}

/// A procedure's deadline as written: the period, the date it counts from, the words.
public struct ProcedureDeadline: Sendable, Hashable {
    /// The period and counting rule.
    public var deadline: Deadline
    /// The date it counts from.
    public var from: SourceExpression
    /// The string key of the words (「亡くなった日から14日以内」).
    public var text: String

    /// Creates a deadline.
    public init(deadline: Deadline, from: SourceExpression, text: String) {
        self.deadline = deadline
        self.from = from
        self.text = text
    }
}

/// One procedure a flow decides on.
public struct Procedure: Sendable, Hashable, Identifiable {
    /// Unique in the flow.
    public var id: String
    /// String key of its name.
    public var title: String
    /// String key of the counter that handles it.
    public var counter: String
    /// When it applies.
    public var applies: SourceExpression
    /// String keys of what to bring.
    public var bring: [String]
    /// The filing deadline.
    public var deadline: ProcedureDeadline?
    /// Documents it prints.
    public var documents: [String]
    /// String key of a remark.
    public var note: String?
    /// Extending bundles: the procedure this one follows.
    public var after: String?
    /// Where the procedure's mapping starts.
    public var location: FilePosition

    /// Creates a procedure.
    public init(
        id: String, title: String, counter: String, applies: SourceExpression, bring: [String] = [],
        deadline: ProcedureDeadline? = nil, documents: [String] = [], note: String? = nil, after: String? = nil,
        location: FilePosition
    ) {
        self.id = id
        self.title = title
        self.counter = counter
        self.applies = applies
        self.bring = bring
        self.deadline = deadline
        self.documents = documents
        self.note = note
        self.after = after
        self.location = location
    }
}

/// Items an extending bundle drops from its base.
public struct Removals: Sendable, Hashable {
    /// Question ids.
    public var questions: [String] = []
    /// Computed names.
    public var computed: [String] = []
    /// Procedure ids.
    public var procedures: [String] = []

    /// No removals.
    public init(questions: [String] = [], computed: [String] = [], procedures: [String] = []) {
        self.questions = questions
        self.computed = computed
        self.procedures = procedures
    }
}

/// `flow.yaml` as written (before an `extends` is resolved).
public struct FlowDefinition: Sendable, Hashable {
    /// The bundle id.
    public var id: String
    /// The bundle version.
    public var version: Int
    /// String key of the form's name.
    public var title: String?
    /// The bundle this one adapts.
    public var extends: String?
    /// Whether a card is read first.
    public var identity: IdentityRequirement?
    /// Questions in order.
    public var questions: [Question]
    /// Computed values in order.
    public var computed: [ComputedValue]
    /// Procedures in checklist order.
    public var procedures: [Procedure]
    /// The checklist document.
    public var checklist: String?
    /// Items dropped from the base.
    public var remove: Removals
    /// Where the file starts.
    public var location: FilePosition
    /// Ids of questions, computed values and procedures that are written but could not be
    /// read (their errors are reported; checks of what uses them stay quiet).
    public var brokenIds: Set<String> = []

    /// Creates a definition.
    public init(
        id: String, version: Int, title: String?, extends: String?, identity: IdentityRequirement?,
        questions: [Question], computed: [ComputedValue], procedures: [Procedure], checklist: String?,
        remove: Removals, location: FilePosition
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.extends = extends
        self.identity = identity
        self.questions = questions
        self.computed = computed
        self.procedures = procedures
        self.checklist = checklist
        self.remove = remove
        self.location = location
    }
}
