/// A parsed expression from a form bundle (`when`, `computed`, `applies`, `earliest`,
/// `latest`, `deadline.from`): the syntax tree of `docs/contracts/form-bundle.md`,
/// "Expressions".
///
/// Every node carries `offset`, the column inside the expression's text where it was
/// written (the operator of a binary or unary node, the name of a call, the `[` of a list).
/// Two expressions are equal when they have the same structure; offsets do not count,
/// so `a  or b` equals `a or b` and a printed expression re-parses to an equal one.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of node.
    public indirect enum Node: Sendable, Hashable {
        /// A number literal (`12`, `0.5`); never negative (`-1` is `negate` of `1`).
        case number(Double)
        /// A text literal (`'kokuho'`), escapes resolved.
        case text(String)
        /// `true` or `false`.
        case boolean(Bool)
        /// `null`.
        case null
        /// `answers.x`, `identity.birthDate`, `computed.y`, `item.z`.
        case reference(ExpressionReference)
        /// A function call with its arguments (arity already checked).
        case call(ExpressionFunction, [Expression])
        /// A list literal `[a, b]`.
        case list([Expression])
        /// `not x` or `-x`.
        case unary(UnaryOperator, Expression)
        /// `a op b`.
        case binary(BinaryOperator, Expression, Expression)
    }

    /// The operators that take one operand.
    public enum UnaryOperator: String, Sendable, Hashable, CaseIterable {
        /// `not`: boolean negation (three-valued).
        case not
        /// `-`: arithmetic negation.
        case negate = "-"
    }

    /// The operators that take two operands, with their spelling.
    public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
        /// `or`
        case or
        /// `and`
        case and
        /// `==`
        case equal = "=="
        /// `!=`
        case notEqual = "!="
        /// `<`
        case less = "<"
        /// `<=`
        case lessOrEqual = "<="
        /// `>`
        case greater = ">"
        /// `>=`
        case greaterOrEqual = ">="
        /// `in`: membership in a list.
        case `in`
        /// `+`
        case plus = "+"
        /// `-`
        case minus = "-"

        /// Whether this is one of the (non-chainable) comparison operators.
        public var isComparison: Bool {
            switch self {
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in: true
            default: false
            }
        }
    }

    /// What the node is.
    public let node: Node
    /// Where it was written: column inside the expression text, from 1, in Unicode scalars.
    public let offset: Int
    /// Levels of nodes from here to the deepest leaf (1 for a leaf).
    public let height: Int

    /// Creates a node written at `offset`.
    public init(_ node: Node, offset: Int) {
        self.node = node
        self.offset = offset
        let childHeight =
            switch node {
            case .number, .text, .boolean, .null, .reference: 0
            case .call(_, let arguments), .list(let arguments): arguments.map(\.height).max() ?? 0
            case .unary(_, let operand): operand.height
            case .binary(_, let left, let right): max(left.height, right.height)
            }
        height = childHeight + 1
    }

    /// Parses an expression (grammar in `docs/contracts/form-bundle.md`), throwing the first
    /// syntax error with its offset. Never traps, whatever the text.
    public static func parse(_ text: String) throws(ExpressionError) -> Expression {
        var parser = try ExpressionParser(text)
        return try parser.parseWhole()
    }

    /// Equal structure; offsets are ignored.
    public static func == (lhs: Expression, rhs: Expression) -> Bool { lhs.node == rhs.node }

    /// Hashes the structure; offsets are ignored.
    public func hash(into hasher: inout Hasher) { hasher.combine(node) }

    /// Every reference in the expression, in the order written (repeats included), with
    /// the offset of each.
    public var references: [(reference: ExpressionReference, offset: Int)] {
        var found: [(reference: ExpressionReference, offset: Int)] = []
        func walk(_ expression: Expression) {
            switch expression.node {
            case .number, .text, .boolean, .null: break
            case .reference(let reference): found.append((reference, expression.offset))
            case .call(_, let arguments), .list(let arguments): arguments.forEach(walk)
            case .unary(_, let operand): walk(operand)
            case .binary(_, let left, let right):
                walk(left)
                walk(right)
            }
        }
        walk(self)
        return found
    }
}
