public import MadoguchiCore

/// An answer to one question, as the runner, answer files and submissions hold it
/// (`docs/contracts/answers-and-outcome.md`, the value table).
public indirect enum AnswerValue: Sendable, Hashable {
    /// `boolean`.
    case boolean(Bool)
    /// `singleChoice`: the chosen value.
    case choice(String)
    /// `multipleChoice`: the chosen values, in choice order.
    case choices([String])
    /// `number`.
    case number(Double)
    /// `date`.
    case date(CalendarDate)
    /// `text`.
    case text(String)
    /// `confirmIdentity`: whether the address changed, and the new one if given.
    case identity(addressChanged: Bool, newAddress: String?)
    /// `repeat`: one answer set per item, keyed by nested question id.
    case items([[String: AnswerValue]])

    /// The value expressions see.
    public var expressionValue: ExpressionValue {
        switch self {
        case .boolean(let value): .boolean(value)
        case .choice(let value), .text(let value): .text(value)
        case .choices(let values): .list(values.map { .text($0) })
        case .number(let value): .number(value)
        case .date(let value): .date(value)
        case .identity(let changed, let address):
            .object(["addressChanged": .boolean(changed), "newAddress": address.map { .text($0) } ?? .null])
        case .items(let items):
            .list(items.map { item in .object(item.mapValues(\.expressionValue)) })
        }
    }
}

/// Why an answer was refused. The message names the question and what fits; it never
/// repeats the answer (it may be personal).
public struct AnswerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem.
    public enum Kind: String, Sendable, Hashable {
        case wrongType, notAChoice, exclusiveWithOthers, tooFewSelected, tooManySelected, outOfRange, notWhole
        case tooEarly, tooLate, empty, tooLong, wrongCharacters, addressChangeNotAllowed, tooFewItems, tooManyItems
        case missingNestedAnswer, unknownNestedQuestion, notOptional, finished, staffOnly
    }

    /// The kind.
    public var kind: Kind
    /// The question (for nested ones, `group[item].id`).
    public var question: String
    /// What is wrong and what to do.
    public var message: BilingualText

    /// Creates an error.
    public init(_ kind: Kind, question: String, ja: String, en: String) {
        self.kind = kind
        self.question = question
        self.message = BilingualText(ja: ja, en: en)
    }

    /// `question: ja / en`.
    public var description: String { "\(question): \(message)" }
}
