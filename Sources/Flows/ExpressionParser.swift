/// Recursive-descent parser for the expression grammar of `docs/contracts/form-bundle.md`.
///
/// Each rule of the EBNF is one method. Nesting (brackets, calls, `not`) is limited to
/// `maxNesting` levels and trees to `maxHeight` levels, so no input can exhaust the stack
/// here or in the checker, evaluator and printer that walk the tree.
struct ExpressionParser {
    /// Deepest nesting of brackets, calls and `not`.
    static let maxNesting = 64
    /// Tallest tree (long chains such as `a or b or c …` count one level per operator).
    static let maxHeight = 256

    private let tokens: [ExpressionToken]
    private var index = 0
    private var nesting = 0

    init(_ text: String) throws(ExpressionError) {
        tokens = try ExpressionLexer.tokens(of: text)
    }

    private var current: ExpressionToken { tokens[min(index, tokens.count - 1)] }
    private var previous: ExpressionToken? { index > 0 && index <= tokens.count ? tokens[index - 1] : nil }
    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    /// `expression` followed by the end of the text.
    mutating func parseWhole() throws(ExpressionError) -> Expression {
        if current.kind == .end {
            throw ExpressionError(
                .syntax, at: 1, ja: "式が空です。answers.deceasedWasHead のような式を書いてください。",
                en: "the expression is empty; write one such as answers.deceasedWasHead.")
        }
        let expression = try parseExpression()
        guard current.kind == .end else {
            let token = current
            if token.isSymbol(")") {
                throw ExpressionError(
                    .syntax, at: token.offset, ja: "「)」に対応する「(」がありません。括弧の数を合わせてください。",
                    en: "this ')' has no matching '('; balance the brackets.")
            }
            if token.isSymbol("]") {
                throw ExpressionError(
                    .syntax, at: token.offset, ja: "「]」に対応する「[」がありません。括弧の数を合わせてください。",
                    en: "this ']' has no matching '['; balance the brackets.")
            }
            throw ExpressionError(
                .syntax, at: token.offset,
                ja: "式は「\(previous?.spelling ?? "")」で終わるはずですが、「\(token.spelling)」が続いています。and、or や演算子でつなぐか、余分な部分を消してください。",
                en: "unexpected \(Self.quoted(token.spelling)) after \(Self.quoted(previous?.spelling ?? "")); join the parts with and, or or an operator, or remove it.")
        }
        return expression
    }

    // MARK: rules

    private mutating func parseExpression() throws(ExpressionError) -> Expression {
        try enter()
        defer { nesting -= 1 }
        return try parseOr()
    }

    private mutating func enter() throws(ExpressionError) {
        nesting += 1
        guard nesting <= Self.maxNesting else {
            throw ExpressionError(
                .tooDeep, at: current.offset,
                ja: "式の入れ子が深すぎます(\(Self.maxNesting) 段まで)。computed に分けて書いてください。",
                en: "the expression nests too deeply (at most \(Self.maxNesting) levels); split it into computed values.")
        }
    }

    private func node(_ node: Expression.Node, at offset: Int) throws(ExpressionError) -> Expression {
        let expression = Expression(node, offset: offset)
        guard expression.height <= Self.maxHeight else {
            throw ExpressionError(
                .tooDeep, at: offset,
                ja: "式が長すぎます(\(Self.maxHeight) 段まで)。computed に分けて書いてください。",
                en: "the expression is too long (at most \(Self.maxHeight) levels); split it into computed values.")
        }
        return expression
    }

