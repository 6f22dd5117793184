/// A value while evaluating an expression, including the two kinds of missing value of
/// `docs/contracts/form-bundle.md`, "Missing values: null and unknown".
public indirect enum ExpressionValue: Sendable, Hashable, CustomStringConvertible {
    /// Not answered: the question was not asked (its `when` was false), an optional
    /// question left empty, or no card read when `identity` is optional.
    case null
    /// Not known here: a staff question in resident mode, or skipped because its `when`
    /// was unknown.
    case unknown
    /// `true` / `false`.
    case boolean(Bool)
    /// A number.
    case number(Double)
    /// Text (a text answer or a choice value).
    case text(String)
    /// A date.
    case date(CalendarDate)
    /// A list: a multipleChoice answer (text), a repeat answer (objects) or a list literal.
    case list([ExpressionValue])
    /// An object: a confirmIdentity answer or one item of a repeat answer.
    case object([String: ExpressionValue])

    /// What a decision (`when`, `applies`, the operands of `and`, `or`, `not`) makes of a value.
    public enum Decision: Sendable, Hashable, CaseIterable {
        /// The value is `true`.
        case yes
        /// The value is `false` or `null` (or anything that is not a boolean).
        case no
        /// The value is unknown.
        case unknown
    }

    /// `true` → `.yes`; unknown → `.unknown`; false, null and everything else → `.no`.
    public var decision: Decision {
        switch self {
        case .boolean(true): .yes
        case .unknown: .unknown
        default: .no
        }
    }

    /// The boolean for a decision: `.yes` → true, `.no` → false, `.unknown` → unknown.
    init(_ decision: Decision) {
        switch decision {
        case .yes: self = .boolean(true)
        case .no: self = .boolean(false)
        case .unknown: self = .unknown
        }
    }

    /// A readable form for tests and diagnostics (`null`, `unknown`, `12`, `'text'`,
    /// `2026-01-05`, `[…]`, `{key: …}`), keys sorted.
    public var description: String {
        switch self {
        case .null: "null"
        case .unknown: "unknown"
        case .boolean(let value): value ? "true" : "false"
        case .number(let value): ExpressionPrinter.number(value)
        case .text(let value): ExpressionPrinter.text(value)
        case .date(let value): value.description
        case .list(let values): "[\(values.map(\.description).joined(separator: ", "))]"
        case .object(let members):
            "{\(members.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))}"
        }
    }
}
