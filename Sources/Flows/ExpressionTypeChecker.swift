extension Expression {
    /// Checks the expression against the names and types in `symbols` (the rules of
    /// `docs/contracts/form-bundle.md`, "Expressions"): operand types, same-type `==`,
    /// lists for `in`, date arithmetic, choice values, `item.*` placement, references
    /// (with a near-miss suggestion) and `date('…')` literals. Returns the expression's
    /// type, or every error found, in the order of their offsets.
    ///
    /// - Parameter expected: when given, the type the place needs (`.boolean` for `when`
    ///   and `applies`, `.date` for `earliest`, `latest` and `deadline.from`).
    public func typeCheck(
        in symbols: ExpressionSymbols, expecting expected: ExpressionType? = nil
    ) -> Result<ExpressionType, ExpressionErrors> {
        var checker = ExpressionTypeChecker(symbols: symbols)
        let bound = symbols.boundItem.map { ExpressionTypeChecker.Item(fields: $0, list: nil, lenient: false) }
        let type = checker.check(self, item: bound)
        if let type, let expected, type != expected {
            checker.errors.append(
                ExpressionError(
                    .type, at: offset,
                    ja: "この式の値は\(type.japaneseName)ですが、ここには\(expected.japaneseName)の式が必要です。",
                    en: "this expression gives a \(type), but a \(expected) is needed here."))
        }
        guard checker.errors.isEmpty, let type else {
            let sorted = checker.errors.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }
            return .failure(ExpressionErrors(sorted.map(\.element)))
        }
        return .success(type)
    }
}

/// Walks a tree once, collecting every type error.
struct ExpressionTypeChecker {
    /// The item bound in a condition of `count`/`any`/`all` or a nested `when`.
    struct Item {
        /// Its fields; nil when the list's items are plain values (a list of text).
        var fields: [String: ExpressionSymbols.Symbol]?
        /// The list, as written, for messages (nil: the enclosing repeat question).
        var list: String?
        /// The list itself had an error: stay quiet about `item.*`.
        var lenient: Bool
    }

    let symbols: ExpressionSymbols
    var errors: [ExpressionError] = []

    private mutating func fail(_ kind: ExpressionError.Kind, _ offset: Int, _ ja: String, _ en: String) {
        errors.append(ExpressionError(kind, at: offset, ja: ja, en: en))
    }

    /// The type, or nil when an error was reported inside (parents then skip their checks).
    mutating func check(_ expression: Expression, item: Item?) -> ExpressionType? {
        switch expression.node {
        case .number: return .number
        case .text: return .text
        case .boolean: return .boolean
        case .null: return .null
        case .reference(let reference): return resolve(reference, at: expression.offset, item: item)?.type
        case .list(let elements): return checkList(elements, at: expression.offset, item: item)
        case .call(let function, let arguments):
            return checkCall(function, arguments, at: expression.offset, item: item)
        case .unary(let op, let operand):
            let wanted: ExpressionType = op == .not ? .boolean : .number
            guard let type = check(operand, item: item) else { return wanted }
            if type != wanted {
                fail(.type, operand.offset,
                    "「\(op.rawValue)」の後は\(wanted.japaneseName)でなければなりませんが、\(type.japaneseName)です。",
                    "'\(op.rawValue)' needs a \(wanted), but this is a \(type).")
            }
            return wanted
        case .binary(let op, let left, let right):
            return checkBinary(op, left, right, at: expression.offset, item: item)
        }
    }

    // MARK: references

    private static func noun(_ root: ExpressionReference.Root, part: Bool) -> (ja: String, en: String) {
        if part { return ("項目", "part") }
        return switch root {
        case .answers: ("質問", "question")
        case .computed: ("計算値", "computed value")
        case .identity: ("カードの項目", "card field")
        case .item: ("繰り返しの中の質問", "nested question")
        }
    }

