/// The canonical spelling of an expression: single spaces around binary operators, `, `
/// between arguments and list elements, brackets only where precedence needs them, numbers
/// in plain decimal. Parsing the printed text gives an equal expression.
extension Expression {
    /// The canonical text of the expression (see `ExpressionPrinter`).
    public var description: String { ExpressionPrinter.render(self) }
}

/// Prints expressions back to text.
public enum ExpressionPrinter {
    /// Binding strength, loosest first, as in the grammar.
    private enum Level: Int, Comparable {
        case or = 1, and, not, comparison, sum, unary, primary
        static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    private static func level(of expression: Expression) -> Level {
        switch expression.node {
        case .number, .text, .boolean, .null, .reference, .call, .list: .primary
        case .unary(.not, _): .not
        case .unary(.negate, _): .unary
        case .binary(let op, _, _):
            switch op {
            case .or: .or
            case .and: .and
            case .plus, .minus: .sum
            default: .comparison
            }
        }
    }

    static func render(_ expression: Expression) -> String {
        switch expression.node {
        case .number(let value): number(value)
        case .text(let value): text(value)
        case .boolean(let value): value ? "true" : "false"
        case .null: "null"
        case .reference(let reference): reference.description
        case .call(let function, let arguments):
            "\(function.rawValue)(\(arguments.map(render).joined(separator: ", ")))"
        case .list(let elements): "[\(elements.map(render).joined(separator: ", "))]"
        case .unary(.not, let operand): "not " + render(operand, atLeast: .not)
        case .unary(.negate, let operand):
            // `-` takes a primary; a negative number literal also needs brackets.
            if case .number(let value) = operand.node, value < 0 || (value == 0 && value.sign == .minus) {
                "-(\(render(operand)))"
            } else {
                "-" + render(operand, atLeast: .primary)
            }
        case .binary(let op, let left, let right):
            switch op {
            case .or: render(left, atLeast: .or) + " or " + render(right, atLeast: .and)
            case .and: render(left, atLeast: .and) + " and " + render(right, atLeast: .not)
            case .plus, .minus: render(left, atLeast: .sum) + " \(op.rawValue) " + render(right, atLeast: .unary)
            default: render(left, atLeast: .sum) + " \(op.rawValue) " + render(right, atLeast: .sum)
            }
        }
    }

    private static func render(_ expression: Expression, atLeast minimum: Level) -> String {
        var printed = render(expression)
        // A negative number literal (never produced by the parser) prints as `-n`, a unary.
        if case .number(let value) = expression.node, value.sign == .minus, minimum > .unary {
            printed = "(\(printed))"
        } else if level(of: expression) < minimum {
            printed = "(\(printed))"
        }
        return printed
    }

    /// Text in single quotes, with `\'` and `\\`.
    static func text(_ value: String) -> String {
        var result = "'"
        for scalar in value.unicodeScalars {
            if scalar == "'" || scalar == "\\" { result += "\\" }
            result.unicodeScalars.append(scalar)
        }
        return result + "'"
    }

    /// A number in plain decimal (`12`, `0.5`, `100000000000000000000`), never with an
    /// exponent, so the grammar reads it back to the same `Double`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "null" : (value < 0 ? "-1" : "1") }
        let negative = value.sign == .minus && value != 0
        let shortest = String(describing: value.magnitude)  // "12.0", "1e-07", "1.5e+20"
        let parts = shortest.split(separator: "e", maxSplits: 1)
        let mantissa = parts.first.map(String.init) ?? "0"
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mantissaParts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerDigits = mantissaParts.first.map(String.init) ?? "0"
        let fractionDigits = mantissaParts.count > 1 ? String(mantissaParts[1]) : ""
        var digits = Array(integerDigits + fractionDigits)
        var point = integerDigits.count + exponent
        if point <= 0 {
            digits.insert(contentsOf: Array(repeating: "0", count: 1 - point), at: 0)
            point = 1
        } else if point > digits.count {
            digits.append(contentsOf: Array(repeating: "0", count: point - digits.count))
        }
        var integer = String(digits[0..<point])
        var fraction = String(digits[point...])
        while fraction.hasSuffix("0") { fraction.removeLast() }
        while integer.count > 1 && integer.hasPrefix("0") { integer.removeFirst() }
        return (negative ? "-" : "") + integer + (fraction.isEmpty ? "" : "." + fraction)
    }
}
