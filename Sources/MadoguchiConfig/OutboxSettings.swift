public import Contracts
import Foundation
import MadoguchiCore

/// The `[outbox]` table of `madoguchi.toml` (docs/contracts/configuration.md): where the
/// queue lives, where its key comes from, and what it refuses to grow past.
public struct OutboxSettings: Sendable, Hashable {
    /// The SQLite database.
    public var path = "/var/lib/madoguchi/outbox.sqlite"
    /// The 0600 key file made by `madoguchi keys init`.
    public var keyFile = "/etc/madoguchi/outbox.key"
    /// A systemd credential name; wins over `keyFile` when set.
    public var keyCredential: String?
    /// Diagnostics warn when more submissions than this wait.
    public var warnPending = 1000
    /// The most submissions kept at once (waiting and dead letters); more are refused.
    public var maxPending = 20_000
    /// New submissions are refused when the database's file system has less free space.
    public var minFreeMegabytes = 64
    /// Dead letters are kept this long, then securely deleted.
    public var deadLetterRetentionDays = 180

    /// The defaults.
    public init() {}

    /// Reads `[outbox]` from a whole configuration document (`DataLoader.load`). A missing
    /// table gives the defaults; every wrong key is reported, with its place, and never
    /// its value beyond the key's own name.
    public static func read(_ document: DataNode) -> Result<OutboxSettings, OutboxSettingsError> {
        var settings = OutboxSettings()
        guard let table = document["outbox"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(OutboxSettingsError([
                violation(table.location, "/outbox", "type", ja: "[outbox] は表(テーブル)にしてください。", en: "[outbox] must be a table.")
            ]))
        }
        var problems: [SchemaViolation] = []
        for member in members {
            let pointer = "/outbox/" + member.key
            let value = member.value
            switch member.key {
            case "path":
                if let text = absolutePath(value, pointer, &problems) { settings.path = text }
            case "keyFile":
                if let text = absolutePath(value, pointer, &problems) { settings.keyFile = text }
            case "keyCredential":
                if let text = credentialName(value, pointer, &problems) { settings.keyCredential = text }
            case "warnPending":
                if let number = integer(value, pointer, 1...1_000_000, &problems) { settings.warnPending = number }
            case "maxPending":
                if let number = integer(value, pointer, 1...1_000_000, &problems) { settings.maxPending = number }
            case "minFreeMegabytes":
                if let number = integer(value, pointer, 0...1_048_576, &problems) { settings.minFreeMegabytes = number }
            case "deadLetterRetentionDays":
                if let number = integer(value, pointer, 1...3650, &problems) { settings.deadLetterRetentionDays = number }
            case "key":
                problems.append(violation(
                    member.keyLocation, pointer, "not",
                    ja: "鍵をこのファイルに書かないでください。keyFile か keyCredential を使ってください。",
                    en: "Never put the key in this file. Use keyFile or keyCredential."))
            default:
                problems.append(violation(
                    member.keyLocation, pointer, "additionalProperties",
                    ja: "[outbox] に \(quoted(member.key)) という設定はありません(使えるもの: \(known.joined(separator: ", ")))。",
                    en: "[outbox] has no setting \(quoted(member.key)) (known: \(known.joined(separator: ", ")))."))
            }
        }
        return problems.isEmpty ? .success(settings) : .failure(OutboxSettingsError(problems))
    }

    static let known = [
        "path", "keyFile", "keyCredential", "warnPending", "maxPending", "minFreeMegabytes", "deadLetterRetentionDays",
    ]

    /// A key name as it may be shown: short, printable, quoted.
    private static func quoted(_ key: String) -> String {
        let printable = key.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
        return printable && key.count <= 40 ? "\"\(key)\"" : "(\(key.utf8.count) bytes)"
    }

    private static func absolutePath(_ node: DataNode, _ pointer: String, _ problems: inout [SchemaViolation]) -> String? {
        guard case .string(let text) = node.value else {
            problems.append(typeProblem(node, pointer, ja: "文字列", en: "a string"))
            return nil
        }
        let allowed = text.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._/@:+-".unicodeScalars.contains($0)
        }
        guard text.hasPrefix("/"), allowed, text.utf8.count <= 500, !text.split(separator: "/").contains("..") else {
            problems.append(violation(
                node.location, pointer, "pattern",
                ja: "\(pointer.dropFirst(8)) は / で始まる絶対パスにしてください(英数字と ._/@:+- のみ、.. は不可)。",
                en: "\(pointer.dropFirst(8)) must be an absolute path starting with / (letters, digits and ._/@:+- only, no ..)."))
            return nil
        }
        return text
    }

    private static func credentialName(_ node: DataNode, _ pointer: String, _ problems: inout [SchemaViolation]) -> String? {
        guard case .string(let text) = node.value else {
            problems.append(typeProblem(node, pointer, ja: "文字列", en: "a string"))
            return nil
        }
        let scalars = Array(text.unicodeScalars)
        let isNameCharacter: (Unicode.Scalar) -> Bool = {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
        }
        guard let first = scalars.first, first != ".", first != "-", first != "_", scalars.count <= 64,
            scalars.allSatisfy(isNameCharacter)
        else {
            problems.append(violation(
                node.location, pointer, "pattern",
                ja: "keyCredential は systemd の資格情報名にしてください(例 outbox.key。英数字で始まり、英数字と ._- のみ、64 文字まで)。",
                en: "keyCredential must be a systemd credential name (e.g. outbox.key: starts with a letter or digit; letters, digits and ._- only; at most 64)."))
            return nil
        }
        return text
    }

    private static func integer(
        _ node: DataNode, _ pointer: String, _ range: ClosedRange<Int>, _ problems: inout [SchemaViolation]
    ) -> Int? {
        guard case .number(let number) = node.value, number.isFinite, number.rounded() == number else {
            problems.append(typeProblem(node, pointer, ja: "整数", en: "a whole number"))
            return nil
        }
        guard number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            let key = pointer.dropFirst(8)
            problems.append(violation(
                node.location, pointer, number < Double(range.lowerBound) ? "minimum" : "maximum",
                ja: "\(key) は \(range.lowerBound) から \(range.upperBound) の整数にしてください。",
                en: "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)."))
            return nil
        }
        return Int(number)
    }

    private static func typeProblem(_ node: DataNode, _ pointer: String, ja: String, en: String) -> SchemaViolation {
        let key = pointer.dropFirst(8)
        return violation(
            node.location, pointer, "type",
            ja: "\(key) は\(ja)にしてください(今は \(node.typeName))。", en: "\(key) must be \(en), not \(node.typeName).")
    }

    private static func violation(_ location: FilePosition, _ pointer: String, _ keyword: String, ja: String, en: String)
        -> SchemaViolation
    {
        SchemaViolation(instancePath: pointer, location: location, keyword: keyword, message: BilingualText(ja: ja, en: en))
    }
}

/// Every problem found in `[outbox]`, in file order.
public struct OutboxSettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [SchemaViolation]

    public init(_ problems: [SchemaViolation]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
