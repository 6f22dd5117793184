extension Expression {
    /// The expression's value in `environment`, with the three-valued logic of
    /// `docs/contracts/form-bundle.md` ("Missing values: null and unknown"). Pure: no side
    /// effects, never traps; operands of the wrong type (which the type checker rejects)
    /// give null.
    public func evaluate(in environment: some ExpressionEnvironment) -> ExpressionValue {
        ExpressionEvaluator(environment: environment).evaluate(self, item: environment.currentItem)
    }
}

/// Evaluates trees against one environment.
struct ExpressionEvaluator<Environment: ExpressionEnvironment> {
    let environment: Environment

    /// The value of `expression` with `item` bound to `item.*` (nil: none bound, so `item.*` is null).
    func evaluate(_ expression: Expression, item: ExpressionValue?) -> ExpressionValue {
        switch expression.node {
        case .number(let value): return .number(value)
        case .text(let value): return .text(value)
        case .boolean(let value): return .boolean(value)
        case .null: return .null
        case .reference(let reference): return resolve(reference, item: item)
        case .list(let elements): return .list(elements.map { evaluate($0, item: item) })
        case .call(let function, let arguments): return call(function, arguments, item: item)
        case .unary(.not, let operand):
            switch evaluate(operand, item: item).decision {
            case .yes: return .boolean(false)
            case .no: return .boolean(true)
            case .unknown: return .unknown
            }
        case .unary(.negate, let operand):
            switch evaluate(operand, item: item) {
            case .number(let value): return .number(-value)
            case .unknown: return .unknown
            default: return .null
            }
        case .binary(let op, let left, let right):
            return binary(op, left, right, item: item)
        }
    }

    // MARK: references

    private func resolve(_ reference: ExpressionReference, item: ExpressionValue?) -> ExpressionValue {
        if reference.root == .item { return Self.member(item ?? .null, reference.names[...]) }
        var count = reference.names.count
        while count > 0 {
            let path = ([reference.root.rawValue] + reference.names.prefix(count)).joined(separator: ".")
            if let value = environment.value(of: path) { return Self.member(value, reference.names.dropFirst(count)) }
            count -= 1
        }
        return .null
    }

    /// Follows `names` into objects; a missing member is null, a member of unknown is unknown.
    static func member(_ value: ExpressionValue, _ names: ArraySlice<String>) -> ExpressionValue {
        var value = value
        for name in names {
            switch value {
            case .object(let members): value = members[name] ?? .null
            case .unknown: return .unknown
            default: return .null
            }
        }
        return value
    }

    // MARK: operators

    private func binary(
        _ op: Expression.BinaryOperator, _ leftExpression: Expression, _ rightExpression: Expression,
        item: ExpressionValue?
    ) -> ExpressionValue {
        switch op {
        case .and:
            let left = evaluate(leftExpression, item: item).decision
            if left == .no { return .boolean(false) }
            let right = evaluate(rightExpression, item: item).decision
            if right == .no { return .boolean(false) }
            return left == .yes && right == .yes ? .boolean(true) : .unknown
        case .or:
            let left = evaluate(leftExpression, item: item).decision
            if left == .yes { return .boolean(true) }
            let right = evaluate(rightExpression, item: item).decision
            if right == .yes { return .boolean(true) }
            return left == .no && right == .no ? .boolean(false) : .unknown
        default:
            break
        }
        let left = evaluate(leftExpression, item: item)
        let right = evaluate(rightExpression, item: item)
        switch op {
        case .equal: return ExpressionValue(Self.equality(left, right))
        case .notEqual:
            return switch Self.equality(left, right) {
            case .yes: .boolean(false)
            case .no: .boolean(true)
            case .unknown: .unknown
            }
        case .in: return Self.membership(left, right)
        default: break
        }
        if left == .unknown || right == .unknown { return .unknown }
        switch (op, left, right) {
        case (.less, .number(let a), .number(let b)): return .boolean(a < b)
        case (.lessOrEqual, .number(let a), .number(let b)): return .boolean(a <= b)
        case (.greater, .number(let a), .number(let b)): return .boolean(a > b)
        case (.greaterOrEqual, .number(let a), .number(let b)): return .boolean(a >= b)
        case (.less, .date(let a), .date(let b)): return .boolean(a < b)
        case (.lessOrEqual, .date(let a), .date(let b)): return .boolean(a <= b)
        case (.greater, .date(let a), .date(let b)): return .boolean(a > b)
        case (.greaterOrEqual, .date(let a), .date(let b)): return .boolean(a >= b)
        case (.plus, .number(let a), .number(let b)): return .number(a + b)
        case (.minus, .number(let a), .number(let b)): return .number(a - b)
        case (.plus, .date(let date), .number(let days)): return Self.move(date, by: days)
        case (.minus, .date(let date), .number(let days)): return Self.move(date, by: -days)
        case (.minus, .date(let a), .date(let b)): return .number(Double(a.days(since: b)))
        default: return .null
        }
    }