    private mutating func parseOr() throws(ExpressionError) -> Expression {
        var left = try parseAnd()
        while current.isWord("or") {
            let offset = current.offset
            advance()
            let right = try parseAnd()
            left = try node(.binary(.or, left, right), at: offset)
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionError) -> Expression {
        var left = try parseNot()
        while current.isWord("and") {
            let offset = current.offset
            advance()
            let right = try parseNot()
            left = try node(.binary(.and, left, right), at: offset)
        }
        return left
    }

    private mutating func parseNot() throws(ExpressionError) -> Expression {
        guard current.isWord("not") else { return try parseComparison() }
        let offset = current.offset
        advance()
        try enter()
        defer { nesting -= 1 }
        let operand = try parseNot()
        return try node(.unary(.not, operand), at: offset)
    }

    private static func comparison(_ token: ExpressionToken) -> Expression.BinaryOperator? {
        switch token.kind {
        case .symbol(let symbol):
            guard let op = Expression.BinaryOperator(rawValue: symbol), op.isComparison else { return nil }
            return op
        case .word("in"): return .in
        default: return nil
        }
    }

    private mutating func parseComparison() throws(ExpressionError) -> Expression {
        let left = try parseSum()
        guard let op = Self.comparison(current) else { return left }
        let offset = current.offset
        advance()
        let right = try parseSum()
        if Self.comparison(current) != nil {
            let second = current
            throw ExpressionError(
                .syntax, at: second.offset,
                ja: "比較「\(op.rawValue)」の後に「\(second.spelling)」が続いています。比較はつなげられません。a < b and b < c のように and で分けてください。",
                en: "comparisons cannot be chained ('\(op.rawValue)' followed by \(Self.quoted(second.spelling))); write a < b and b < c.")
        }
        return try node(.binary(op, left, right), at: offset)
    }

    private mutating func parseSum() throws(ExpressionError) -> Expression {
        var left = try parseUnary()
        while current.isSymbol("+") || current.isSymbol("-") {
            let op: Expression.BinaryOperator = current.isSymbol("+") ? .plus : .minus
            let offset = current.offset
            advance()
            let right = try parseUnary()
            left = try node(.binary(op, left, right), at: offset)
        }
        return left
    }

    private mutating func parseUnary() throws(ExpressionError) -> Expression {
        guard current.isSymbol("-") else { return try parsePrimary() }
        let offset = current.offset
        advance()
        if current.isSymbol("-") {
            throw ExpressionError(
                .syntax, at: current.offset, ja: "「-」が二つ続いています。-(-x) のように括弧で囲んでください。",
                en: "two '-' in a row; write -(-x) with brackets.")
        }
        let operand = try parsePrimary()
        return try node(.unary(.negate, operand), at: offset)
    }

    private mutating func parsePrimary() throws(ExpressionError) -> Expression {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return Expression(.number(value), offset: token.offset)
        case .text(let value):
            advance()
            return Expression(.text(value), offset: token.offset)
        case .word(let word):
            switch word {
            case "true", "false":
                advance()
                return Expression(.boolean(word == "true"), offset: token.offset)
            case "null":
                advance()
                return Expression(.null, offset: token.offset)
            case "and", "or", "not", "in":
                throw missingValue(before: token)
            default:
                if let root = ExpressionReference.Root(rawValue: word) { return try parseReference(root) }
                advance()
                if current.isSymbol("(") { return try parseCall(token) }
                throw bareName(token)
            }
        case .symbol("["):
            return try parseList()
        case .symbol("("):
            advance()
            let inner = try parseExpression()
            guard current.isSymbol(")") else { throw notClosed(")", opening: token) }
            advance()
            return inner
        case .symbol, .end:
            throw missingValue(before: token)
        }
    }

    private mutating func parseReference(_ root: ExpressionReference.Root) throws(ExpressionError) -> Expression {
        let start = current
        advance()
        var names: [String] = []
        repeat {
            guard current.isSymbol(".") else {
                let after = previous?.spelling ?? root.rawValue
                throw ExpressionError(
                    .syntax, at: current.offset,
                    ja: "「\(after)」の後に「.」と名前が必要です。\(root.rawValue).insurance のように書いてください。",
                    en: "\(Self.quoted(after)) must be followed by '.' and a name, like \(root.rawValue).insurance.")
            }
            advance()
            guard case .word(let name) = current.kind, !Self.reserved.contains(name) else {
                let found = current.kind == .end ? "" : "(「\(current.spelling)」があります)"
                throw ExpressionError(
                    .syntax, at: current.offset,
                    ja: "「.」の後に名前が必要です\(found)。名前は英字で始まる英数字です。",
                    en: "a name must follow '.'\(current.kind == .end ? "" : ", not \(Self.quoted(current.spelling))"); names are ASCII letters and digits, starting with a letter.")
            }
            names.append(name)
            advance()
        } while current.isSymbol(".")
        return Expression(.reference(ExpressionReference(root, names)), offset: start.offset)
    }

    private static let reserved: Set<String> = ["and", "or", "not", "in", "true", "false", "null"]

    private mutating func parseCall(_ name: ExpressionToken) throws(ExpressionError) -> Expression {
        let opening = current
        advance()
        try enter()
        defer { nesting -= 1 }
        var arguments: [Expression] = []
        if !current.isSymbol(")") {
            while true {
                arguments.append(try parseExpression())
                guard current.isSymbol(",") else { break }
                advance()
            }
            guard current.isSymbol(")") else { throw notClosed(")", opening: opening) }
        }
        advance()
        guard let function = ExpressionFunction(rawValue: name.spelling) else {
            let names = ExpressionFunction.allCases.map(\.rawValue)
            let hint = NearMiss.suggestion(for: name.spelling, among: names)
            throw ExpressionError(
                .unknownFunction, at: name.offset,
                ja: "関数「\(name.spelling)」はありません。" + (hint.map { "「\($0)」ではありませんか?" } ?? "使える関数は \(names.joined(separator: "、")) です。"),
                en: "there is no function \(name.spelling)" + (hint.map { "; did you mean \"\($0)\"?" } ?? "; the functions are \(names.joined(separator: ", ")).")
            )
        }
        guard function.arity.contains(arguments.count) else {
            let expected = function.arity.lowerBound == function.arity.upperBound
                ? "\(function.arity.lowerBound)" : "\(function.arity.lowerBound)〜\(function.arity.upperBound)"
            let expectedEn = function.arity.lowerBound == function.arity.upperBound
                ? "\(function.arity.lowerBound)" : "\(function.arity.lowerBound) or \(function.arity.upperBound)"
            throw ExpressionError(
                .argumentCount, at: name.offset,
                ja: "\(function.rawValue) の引数は \(expected) 個ですが、\(arguments.count) 個あります。\(function.signature) のように書いてください。",
                en: "\(function.rawValue) takes \(expectedEn) argument(s), not \(arguments.count); write \(function.signature).")
        }
        return try node(.call(function, arguments), at: name.offset)
    }

