import Foundation
import Yams

/// A file that could not be read as JSON, YAML or TOML at all.
public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the parser stopped.
    public var location: FilePosition
    /// The parser's own explanation (English; the format's terms).
    public var reason: String

    /// The contract's error line in one language: `file:line:col: error: <sentence>`.
    public func line(in language: MessageLanguage) -> String {
        switch language {
        case .japanese: "\(location): error: 書式の誤りで読めません(\(reason))。この箇所を直してください。"
        case .english: "\(location): error: cannot be read: \(reason). Fix the text at this place."
        }
    }

    /// The Japanese line, then the English line.
    public var description: String { line(in: .japanese) + "\n" + line(in: .english) }
}

/// Reads JSON, YAML and TOML into `DataNode`s with source positions.
///
/// YAML follows the JSON data model and the YAML 1.2 core schema here: plain scalars that
/// look like dates (`2026-04-01`) stay strings, since JSON Schema has no date type; only
/// `true`/`false` are booleans (`yes`, `on` stay text); integers are decimal (`012` is 12); anchors resolve
/// (bounded, see below) but merge keys are not applied: `<<` stays an ordinary key, which
/// the form contracts then reject. JSON is read by the YAML parser (JSON is YAML), which gives JSON
/// files line and column numbers too. `load(_:file:)`, `load(contentsOf:)` and TOML live in
/// DataLoaderTOML.swift, the only part that needs TOMLKit.
public enum DataLoader {
    /// How deep values may nest. libyaml stops at 1000 levels of brackets and indentation,
    /// but an alias inside a nested value adds the aliased value's depth, so a chain of
    /// aliases nests without bound and would overflow the stack of every recursive reader.
    /// Contracts nest about ten deep.
    public static let maximumDepth = 200
    /// How many values a YAML document may hold once aliases are expanded. Each alias
    /// repeats its anchor's whole value, so a few lines of nested aliases ("billion laughs")
    /// expand to billions of values; contracts hold a few thousand.
    public static let maximumValues = 100_000
    /// How many aliases a YAML document may use. Yams builds and frees its node tree
    /// recursively, and each alias in a chain (`&b [*a]`, `&c [*b]`, …) nests the tree one
    /// level deeper; 50 000 to 100 000 of them overflow an 8 MiB stack inside Yams (fewer
    /// on smaller thread stacks), before `maximumDepth` is checked. So aliases are counted
    /// in the text first.
    public static let maximumAliases = 1_000

    // MARK: YAML and JSON

