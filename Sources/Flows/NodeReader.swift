import Contracts
import MadoguchiCore

/// What a message talks about, in both languages: 質問「dateOfDeath」 / question "dateOfDeath".
struct Subject {
    var ja: String
    var en: String

    static func question(_ id: String?) -> Subject {
        guard let id else { return Subject(ja: "質問", en: "a question") }
        return Subject(ja: "質問「\(id)」", en: "question \"\(id)\"")
    }

    static func procedure(_ id: String?) -> Subject {
        guard let id else { return Subject(ja: "手続き", en: "a procedure") }
        return Subject(ja: "手続き「\(id)」", en: "procedure \"\(id)\"")
    }

    static func item(_ index: Int, type: String?) -> Subject {
        let kind = type.map { "(\($0))" } ?? ""
        return Subject(ja: "項目 \(index + 1)\(kind)", en: "item \(index + 1)\(kind.isEmpty ? "" : " (\(type ?? ""))")")
    }

    static let flow = Subject(ja: "flow.yaml", en: "flow.yaml")
}

/// The shapes a value may need, for messages.
enum ValueShape {
    case text, integer, number, boolean, list, mapping

    var ja: String {
        switch self {
        case .text: "文字列"
        case .integer: "整数"
        case .number: "数"
        case .boolean: "true か false"
        case .list: "リスト"
        case .mapping: "キーと値の組(マッピング)"
        }
    }

    var en: String {
        switch self {
        case .text: "text"
        case .integer: "a whole number"
        case .number: "a number"
        case .boolean: "true or false"
        case .list: "a list"
        case .mapping: "a mapping of keys to values"
        }
    }

    static func of(_ node: DataNode) -> (ja: String, en: String) {
        switch node.value {
        case .null: ("空(null)", "empty (null)")
        case .bool: ("真偽値", "true/false")
        case .number(let number): number.rounded() == number ? ("整数", "a whole number") : ("数", "a number")
        case .string: ("文字列", "text")
        case .array: ("リスト", "a list")
        case .object: ("マッピング", "a mapping")
        }
    }
}

/// Name rules of the contract.
enum NameRule {
    case name, slug, stringKey

    func accepts(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        func isLower(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) }
        func isLetter(_ s: Unicode.Scalar) -> Bool { isLower(s) || ("A"..."Z").contains(s) }
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        guard let first = scalars.first, isLower(first) else { return false }
        switch self {
        case .name:
            return scalars.count <= 64 && scalars.allSatisfy { isLetter($0) || isDigit($0) }
        case .slug:
            guard scalars.count <= 64, scalars.last != "-" else { return false }
            var previous: Unicode.Scalar = "a"
            for scalar in scalars {
                guard isLower(scalar) || isDigit(scalar) || scalar == "-" else { return false }
                if scalar == "-" && previous == "-" { return false }
                previous = scalar
            }
            return true
        case .stringKey:
            guard scalars.count <= 128, scalars.last != "." else { return false }
            var previous: Unicode.Scalar = "a"
            for scalar in scalars {
                guard isLetter(scalar) || isDigit(scalar) || scalar == "." else { return false }
                if scalar == "." && previous == "." { return false }
                previous = scalar
            }
            return true
        }
    }

    var ja: String {
        switch self {
        case .name: "小文字で始まる英字と数字(camelCase、64 文字まで、例: dateOfDeath)"
        case .slug: "小文字の英字と数字をハイフン一つでつないだ名前(例: setainushi-henko)"
        case .stringKey: "英字と数字の語をドットでつないだキー(例: q.dateOfDeath.text)"
        }
    }

    var en: String {
        switch self {
        case .name: "a camelCase name of ASCII letters and digits starting with a lower-case letter (at most 64, e.g. dateOfDeath)"
        case .slug: "lower-case words of letters and digits joined by single hyphens (e.g. setainushi-henko)"
        case .stringKey: "dot-separated words of letters and digits (e.g. q.dateOfDeath.text)"
        }
    }
}

/// Reads `DataNode`s into typed values, collecting located, bilingual diagnostics instead
/// of stopping at the first problem.
struct NodeReader {
    var diagnostics: [FlowDiagnostic] = []
    /// The source text of each file, to find where a quoted string's content starts.
    var sources: [String: [Substring]] = [:]
    /// Ids of items written but not readable.
    var brokenIds: Set<String> = []

    mutating func error(_ check: FlowDiagnostic.Check, _ location: FilePosition, ja: String, en: String) {
        diagnostics.append(.error(check, location, ja: ja, en: en))
    }

