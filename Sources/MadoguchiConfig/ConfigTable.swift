import Contracts
import MadoguchiCore

/// Reads the values of one table of `madoguchi.toml` (`[outbox]`, `[printer.a4]` …) and
/// collects every problem with its place.
///
/// Every message reads `[table] key: what is wrong`, as docs/contracts/configuration.md
/// shows, so an error line is `path:line:col: error: [table] key: …`. Messages name the key
/// and what it must be, never the value: a misplaced secret must not reach a terminal or a
/// log.
struct ConfigTable {
    /// The table's name as written in its header, as in `[printer.a4]`; nil for a file
    /// whose keys stand at the top (a touch calibration, a device profile).
    let name: String?
    /// The table's JSON pointer (`/printer/a4`; `""` for a whole file).
    let base: String
    var problems: [SchemaViolation] = []

    init(_ name: String) {
        self.name = name
        base = JSONPointer.appending("", name)
    }

    /// A sub-table, such as `[printer.a4]` (`name` "printer.a4", `pointer` "/printer/a4").
    init(_ name: String, pointer: String) {
        self.name = name
        base = pointer
    }

    private init() {
        name = nil
        base = ""
    }

    /// A file whose keys stand at the top: messages start with `key: `.
    static func wholeFile() -> ConfigTable { ConfigTable() }

    func pointer(_ key: String) -> String { JSONPointer.appending(base, key) }

    /// `[table] key: ` (`[table]: ` for the table itself; `key: ` in a whole file): the
    /// start of every message.
    func label(_ key: String?) -> String {
        switch (name, key) {
        case let (name?, key?): "[\(name)] \(Self.shown(key)): "
        case let (name?, nil): "[\(name)]: "
        case let (nil, key?): "\(Self.shown(key)): "
        case (nil, nil): ""
        }
    }

    /// A problem with `key` (nil: the table itself). The label is put in front of both
    /// sentences unless `labelled` is false (the sentences then name the key themselves).
    mutating func add(_ location: FilePosition, _ key: String?, _ keyword: String, ja: String, en: String, labelled: Bool = true) {
        let prefix = labelled ? label(key) : ""
        problems.append(
            SchemaViolation(
                instancePath: key.map(pointer) ?? base, location: location, keyword: keyword,
                message: BilingualText(ja: prefix + ja, en: prefix + en)))
    }

    /// A key name as it may be shown: bare when it is a plain TOML key, else quoted, or
    /// only its length when it is long or unprintable.
    static func shown(_ key: String) -> String {
        let bare = !key.isEmpty && key.count <= 40
            && key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
        return bare ? key : quoted(key)
    }