    /// Reads YAML (or JSON) text; an empty document is `null`.
    public static func loadYAML(_ text: String, file: String) throws(SyntaxError) -> DataNode {
        if let position = aliasBeyondLimit(in: text) {
            throw SyntaxError(
                location: FilePosition(file: file, line: position.line, column: position.column),
                reason: "more than \(maximumAliases) aliases (*name) in one document")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file, text: text)
        } catch {
            throw SyntaxError(location: FilePosition(file: file), reason: "\(error)")
        }
        guard let root else { return DataNode(.null, at: FilePosition(file: file, line: 1, column: 1)) }
        var values = 0
        return try convert(root, file: file, depth: 1, values: &values)
    }

    /// Where the alias after the first `maximumAliases` stands, or nil. Counts every `*`
    /// that starts a node (first on its line, or after `-`, `?`, `:`, `[`, `{` or `,`)
    /// and is followed by a name, so it may over-count (`* text` never counts, `*text` at
    /// the start of a line in a block scalar does) but never under-counts.
    static func aliasBeyondLimit(in text: String) -> (line: Int, column: Int)? {
        var aliases = 0
        var line = 1
        var column = 0
        var previous: Unicode.Scalar?  // the last scalar on this line that is not a blank
        var star: (line: Int, column: Int)?  // a `*` that starts a node, waiting for its name
        var afterCarriageReturn = false
        for scalar in text.unicodeScalars {
            let isBreak = scalar == "\n" || scalar == "\r" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}"
            if let position = star {
                star = nil
                if !isBreak && scalar != " " && scalar != "\t" {
                    aliases += 1
                    if aliases > maximumAliases { return position }
                }
            }
            if isBreak {
                if !(scalar == "\n" && afterCarriageReturn) { line += 1 }
                afterCarriageReturn = scalar == "\r"
                column = 0
                previous = nil
                continue
            }
            afterCarriageReturn = false
            column += 1
            if scalar == " " || scalar == "\t" { continue }
            if scalar == "*", previous.map({ "-?:[{,".unicodeScalars.contains($0) }) ?? true {
                star = (line, column)
            }
            previous = scalar
        }
        return nil
    }

    private static func syntaxError(_ error: YamlError, file: String, text: String) -> SyntaxError {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the mapping; point at the second occurrence of the key instead.
            let key = duplicates.sorted().first ?? ""
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let hits = lines.indices.filter { index in
                index + 1 >= context.mark.line
                    && lines[index].trimmingCharacters(in: .whitespaces).hasPrefix(key)
                    && lines[index].trimmingCharacters(in: .whitespaces).dropFirst(key.count)
                        .trimmingCharacters(in: .whitespaces).hasPrefix(":")
            }
            let line = hits.count > 1 ? hits[1] + 1 : context.mark.line
            return SyntaxError(
                location: FilePosition(file: file, line: line, column: nil),
                reason: "the key \"\(key)\" appears twice in one mapping")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let reason = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return SyntaxError(location: FilePosition(file: file, line: mark.line, column: mark.column), reason: reason)
        case .composer(let context, let problem, let mark, _):
            let reason = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return SyntaxError(location: FilePosition(file: file, line: mark.line, column: mark.column), reason: reason)
        default:
            return SyntaxError(location: FilePosition(file: file), reason: "\(error)")
        }
    }

    private static func convert(_ node: Node, file: String, depth: Int, values: inout Int) throws(SyntaxError) -> DataNode {
        let location = FilePosition(file: file, line: node.mark?.line, column: node.mark?.column)
        guard depth <= maximumDepth else {
            throw SyntaxError(location: location, reason: "values nest more than \(maximumDepth) levels deep (counting what aliases repeat)")
        }
        values += 1
        guard values <= maximumValues else {
            throw SyntaxError(location: location, reason: "the document holds more than \(maximumValues) values once aliases are expanded")
        }
        switch node {
        case .scalar(let scalar):
            return DataNode(scalarValue(scalar, tag: node.tag.description), at: location)
        case .sequence(let sequence):
            var items: [DataNode] = []
            for item in sequence { items.append(try convert(item, file: file, depth: depth + 1, values: &values)) }
            return DataNode(.array(items), at: location)
        case .mapping(let mapping):
            var members: [DataNode.Member] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw SyntaxError(
                        location: FilePosition(file: file, line: key.mark?.line, column: key.mark?.column),
                        reason: "a key must be plain text, not a list or a mapping")
                }
                if members.contains(where: { $0.key == keyScalar.string }) {
                    throw SyntaxError(
                        location: FilePosition(file: file, line: key.mark?.line, column: key.mark?.column),
                        reason: "the key \"\(keyScalar.string)\" appears twice")
                }
                members.append(
                    DataNode.Member(
                        key: keyScalar.string, value: try convert(value, file: file, depth: depth + 1, values: &values),
                        keyLocation: FilePosition(file: file, line: key.mark?.line, column: key.mark?.column)))
            }
            return DataNode(.object(members), at: location)
        case .alias:
            throw SyntaxError(location: location, reason: "an unresolved alias")
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar, tag: String) -> DataNode.Value {
        switch tag {
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue:
            // YAML 1.2 core schema: only true and false; yes, no, on, off stay text.
            switch scalar.string {
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: return .string(scalar.string)
            }
        case Tag.Name.int.rawValue:
            // Decimal only (012 is twelve); 0x, 0o, 0b and 1_000 stay text.
            let digits = scalar.string.hasPrefix("-") || scalar.string.hasPrefix("+") ? scalar.string.dropFirst() : Substring(scalar.string)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let int = Int(scalar.string) else {
                return .string(scalar.string)
            }
            return .number(Double(int))
        case Tag.Name.float.rawValue:
            if let double = Double.construct(from: scalar), double.isFinite { return .number(double) }
            return .string(scalar.string)
        default:
            return .string(scalar.string)  // str, timestamp and anything else stay text
        }
    }
}