    private mutating func resolve(_ reference: ExpressionReference, at offset: Int, item: Item?) -> ExpressionSymbols.Symbol? {
        if reference.root == .item {
            guard let item else {
                fail(.itemOutsideCondition, offset,
                    "「\(reference)」は count、any、all の条件の中(または繰り返しの質問の中)でだけ使えます。any(answers.heirs, \(reference) == …) のように書いてください。",
                    "\(reference) can only be used in the condition of count, any or all (or inside a repeat question); write any(answers.heirs, \(reference) == …).")
                return nil
            }
            if item.lenient { return nil }
            guard let fields = item.fields else {
                let list = item.list ?? "the list"
                fail(.unknownReference, offset,
                    "\(list) の項目は値だけで、「\(reference.names.joined(separator: "."))」はありません。",
                    "the items of \(list) are plain values without fields, so \(reference) does not exist.")
                return nil
            }
            if reference.names.count == 1, let symbol = fields[reference.names[0]] { return symbol }
            reportUnknown(reference, existing: 0, candidates: Array(fields.keys), at: offset)
            return nil
        }
        if let symbol = symbols.references[reference.description] { return symbol }
        var existing = reference.names.count - 1
        while existing > 0, symbols.references[prefix(reference, existing)] == nil { existing -= 1 }
        let base = prefix(reference, existing) + "."
        let candidates = symbols.references.keys.compactMap { key -> String? in
            guard key.hasPrefix(base) else { return nil }
            let rest = key.dropFirst(base.count)
            return rest.contains(".") ? nil : String(rest)
        }
        reportUnknown(reference, existing: existing, candidates: candidates, at: offset)
        return nil
    }

    private func prefix(_ reference: ExpressionReference, _ count: Int) -> String {
        ([reference.root.rawValue] + reference.names.prefix(count)).joined(separator: ".")
    }

    private mutating func reportUnknown(_ reference: ExpressionReference, existing: Int, candidates: [String], at offset: Int) {
        let shown = prefix(reference, existing + 1)
        let wrong = existing < reference.names.count ? reference.names[existing] : ""
        let noun = Self.noun(reference.root, part: existing > 0)
        if let hint = NearMiss.suggestion(for: wrong, among: candidates) {
            fail(.unknownReference, offset,
                "「\(shown)」という\(noun.ja)はありません。「\(hint)」ではありませんか?",
                "there is no \(noun.en) \(shown); did you mean \"\(hint)\"?")
        } else {
            fail(.unknownReference, offset,
                "「\(shown)」という\(noun.ja)はありません。id の綴りを確かめてください。",
                "there is no \(noun.en) \(shown); check the spelling of the id.")
        }
    }

    /// The choice values a reference admits, with its name for messages.
    private func choices(of expression: Expression, item: Item?) -> (name: String, values: [String])? {
        guard case .reference(let reference) = expression.node else { return nil }
        let symbol =
            reference.root == .item
            ? (reference.names.count == 1 ? item?.fields?[reference.names[0]] : nil)
            : symbols.references[reference.description]
        guard let symbol, !symbol.choices.isEmpty else { return nil }
        return (reference.names.joined(separator: "."), symbol.choices)
    }

    private mutating func checkChoice(_ literal: Expression, against choices: (name: String, values: [String])?) {
        guard let choices, case .text(let value) = literal.node, !choices.values.contains(value) else { return }
        let written = ExpressionPrinter.text(value)
        fail(.choice, literal.offset,
            "「\(written)」は質問「\(choices.name)」の選択肢にありません。\(choices.values.joined(separator: "、")) のどれかにしてください。",
            "\(written) is not a choice of question \"\(choices.name)\"; use one of \(choices.values.joined(separator: ", ")).")
    }

    // MARK: operators

