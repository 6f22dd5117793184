/// The functions of the expression language.
public enum ExpressionFunction: String, Sendable, Hashable, CaseIterable {
    /// `today()`: the session's date.
    case today
    /// `date('YYYY-MM-DD')`: a date literal.
    case date
    /// `age(birth)`, `age(birth, on)`: full years.
    case age
    /// `count(list)`, `count(list, condition)`.
    case count
    /// `any(list, condition)`.
    case any
    /// `all(list, condition)`.
    case all

    /// How many arguments the function takes.
    public var arity: ClosedRange<Int> {
        switch self {
        case .today: 0...0
        case .date: 1...1
        case .age, .count: 1...2
        case .any, .all: 2...2
        }
    }

    /// Whether the second argument is a condition evaluated once per item, with `item` bound.
    public var takesCondition: Bool {
        switch self {
        case .count, .any, .all: true
        case .today, .date, .age: false
        }
    }

    /// How the call is written, for messages: `age(birth, on)`.
    var signature: String {
        switch self {
        case .today: "today()"
        case .date: "date('2026-01-05')"
        case .age: "age(birth) / age(birth, on)"
        case .count: "count(list) / count(list, condition)"
        case .any: "any(list, condition)"
        case .all: "all(list, condition)"
        }
    }
}
