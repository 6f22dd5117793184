public import MadoguchiCore

/// One thing wrong with an expression, located inside the expression's text.
///
/// `offset` counts Unicode scalars from 1 at the first character of the expression string;
/// a caller that knows where the YAML string starts turns it into `path:line:col`. An
/// offset one past the last character means "at the end" (something is missing there).
public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake it is (tests and tools match on this, people read `message`).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The text does not follow the grammar.
        case syntax
        /// The expression nests or chains deeper than the engine allows.
        case tooDeep
        /// A function name that does not exist.
        case unknownFunction
        /// A known function with too few or too many arguments.
        case argumentCount
        /// A reference to a question, computed value, identity field or item field that does not exist.
        case unknownReference
        /// `item.*` where no item is bound.
        case itemOutsideCondition
        /// An operand or argument of the wrong type.
        case type
        /// A text literal that is not one of a choice question's values.
        case choice
        /// A `date('…')` that is not a real `YYYY-MM-DD` date.
        case invalidDate
    }

    /// What kind of mistake it is.
    public var kind: Kind
    /// Where: the column of the offending token inside the expression, from 1, in Unicode scalars.
    public var offset: Int
    /// What is wrong and what to do, Japanese first.
    public var message: BilingualText

    /// Creates an error.
    public init(_ kind: Kind, at offset: Int, _ message: BilingualText) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    /// Creates an error from its two sentences.
    init(_ kind: Kind, at offset: Int, ja: String, en: String) {
        self.init(kind, at: offset, BilingualText(ja: ja, en: en))
    }

    /// The column in the file, given the column where the expression's first character stands
    /// (on the same line).
    public func column(startingAt column: Int) -> Int { column + offset - 1 }

    /// `offset: ja / en`.
    public var description: String { "\(offset): \(message)" }
}

/// Every error found in one expression, in the order of their offsets.
public struct ExpressionErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The errors; never empty.
    public var errors: [ExpressionError]

    /// Wraps errors.
    public init(_ errors: [ExpressionError]) { self.errors = errors }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