    private mutating func parseList() throws(ExpressionError) -> Expression {
        let opening = current
        advance()
        try enter()
        defer { nesting -= 1 }
        var elements: [Expression] = []
        if !current.isSymbol("]") {
            while true {
                elements.append(try parseExpression())
                guard current.isSymbol(",") else { break }
                advance()
            }
            guard current.isSymbol("]") else { throw notClosed("]", opening: opening) }
        }
        advance()
        return try node(.list(elements), at: opening.offset)
    }

    // MARK: messages

    /// A token as English messages quote it: text literals already carry their quotes.
    private static func quoted(_ spelling: String) -> String {
        spelling.hasPrefix("'") ? spelling : "'\(spelling)'"
    }

    private func notClosed(_ closing: String, opening: ExpressionToken) -> ExpressionError {
        let after = previous?.spelling ?? opening.spelling
        let found = current.kind == .end ? "" : "(「\(current.spelling)」があります)"
        let foundEn = current.kind == .end ? "" : " (found \(Self.quoted(current.spelling)))"
        if closing == "]" {
            return ExpressionError(
                .syntax, at: current.offset,
                ja: "「\(after)」の後に「]」がありません\(found)。リストは ['kokuho', 'kouki'] のように書いてください。",
                en: "the list is not closed after \(after)\(foundEn); write it like ['kokuho', 'kouki'].")
        }
        return ExpressionError(
            .syntax, at: current.offset,
            ja: "「\(after)」の後に「)」がありません\(found)。「\(opening.spelling)」(\(opening.offset) 文字目)を閉じてください。",
            en: "')' is missing after \(Self.quoted(after))\(foundEn); close the '\(opening.spelling)' at column \(opening.offset).")
    }

    private func missingValue(before token: ExpressionToken) -> ExpressionError {
        if let previous {
            let found = token.kind == .end ? "式が終わっています" : "「\(token.spelling)」があります"
            let foundEn = token.kind == .end ? "the expression ends" : "found \(Self.quoted(token.spelling))"
            return ExpressionError(
                .syntax, at: token.offset,
                ja: "「\(previous.spelling)」の後に値が必要ですが、\(found)。値や answers.… を書いてください。",
                en: "a value is missing after \(Self.quoted(previous.spelling)) (\(foundEn)); write a value or a reference.")
        }
        return ExpressionError(
            .syntax, at: token.offset,
            ja: "「\(token.spelling)」の前に値が必要です。値や answers.… から書き始めてください。",
            en: "a value is missing before \(Self.quoted(token.spelling)); start with a value or a reference.")
    }

    private func bareName(_ token: ExpressionToken) -> ExpressionError {
        if let function = ExpressionFunction(rawValue: token.spelling) {
            return ExpressionError(
                .syntax, at: token.offset, ja: "関数「\(function.rawValue)」の後に「(」がありません。\(function.signature) のように書いてください。",
                en: "the function \(function.rawValue) needs brackets; write \(function.signature).")
        }
        let roots = ExpressionReference.Root.allCases.map(\.rawValue)
        if let root = NearMiss.suggestion(for: token.spelling, among: roots) {
            return ExpressionError(
                .syntax, at: token.offset, ja: "「\(token.spelling)」は使えません。「\(root)」ではありませんか?",
                en: "\(Self.quoted(token.spelling)) is not a reference or function; did you mean \"\(root)\"?")
        }
        return ExpressionError(
            .syntax, at: token.offset,
            ja: "「\(token.spelling)」は使えません。answers.\(token.spelling) のように answers.、identity.、computed.、item. のどれかを前に付けるか、\(Self.quoted(token.spelling)) と文字列にしてください。",
            en: "\(Self.quoted(token.spelling)) alone means nothing; write answers.\(token.spelling) (or identity., computed., item.) or the text \(Self.quoted(token.spelling)).")
    }
}