    private mutating func checkBinary(
        _ op: Expression.BinaryOperator, _ left: Expression, _ right: Expression, at offset: Int, item: Item?
    ) -> ExpressionType? {
        let l = check(left, item: item)
        let r = check(right, item: item)
        let symbol = op.rawValue
        switch op {
        case .and, .or:
            for (operand, type) in [(left, l), (right, r)] {
                guard let type, type != .boolean else { continue }
                fail(.type, operand.offset,
                    "「\(symbol)」でつなぐのは真偽値(true/false)ですが、ここは\(type.japaneseName)です。",
                    "'\(symbol)' joins booleans (true/false), but this is a \(type).")
            }
            return .boolean
        case .equal, .notEqual:
            guard let l, let r else { return .boolean }
            if l == .null || r == .null { return .boolean }
            if textAndDate(l, r, offset: offset, symbol: symbol) { return .boolean }
            if !l.isComparable(with: r) {
                fail(.type, offset,
                    "「\(symbol)」は同じ種類の値どうしを比べます。左は\(l.japaneseName)、右は\(r.japaneseName)です。",
                    "'\(symbol)' compares values of the same type, but the left is a \(l) and the right a \(r).")
                return .boolean
            }
            checkChoice(right, against: choices(of: left, item: item))
            checkChoice(left, against: choices(of: right, item: item))
            return .boolean
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let l, let r else { return .boolean }
            if textAndDate(l, r, offset: offset, symbol: symbol) { return .boolean }
            if !(l == r && (l == .number || l == .date)) {
                fail(.type, offset,
                    "「\(symbol)」で比べられるのは数どうしか日付どうしです。左は\(l.japaneseName)、右は\(r.japaneseName)です。",
                    "'\(symbol)' compares two numbers or two dates, but the left is a \(l) and the right a \(r).")
            }
            return .boolean
        case .in:
            guard let l, let r else { return .boolean }
            guard case .list(let element) = r else {
                let hint = if case .itemList = r { ("any(…, item.… == …) を使ってください。", "use any(…, item.… == …) for a repeat answer.") }
                    else { ("['kokuho', 'kouki'] のようなリストか複数選択の答えを書いてください。", "write a list such as ['kokuho', 'kouki'] or a multipleChoice answer.") }
                fail(.type, right.offset,
                    "「in」の右はリストでなければなりませんが、\(r.japaneseName)です。" + hint.0,
                    "the right of 'in' must be a list, but this is a \(r); " + hint.1)
                return .boolean
            }
            if l == .null || !(element == .null || element == l) {
                fail(.type, offset,
                    "「in」の左は\(element == .null ? "値" : element.japaneseName)でなければなりませんが、\(l.japaneseName)です。",
                    "the left of 'in' must be a \(element == .null ? "value" : element.description) like the list's elements, but it is a \(l).")
                return .boolean
            }
            if case .list(let elements) = right.node {
                let leftChoices = choices(of: left, item: item)
                for element in elements { checkChoice(element, against: leftChoices) }
            }
            checkChoice(left, against: choices(of: right, item: item))
            return .boolean
        case .plus, .minus:
            guard let l, let r else { return nil }
            switch (l, r) {
            case (.number, .number): return .number
            case (.date, .number): return .date
            case (.date, .date) where op == .minus: return .number
            default:
                fail(.type, offset,
                    "「\(symbol)」は数どうし、または日付 \(symbol) 日数\(op == .minus ? "、日付 - 日付" : "")に使います。左は\(l.japaneseName)、右は\(r.japaneseName)です。",
                    "'\(symbol)' works on two numbers or date \(symbol) number of days\(op == .minus ? " or date - date" : ""), but the left is a \(l) and the right a \(r).")
                return nil
            }
        }
    }

    /// Reports text compared with a date; true when it did.
    private mutating func textAndDate(_ l: ExpressionType, _ r: ExpressionType, offset: Int, symbol: String) -> Bool {
        guard (l == .text && r == .date) || (l == .date && r == .text) else { return false }
        fail(.type, offset,
            "文字列と日付は比べられません。日付は date('2026-01-01') のように書いてください。",
            "text is never compared with a date; write the date as date('2026-01-01').")
        return true
    }