    mutating func warning(_ check: FlowDiagnostic.Check, _ location: FilePosition, ja: String, en: String) {
        diagnostics.append(.warning(check, location, ja: ja, en: en))
    }

    /// The members of a mapping by key, after reporting unknown keys and missing required
    /// ones; nil when the node is not a mapping.
    mutating func mapping(
        _ node: DataNode, _ subject: Subject, allowed: [String], required: [String],
        hints: [String: (ja: String, en: String)] = [:]
    ) -> [String: DataNode.Member]? {
        guard case .object(let members) = node.value else {
            let actual = ValueShape.of(node)
            error(
                .structure, node.location,
                ja: "\(subject.ja)はキーと値の組(マッピング)で書いてください(今は\(actual.ja)です)。",
                en: "\(subject.en) must be a mapping of keys to values, not \(actual.en).")
            return nil
        }
        var byKey: [String: DataNode.Member] = [:]
        for member in members {
            byKey[member.key] = member
            guard !allowed.contains(member.key) else { continue }
            if let suggestion = NearMiss.suggestion(for: member.key, among: allowed) {
                error(
                    .structure, member.keyLocation,
                    ja: "\(subject.ja)に「\(member.key)」というキーはありません。「\(suggestion)」ではありませんか?",
                    en: "\(subject.en) has no key \"\(member.key)\"; did you mean \"\(suggestion)\"?")
            } else {
                error(
                    .structure, member.keyLocation,
                    ja: "\(subject.ja)に「\(member.key)」というキーはありません。使えるキーは \(allowed.joined(separator: "、")) です。",
                    en: "\(subject.en) has no key \"\(member.key)\"; the keys it takes are \(allowed.joined(separator: ", ")).")
            }
        }
        for key in required where byKey[key] == nil {
            if let hint = hints[key] {
                error(.structure, node.location, ja: hint.ja, en: hint.en)
            } else {
                error(
                    .structure, node.location,
                    ja: "\(subject.ja)に \(key) がありません。\(key): を書いてください。",
                    en: "\(subject.en) has no \(key); add \(key):.")
            }
        }
        return byKey
    }

    private mutating func wrongShape(_ node: DataNode, _ key: String, _ subject: Subject, _ expected: ValueShape) {
        let actual = ValueShape.of(node)
        error(
            .structure, node.location,
            ja: "\(subject.ja)の \(key) は\(expected.ja)にしてください(今は\(actual.ja)です)。",
            en: "\(key) of \(subject.en) must be \(expected.en), not \(actual.en).")
    }

    mutating func text(_ node: DataNode?, _ key: String, _ subject: Subject) -> String? {
        guard let node else { return nil }
        guard case .string(let value) = node.value else {
            wrongShape(node, key, subject, .text)
            return nil
        }
        return value
    }

    mutating func named(_ node: DataNode?, _ key: String, _ subject: Subject, _ rule: NameRule) -> String? {
        guard let node, let value = text(node, key, subject) else { return nil }
        guard rule.accepts(value) else {
            error(
                .structure, node.location,
                ja: "\(subject.ja)の \(key)「\(Self.shown(value))」は使えません。\(rule.ja)にしてください。",
                en: "\(key) \"\(Self.shown(value))\" of \(subject.en) is not allowed; use \(rule.en).")
            return nil
        }
        return value
    }

    mutating func integer(_ node: DataNode?, _ key: String, _ subject: Subject, in range: ClosedRange<Int>) -> Int? {
        guard let node else { return nil }
        guard case .number(let number) = node.value, number.rounded() == number, abs(number) < 1e15 else {
            wrongShape(node, key, subject, .integer)
            return nil
        }
        let value = Int(number)
        guard range.contains(value) else {
            error(
                .structure, node.location,
                ja: "\(subject.ja)の \(key) は \(range.lowerBound)〜\(range.upperBound) にしてください(今は \(value) です)。",
                en: "\(key) of \(subject.en) must be from \(range.lowerBound) to \(range.upperBound), not \(value).")
            return nil
        }
        return value
    }

    mutating func number(_ node: DataNode?, _ key: String, _ subject: Subject) -> Double? {
        guard let node else { return nil }
        guard case .number(let number) = node.value else {
            wrongShape(node, key, subject, .number)
            return nil
        }
        return number
    }