    /// `==` with null as a value; unknown anywhere makes the answer unknown.
    static func equality(_ left: ExpressionValue, _ right: ExpressionValue) -> ExpressionValue.Decision {
        switch (left, right) {
        case (.unknown, _), (_, .unknown): return .unknown
        case (.list(let a), .list(let b)):
            guard a.count == b.count else { return .no }
            var result = ExpressionValue.Decision.yes
            for (x, y) in zip(a, b) {
                switch equality(x, y) {
                case .no: return .no
                case .unknown: result = .unknown
                case .yes: break
                }
            }
            return result
        case (.number(let a), .number(let b)): return a == b ? .yes : .no
        default: return left == right ? .yes : .no
        }
    }

    /// `x in list`: true when some element equals `x`, unknown when none does but some is unknown.
    static func membership(_ value: ExpressionValue, _ list: ExpressionValue) -> ExpressionValue {
        if value == .unknown || list == .unknown { return .unknown }
        guard value != .null, case .list(let elements) = list else { return .null }
        var sawUnknown = false
        for element in elements {
            switch equality(value, element) {
            case .yes: return .boolean(true)
            case .unknown: sawUnknown = true
            case .no: break
            }
        }
        return sawUnknown ? .unknown : .boolean(false)
    }

    /// The date moved by whole days (a fraction is dropped); null outside years 1…9999.
    static func move(_ date: CalendarDate, by days: Double) -> ExpressionValue {
        guard days.isFinite, abs(days) <= 4_000_000 else { return .null }
        return date.adding(days: Int(days.rounded(.towardZero))).map(ExpressionValue.date) ?? .null
    }

    // MARK: functions

    private func call(_ function: ExpressionFunction, _ arguments: [Expression], item: ExpressionValue?) -> ExpressionValue {
        let values = function.takesCondition
            ? arguments.prefix(1).map { evaluate($0, item: item) }
            : arguments.map { evaluate($0, item: item) }
        if values.contains(.unknown) { return .unknown }
        switch function {
        case .today:
            return .date(environment.today)
        case .date:
            guard case .text(let text)? = values.first, let date = CalendarDate(iso: text) else { return .null }
            return .date(date)
        case .age:
            let on = values.count > 1 ? values[1] : .date(environment.today)
            guard case .date(let birth)? = values.first, case .date(let day) = on else { return .null }
            return .number(Double(day.fullYears(since: birth)))
        case .count, .any, .all:
            let items: [ExpressionValue]
            switch values.first {
            case .list(let elements)?: items = elements
            case .null?: items = []
            default: return .null
            }
            guard arguments.count > 1 else { return function == .count ? .number(Double(items.count)) : .null }
            let condition = arguments[1]
            var yes = 0
            var no = 0
            var unknown = 0
            for element in items {
                switch evaluate(condition, item: element).decision {
                case .yes: yes += 1
                case .no: no += 1
                case .unknown: unknown += 1
                }
            }
            switch function {
            case .count: return unknown > 0 ? .unknown : .number(Double(yes))
            case .any: return yes > 0 ? .boolean(true) : unknown > 0 ? .unknown : .boolean(false)
            default: return no > 0 ? .boolean(false) : unknown > 0 ? .unknown : .boolean(true)
            }
        }
    }
}
