/// What the type checker knows about the names an expression may use: each reference
/// path (`answers.insurance`, `answers.applicant.addressChanged`, `identity.birthDate`,
/// `computed.deceasedAge`) with its type and, for choice answers, the allowed values;
/// and, inside a `repeat` question's nested `when`, the fields of the current item.
public struct ExpressionSymbols: Sendable, Hashable {
    /// One reference's type and choices.
    public struct Symbol: Sendable, Hashable {
        /// The value's type.
        public var type: ExpressionType
        /// For a `singleChoice` (`text`) or `multipleChoice` (`list(.text)`) answer, its
        /// choice values in order; empty for anything else.
        public var choices: [String]
        /// For a `repeat` answer, the choice values of its nested choice questions by id.
        public var itemChoices: [String: [String]]

        /// Creates a symbol.
        public init(_ type: ExpressionType, choices: [String] = [], itemChoices: [String: [String]] = [:]) {
            self.type = type
            self.choices = choices
            self.itemChoices = itemChoices
        }
    }

    /// Every reference by its full dotted path (`answers.x`, `answers.x.addressChanged`).
    public var references: [String: Symbol]
    /// The current item's fields by nested question id, when the expression is a nested
    /// `when` of a `repeat`; nil elsewhere (then `item.*` is only allowed in the
    /// conditions of `count`, `any` and `all`).
    public var boundItem: [String: Symbol]?

    /// Creates a table.
    public init(references: [String: Symbol] = [:], boundItem: [String: Symbol]? = nil) {
        self.references = references
        self.boundItem = boundItem
    }

    /// Adds (or replaces) one reference.
    public mutating func define(
        _ path: String, as type: ExpressionType, choices: [String] = [], itemChoices: [String: [String]] = [:]
    ) {
        references[path] = Symbol(type, choices: choices, itemChoices: itemChoices)
    }

    /// Adds the `identity.*` fields of `docs/contracts/form-bundle.md` (name, address,
    /// birth, birthWareki, birthDate, sex.code).
    public mutating func defineIdentity() {
        for field in ["name", "address", "birth", "birthWareki"] { define("identity." + field, as: .text) }
        define("identity.birthDate", as: .date)
        define("identity.sex", as: .object)
        define("identity.sex.code", as: .text, choices: ["1", "2", "9"])
    }
}