    mutating func boolean(_ node: DataNode?, _ key: String, _ subject: Subject) -> Bool? {
        guard let node else { return nil }
        guard case .bool(let value) = node.value else {
            let hint: (String, String) =
                if case .string(let text) = node.value, ["yes", "no", "on", "off", "True", "False"].contains(text) {
                    ("YAML の \(text) は文字列です。true か false と書いてください。", " (in bundles, \(text) is text; write true or false)")
                } else {
                    ("", "")
                }
            let actual = ValueShape.of(node)
            error(
                .structure, node.location,
                ja: "\(subject.ja)の \(key) は true か false にしてください(今は\(actual.ja)です)。\(hint.0)",
                en: "\(key) of \(subject.en) must be true or false, not \(actual.en)\(hint.1).")
            return nil
        }
        return value
    }

    mutating func list(_ node: DataNode?, _ key: String, _ subject: Subject) -> [DataNode]? {
        guard let node else { return nil }
        guard case .array(let items) = node.value else {
            wrongShape(node, key, subject, .list)
            return nil
        }
        return items
    }

    /// A word from a fixed set, with a suggestion for near misses.
    mutating func word<Word: RawRepresentable & CaseIterable>(
        _ node: DataNode?, _ key: String, _ subject: Subject, as _: Word.Type,
        hints: [String: String] = [:]
    ) -> Word? where Word.RawValue == String {
        guard let node, let value = text(node, key, subject) else { return nil }
        if let word = Word(rawValue: value) { return word }
        let options = Word.allCases.map(\.rawValue)
        let suggestion = hints[value.lowercased()] ?? NearMiss.suggestion(for: value, among: options)
        error(
            .structure, node.location,
            ja: "\(subject.ja)の \(key)「\(Self.shown(value))」はありません。\(options.joined(separator: "、")) のどれかにしてください\(suggestion.map { "(「\($0)」ではありませんか?)" } ?? "")。",
            en: "\(subject.en) has \(key) \"\(Self.shown(value))\", which does not exist; use one of \(options.joined(separator: ", "))\(suggestion.map { " (did you mean \"\($0)\"?)" } ?? "").")
        return nil
    }

    /// A list of names following `rule`, each once.
    mutating func names(_ node: DataNode?, _ key: String, _ subject: Subject, _ rule: NameRule) -> [String]? {
        guard let items = list(node, key, subject) else { return nil }
        var result: [String] = []
        for item in items {
            guard let name = named(item, key, subject, rule) else { continue }
            if result.contains(name) {
                error(
                    .duplicateId, item.location,
                    ja: "\(subject.ja)の \(key) に「\(name)」が二度あります。一つにしてください。",
                    en: "\(key) of \(subject.en) lists \"\(name)\" twice; keep one.")
                continue
            }
            result.append(name)
        }
        return result
    }

    /// Parses an expression string, reporting a syntax error at its token.
    mutating func expression(_ node: DataNode?, _ key: String, _ subject: Subject) -> SourceExpression? {
        guard let node, let text = text(node, key, subject) else { return nil }
        let start = contentStart(of: node)
        guard !text.isEmpty, text.unicodeScalars.count <= 2000 else {
            error(
                .structure, node.location,
                ja: "\(subject.ja)の \(key) は 1〜2000 文字の式にしてください。",
                en: "\(key) of \(subject.en) must be an expression of 1 to 2000 characters.")
            return nil
        }
        do {
            let expression = try Expression.parse(text)
            return SourceExpression(text: text, location: start, expression: expression)
        } catch {
            let located = SourceExpression(text: text, location: start, expression: Expression(.null, offset: 1))
            diagnostics.append(FlowDiagnostic(.error, .expression, at: located.location(ofOffset: error.offset), error.message))
            return nil
        }
    }

    /// Where a scalar's content starts: one past its opening quote.
    func contentStart(of node: DataNode) -> FilePosition {
        var location = node.location
        guard let line = location.line, let column = location.column, let lines = sources[location.file],
            lines.indices.contains(line - 1)
        else { return location }
        let scalars = Array(lines[line - 1].unicodeScalars)
        if scalars.indices.contains(column - 1), scalars[column - 1] == "\"" || scalars[column - 1] == "'" {
            location.column = column + 1
        }
        return location
    }

    /// A value as shown in a message: bundle text (never personal data), cut short.
    static func shown(_ value: String) -> String {
        value.unicodeScalars.count > 40 ? String(String.UnicodeScalarView(value.unicodeScalars.prefix(40))) + "…" : value
    }
}