    /// A key name quoted, or only its length when it is long or unprintable.
    static func quoted(_ key: String) -> String {
        let printable = key.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) }
        return printable && key.count <= 40 ? "\"\(key)\"" : "(\(key.utf8.count) bytes)"
    }

    /// The closest of `candidates` within two edits (and fewer edits than its length),
    /// ignoring case; ties go to the first in alphabetical order. (Flows' NearMiss, which
    /// this target cannot import, with case ignored: `keyfile` means `keyFile`.)
    static func nearMiss(_ name: String, among candidates: [String]) -> String? {
        guard name.unicodeScalars.count <= 64 else { return nil }
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let distance = EditDistance.between(name.lowercased(), candidate.lowercased())
            guard distance <= 2, distance < max(candidate.unicodeScalars.count, 2) else { continue }
            if let current = best, current.distance < distance || (current.distance == distance && current.name < candidate) { continue }
            best = (candidate, distance)
        }
        return best?.name
    }

    /// A key this table does not have: a near miss is suggested, else the keys it has.
    mutating func unknown(_ member: DataNode.Member, known: [String]) {
        let suggestion = Self.nearMiss(member.key, among: known)
        guard name != nil else {
            let key = Self.quoted(member.key)
            add(
                member.keyLocation, member.key, "additionalProperties",
                ja: "\(key) という設定はありません。" + (suggestion.map { "\($0) ではありませんか?" } ?? "使えるのは \(known.joined(separator: "、")) です。"),
                en: "there is no setting \(key); " + (suggestion.map { "did you mean \($0)?" } ?? "the settings are \(known.joined(separator: ", "))."),
                labelled: false)
            return
        }
        if let suggestion {
            add(member.keyLocation, member.key, "additionalProperties", ja: "不明な設定です。\(suggestion) ではありませんか?", en: "unknown setting; did you mean \(suggestion)?")
        } else {
            add(
                member.keyLocation, member.key, "additionalProperties",
                ja: "不明な設定です。使えるのは \(known.joined(separator: "、")) です。",
                en: "unknown setting; the settings are \(known.joined(separator: ", ")).")
        }
    }

    /// A key that must be there and is not; reported at the table.
    mutating func missing(_ table: DataNode, _ key: String, ja: String, en: String) {
        add(table.location, key, "required", ja: ja, en: en)
    }

    mutating func typeProblem(_ node: DataNode, _ key: String, ja: String, en: String) {
        add(node.location, key, "type", ja: "\(ja)にしてください(今は \(node.typeName))。", en: "must be \(en), not \(node.typeName).")
    }

    mutating func string(_ node: DataNode, _ key: String) -> String? {
        guard case .string(let text) = node.value else {
            typeProblem(node, key, ja: "文字列", en: "a string")
            return nil
        }
        return text
    }

    /// A string of `length` Unicode scalars (JSON Schema's minLength and maxLength).
    mutating func text(_ node: DataNode, _ key: String, length: ClosedRange<Int>) -> String? {
        guard let text = string(node, key) else { return nil }
        guard length.contains(text.unicodeScalars.count) else {
            if length.lowerBound > 0 {
                add(
                    node.location, key, text.unicodeScalars.count < length.lowerBound ? "minLength" : "maxLength",
                    ja: "\(length.lowerBound) から \(length.upperBound) 文字にしてください。",
                    en: "must be \(length.lowerBound) to \(length.upperBound) characters long.")
            } else {
                add(node.location, key, "maxLength", ja: "\(length.upperBound) 文字までにしてください。", en: "must be at most \(length.upperBound) characters long.")
            }
            return nil
        }
        return text
    }

    mutating func boolean(_ node: DataNode, _ key: String) -> Bool? {
        guard case .bool(let value) = node.value else {
            typeProblem(node, key, ja: "true か false", en: "true or false")
            return nil
        }
        return value
    }

    static func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || "._/@:+-".unicodeScalars.contains(scalar)
    }

    /// An absolute path of letters, digits and `._/@:+-`, without `..`.
    static func isAbsolutePath(_ text: String) -> Bool {
        text.hasPrefix("/") && text.unicodeScalars.allSatisfy(isPathCharacter) && text.utf8.count <= 500
            && !text.split(separator: "/").contains("..")
    }

    /// An absolute path of letters, digits and `._/@:+-`, without `..`.
    mutating func absolutePath(_ node: DataNode, _ key: String) -> String? {
        guard let text = string(node, key) else { return nil }
        guard Self.isAbsolutePath(text) else {
            add(
                node.location, key, "pattern",
                ja: "/ で始まる絶対パスにしてください(英数字と ._/@:+- のみ、.. は不可)。",
                en: "must be an absolute path starting with / (letters, digits and ._/@:+- only, no ..).")
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
                ja: "systemd の資格情報名にしてください(例 outbox.key。英数字で始まり、英数字と ._- のみ、64 文字まで)。",
                en: "must be a systemd credential name (e.g. outbox.key: starts with a letter or digit; letters, digits and ._- only; at most 64).")
            return nil
        }
        return text
    }

    /// Lower-case words of letters and digits joined by single hyphens, starting with a letter.
    static func isSlug(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, ("a"..."z").contains(first), scalars.last != "-" else { return false }
        return zip(scalars, scalars.dropFirst()).allSatisfy { previous, scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || (scalar == "-" && previous != "-")
        }
    }

    /// A slug (`kasumi-honcho-01`): what ids and profile names look like.
    mutating func slug(_ node: DataNode, _ key: String, maxLength: Int = 64) -> String? {
        guard let text = string(node, key) else { return nil }
        guard Self.isSlug(text), text.utf8.count <= maxLength else {
            add(
                node.location, key, "pattern",
                ja: "小文字の英数字をハイフンでつないだ名前にしてください(例 kasumi-honcho-01。英字で始め、\(maxLength) 文字まで)。",
                en: "must be lower-case letters and digits joined by hyphens (e.g. kasumi-honcho-01; starts with a letter; at most \(maxLength)).")
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
                ja: "\(range.lowerBound) から \(range.upperBound) の整数にしてください。",
                en: "must be a whole number from \(range.lowerBound) to \(range.upperBound).")
            return nil
        }
        return Int(number)
    }

    /// A number (whole or not) in `range`.
    mutating func number(_ node: DataNode, _ key: String, _ range: ClosedRange<Double>) -> Double? {
        guard case .number(let number) = node.value, number.isFinite else {
            typeProblem(node, key, ja: "数", en: "a number")
            return nil
        }
        guard range.contains(number) else {
            let low = Self.decimal(range.lowerBound)
            let high = Self.decimal(range.upperBound)
            add(
                node.location, key, number < range.lowerBound ? "minimum" : "maximum",
                ja: "\(low) から \(high) の数にしてください。", en: "must be a number from \(low) to \(high).")
            return nil
        }
        return number
    }

    static func decimal(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// "a, b or c" and 「a、b、c のどれか」 (「a か b」 for two).
    static func choices(_ options: [String]) -> (ja: String, en: String) {
        switch options.count {
        case 0: return ("", "")
        case 1: return (options[0], options[0])
        case 2: return ("\(options[0]) か \(options[1])", "\(options[0]) or \(options[1])")
        default:
            return (
                options.joined(separator: "、") + " のどれか",
                options.dropLast().joined(separator: ", ") + " or " + options[options.count - 1]
            )
        }
    }

    /// One of `options`; `noun` names what they are (モード, a mode).
    mutating func choice<T: RawRepresentable>(_ node: DataNode, _ key: String, _ options: [T], noun: (ja: String, en: String)) -> T?
    where T.RawValue == String {
        guard let text = string(node, key) else { return nil }
        if let found = options.first(where: { $0.rawValue == text }) { return found }
        let list = Self.choices(options.map(\.rawValue))
        add(node.location, key, "enum", ja: "その\(noun.ja)は使えません。\(list.ja)にしてください。", en: "not \(noun.en); use \(list.en).")
        return nil
    }

    /// A list of `item`s, unique, at least one; each wrong item is reported at its place.
    mutating func list<T: Hashable>(_ node: DataNode, _ key: String, item: (inout ConfigTable, DataNode) -> T?) -> [T]? {
        guard case .array(let items) = node.value else {
            typeProblem(node, key, ja: "リスト", en: "a list")
            return nil
        }
        guard !items.isEmpty else {
            add(node.location, key, "minItems", ja: "一つ以上書いてください。", en: "must name at least one.")
            return nil
        }
        var values: [T] = []
        var fine = true
        for element in items {
            guard let value = item(&self, element) else {
                fine = false
                continue
            }
            if values.contains(value) {
                add(element.location, key, "uniqueItems", ja: "同じものを二度書かないでください。", en: "names the same one twice.")
                fine = false
            }
            values.append(value)
        }
        return fine ? values : nil
    }

    /// `HH:MM`, 00:00 to 23:59.
    mutating func timeOfDay(_ node: DataNode, _ key: String) -> TimeOfDay? {
        guard let text = string(node, key) else { return nil }
        guard let time = TimeOfDay(text) else {
            add(node.location, key, "pattern", ja: "時刻を HH:MM(00:00〜23:59、例 21:00)で書いてください。", en: "must be a time as HH:MM (00:00 to 23:59, e.g. 21:00).")
            return nil
        }
        return time
    }

    /// A sub-table such as `[printer.a4]`: its members, or nil (reported) when it is not a table.
    mutating func table(_ node: DataNode, _ key: String) -> [DataNode.Member]? {
        guard case .object(let members) = node.value else {
            let header = name.map { "[\($0).\(key)]" } ?? "[\(key)]"
            add(node.location, key, "type", ja: "表(テーブル \(header))にしてください。", en: "must be a table (\(header)).")
            return nil
        }
        return members
    }

    /// A secret written into the file itself: refused, and its value never repeated.
    /// `file` and `credential` are the keys that name where it goes instead.
    mutating func secretInFile(_ member: DataNode.Member, what: (ja: String, en: String), file: String, credential: String?) {
        if let credential {
            add(
                member.keyLocation, member.key, "not",
                ja: "設定ファイルに\(what.ja)を書かないでください。\(file) か \(credential) でファイルか systemd の資格情報を指定してください。",
                en: "never write \(what.en) in this file; name a file with \(file) or a systemd credential with \(credential).")
        } else {
            add(
                member.keyLocation, member.key, "not",
                ja: "設定ファイルに\(what.ja)を書かないでください。\(file) でファイルを指定してください。",
                en: "never write \(what.en) in this file; name a file with \(file).")
        }
    }

    /// `[name]` is there but is not a table.
    static func notATable(_ node: DataNode, _ name: String) -> SchemaViolation {
        SchemaViolation(
            instancePath: JSONPointer.appending("", name), location: node.location, keyword: "type",
            message: BilingualText(ja: "[\(name)]: 表(テーブル)にしてください。", en: "[\(name)]: must be a table."))
    }
}

/// A local time of day, `HH:MM`.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 0…23.
    public var hour: Int
    /// 0…59.
    public var minute: Int

    /// A time; nil outside 00:00…23:59.
    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Reads `HH:MM` (two digits each); nil for anything else.
    public init?(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 5, scalars[2] == ":" else { return nil }
        let digits = [scalars[0], scalars[1], scalars[3], scalars[4]].map { ("0"..."9").contains($0) ? Int($0.value - 48) : -1 }
        guard !digits.contains(-1) else { return nil }
        self.init(hour: digits[0] * 10 + digits[1], minute: digits[2] * 10 + digits[3])
    }

    /// Minutes since midnight.
    public var minutes: Int { hour * 60 + minute }

    /// `HH:MM`.
    public var description: String { (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)" }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutes < b.minutes }
}
