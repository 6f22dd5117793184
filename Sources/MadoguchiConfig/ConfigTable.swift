import Contracts
import MadoguchiCore

/// Reads the values of one table of `madoguchi.toml` (`[outbox]`, `[backoffice]` …) and
/// collects every problem with its place. Messages name the key and what it must be, never
/// the value: a misplaced secret must not reach a terminal or a log.
struct ConfigTable {
    /// The table's name, as in `[outbox]`.
    let name: String
    var problems: [SchemaViolation] = []

    init(_ name: String) { self.name = name }

    func pointer(_ key: String) -> String { "/\(name)/\(key)" }

    mutating func add(_ location: FilePosition, _ key: String, _ keyword: String, ja: String, en: String) {
        problems.append(
            SchemaViolation(instancePath: pointer(key), location: location, keyword: keyword, message: BilingualText(ja: ja, en: en)))
    }

    /// A key name as it may be shown: short, printable, quoted.
    static func quoted(_ key: String) -> String {
        let printable = key.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
        return printable && key.count <= 40 ? "\"\(key)\"" : "(\(key.utf8.count) bytes)"
    }

    mutating func unknown(_ member: DataNode.Member, known: [String]) {
        add(
            member.keyLocation, member.key, "additionalProperties",
            ja: "[\(name)] に \(Self.quoted(member.key)) という設定はありません(使えるもの: \(known.joined(separator: ", ")))。",
            en: "[\(name)] has no setting \(Self.quoted(member.key)) (known: \(known.joined(separator: ", "))).")
    }

    mutating func typeProblem(_ node: DataNode, _ key: String, ja: String, en: String) {
        add(node.location, key, "type", ja: "\(key) は\(ja)にしてください(今は \(node.typeName))。", en: "\(key) must be \(en), not \(node.typeName).")
    }

    mutating func string(_ node: DataNode, _ key: String) -> String? {
        guard case .string(let text) = node.value else {
            typeProblem(node, key, ja: "文字列", en: "a string")
            return nil
        }
        return text
    }

    /// An absolute path of letters, digits and `._/@:+-`, without `..`.
    mutating func absolutePath(_ node: DataNode, _ key: String) -> String? {
        guard let text = string(node, key) else { return nil }
        let allowed = text.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._/@:+-".unicodeScalars.contains($0)
        }
        guard text.hasPrefix("/"), allowed, text.utf8.count <= 500, !text.split(separator: "/").contains("..") else {
            add(
                node.location, key, "pattern",
                ja: "\(key) は / で始まる絶対パスにしてください(英数字と ._/@:+- のみ、.. は不可)。",
                en: "\(key) must be an absolute path starting with / (letters, digits and ._/@:+- only, no ..).")
            return nil
        }
        return text
    }

    /// A systemd credential name.
    mutating func credentialName(_ node: DataNode, _ key: String) -> String? {
        guard let text = string(node, key) else { return nil }
        let scalars = Array(text.unicodeScalars)
        let isNameCharacter: (Unicode.Scalar) -> Bool = {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
        }
        guard let first = scalars.first, first != ".", first != "-", first != "_", scalars.count <= 64,
            scalars.allSatisfy(isNameCharacter)
        else {
            add(
                node.location, key, "pattern",
                ja: "\(key) は systemd の資格情報名にしてください(例 outbox.key。英数字で始まり、英数字と ._- のみ、64 文字まで)。",
                en: "\(key) must be a systemd credential name (e.g. outbox.key: starts with a letter or digit; letters, digits and ._- only; at most 64).")
            return nil
        }
        return text
    }

    mutating func integer(_ node: DataNode, _ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard case .number(let number) = node.value, number.isFinite, number.rounded() == number else {
            typeProblem(node, key, ja: "整数", en: "a whole number")
            return nil
        }
        guard number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            add(
                node.location, key, number < Double(range.lowerBound) ? "minimum" : "maximum",
                ja: "\(key) は \(range.lowerBound) から \(range.upperBound) の整数にしてください。",
                en: "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
            return nil
        }
        return Int(number)
    }

    /// A secret written into the file itself: refused, and its value never repeated.
    mutating func secretInFile(_ member: DataNode.Member, what: (ja: String, en: String), use: (ja: String, en: String)) {
        add(
            member.keyLocation, member.key, "not",
            ja: "\(what.ja)をこのファイルに書かないでください。\(use.ja) を使ってください。",
            en: "Never put \(what.en) in this file. Use \(use.en).")
    }

    /// `[name]` is there but is not a table.
    static func notATable(_ node: DataNode, _ name: String) -> SchemaViolation {
        SchemaViolation(
            instancePath: "/\(name)", location: node.location, keyword: "type",
            message: BilingualText(ja: "[\(name)] は表(テーブル)にしてください。", en: "[\(name)] must be a table."))
    }
}