    // MARK: lists and calls

    private mutating func checkList(_ elements: [Expression], at offset: Int, item: Item?) -> ExpressionType? {
        var first: ExpressionType?
        var failed = false
        for element in elements {
            guard let type = check(element, item: item) else {
                failed = true
                continue
            }
            guard [.boolean, .number, .text, .date].contains(type) else {
                fail(.type, element.offset,
                    "リストに入れられるのは数、文字列、日付、真偽値だけですが、ここは\(type.japaneseName)です。",
                    "a list holds numbers, text, dates or booleans, but this is a \(type).")
                failed = true
                continue
            }
            if let first, first != type {
                fail(.type, element.offset,
                    "リストの要素はすべて同じ種類にしてください。最初は\(first.japaneseName)、ここは\(type.japaneseName)です。",
                    "the elements of a list must all have one type; the first is a \(first), this one a \(type).")
                failed = true
            }
            if first == nil { first = type }
        }
        if failed { return nil }
        return .list(first ?? .null)
    }

    private mutating func checkCall(
        _ function: ExpressionFunction, _ arguments: [Expression], at offset: Int, item: Item?
    ) -> ExpressionType? {
        switch function {
        case .today:
            return .date
        case .date:
            guard let argument = arguments.first else { return .date }
            guard case .text(let text) = argument.node else {
                _ = check(argument, item: item)
                fail(.type, argument.offset,
                    "date() には日付をそのまま書いてください(date('2026-01-05'))。",
                    "date() takes a date written out, like date('2026-01-05').")
                return .date
            }
            if CalendarDate(iso: text) == nil {
                let written = ExpressionPrinter.text(text)
                fail(.invalidDate, argument.offset,
                    "\(written) という日付はありません。date('2026-01-05') のように、実在する日付を YYYY-MM-DD で書いてください。",
                    "\(written) is not a real date; write an existing date as YYYY-MM-DD, like date('2026-01-05').")
            }
            return .date
        case .age:
            for (position, argument) in arguments.enumerated() {
                guard let type = check(argument, item: item), type != .date else { continue }
                fail(.type, argument.offset,
                    "age の\(position == 0 ? "1" : "2")番目の引数は日付でなければなりませんが、\(type.japaneseName)です。",
                    "argument \(position + 1) of age must be a date, but it is a \(type).")
            }
            return .number
        case .count, .any, .all:
            let result: ExpressionType = function == .count ? .number : .boolean
            guard let listExpression = arguments.first else { return result }
            let listType = check(listExpression, item: item)
            var binding = Item(fields: nil, list: listExpression.description, lenient: listType == nil)
            switch listType {
            case .itemList(let fields)?:
                var itemChoices: [String: [String]] = [:]
                if case .reference(let reference) = listExpression.node, reference.root != .item {
                    itemChoices = symbols.references[reference.description]?.itemChoices ?? [:]
                }
                binding.fields = fields.mapValues { ExpressionSymbols.Symbol($0) }
                for (name, values) in itemChoices where binding.fields?[name] != nil { binding.fields?[name]?.choices = values }
            case .list?, nil:
                break
            case let other?:
                fail(.type, listExpression.offset,
                    "\(function.rawValue) の最初の引数は繰り返しか複数選択の答え(リスト)でなければなりませんが、\(other.japaneseName)です。",
                    "the first argument of \(function.rawValue) must be a list (a repeat or multipleChoice answer), but it is a \(other).")
                binding.lenient = true
            }
            if arguments.count > 1 {
                let condition = arguments[1]
                if let type = check(condition, item: binding), type != .boolean {
                    fail(.type, condition.offset,
                        "\(function.rawValue) の条件は真偽値でなければなりませんが、\(type.japaneseName)です。",
                        "the condition of \(function.rawValue) must be a boolean, but it is a \(type).")
                }
            }
            return result
        }
    }
}
