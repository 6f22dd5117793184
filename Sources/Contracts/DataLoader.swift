import Foundation
import TOMLKit
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
/// YAML follows the JSON data model here: plain scalars that look like dates
/// (`2026-04-01`) stay strings, since JSON Schema has no date type; anchors and merge keys
/// resolve as usual. JSON is read by the YAML parser (JSON is YAML), which gives JSON
/// files line and column numbers too.
public enum DataLoader {
    /// Reads `text` as the format its file name ends with (`.json`, `.yaml`/`.yml`, `.toml`).
    /// - Parameter file: the name used in error locations.
    public static func load(_ text: String, file: String) throws(SyntaxError) -> DataNode {
        if file.hasSuffix(".toml") { return try loadTOML(text, file: file) }
        return try loadYAML(text, file: file)
    }

    /// Reads the file at `path`.
    public static func load(contentsOf path: String, displayName: String? = nil) throws(SyntaxError) -> DataNode {
        let name = displayName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyntaxError(location: FilePosition(file: name), reason: "the file cannot be opened")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SyntaxError(location: FilePosition(file: name), reason: "the file is not UTF-8 text")
        }
        return try load(text, file: name)
    }

    // MARK: YAML and JSON

    /// Reads YAML (or JSON) text; an empty document is `null`.
    public static func loadYAML(_ text: String, file: String) throws(SyntaxError) -> DataNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file, text: text)
        } catch {
            throw SyntaxError(location: FilePosition(file: file), reason: "\(error)")
        }
        guard let root else { return DataNode(.null, at: FilePosition(file: file, line: 1, column: 1)) }
        return try convert(root, file: file)
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

    private static func convert(_ node: Node, file: String) throws(SyntaxError) -> DataNode {
        let location = FilePosition(file: file, line: node.mark?.line, column: node.mark?.column)
        switch node {
        case .scalar(let scalar):
            return DataNode(scalarValue(scalar, tag: node.tag.description), at: location)
        case .sequence(let sequence):
            var items: [DataNode] = []
            for item in sequence { items.append(try convert(item, file: file)) }
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
                        key: keyScalar.string, value: try convert(value, file: file),
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
        case Tag.Name.bool.rawValue: return Bool.construct(from: scalar).map { .bool($0) } ?? .string(scalar.string)
        case Tag.Name.int.rawValue:
            if let int = Int.construct(from: scalar) { return .number(Double(int)) }
            return .string(scalar.string)
        case Tag.Name.float.rawValue:
            if let double = Double.construct(from: scalar), double.isFinite { return .number(double) }
            return .string(scalar.string)
        default:
            return .string(scalar.string)  // str, timestamp and anything else stay text
        }
    }

    // MARK: TOML

    /// Reads TOML text. TOMLKit reports no positions for values, so each key's line is
    /// found in the text by its table header and `key =`.
    public static func loadTOML(_ text: String, file: String) throws(SyntaxError) -> DataNode {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw SyntaxError(
                location: FilePosition(file: file, line: error.source.begin.line, column: error.source.begin.column),
                reason: error.description)
        } catch {
            throw SyntaxError(location: FilePosition(file: file), reason: "\(error)")
        }
        let lines = TOMLLineIndex(text)
        return convert(table, pointer: "", file: file, lines: lines)
    }

    private static func convert(_ table: TOMLTable, pointer: String, file: String, lines: TOMLLineIndex) -> DataNode {
        let members = table.keys.sorted { lines.line(of: JSONPointer.appending(pointer, $0)) ?? .max < lines.line(of: JSONPointer.appending(pointer, $1)) ?? .max }
            .compactMap { key -> DataNode.Member? in
                guard let value = table[key] else { return nil }
                let child = JSONPointer.appending(pointer, key)
                return DataNode.Member(key: key, value: convert(value, pointer: child, file: file, lines: lines))
            }
        return DataNode(.object(members), at: FilePosition(file: file, line: lines.line(of: pointer) ?? (pointer.isEmpty ? 1 : nil), column: 1))
    }

    private static func convert(
        _ value: any TOMLValueConvertible, pointer: String, file: String, lines: TOMLLineIndex
    ) -> DataNode {
        let location = FilePosition(file: file, line: lines.line(of: pointer), column: lines.line(of: pointer) == nil ? nil : 1)
        switch value.type {
        case .table:
            return convert(value.table!, pointer: pointer, file: file, lines: lines)
        case .array:
            let items = value.array!.enumerated().map { index, item in
                var child = convert(item, pointer: JSONPointer.appending(pointer, String(index)), file: file, lines: lines)
                if child.location.line == nil { child.location = location }
                return child
            }
            return DataNode(.array(items), at: location)
        case .string: return DataNode(.string(value.string ?? ""), at: location)
        case .int: return DataNode(.number(Double(value.int ?? 0)), at: location)
        case .double: return DataNode(.number(value.double ?? 0), at: location)
        case .bool: return DataNode(.bool(value.bool ?? false), at: location)
        case .date:
            let date = value.date!
            return DataNode(.string(String(format: "%04d-%02d-%02d", date.year, date.month, date.day)), at: location)
        case .time, .dateTime:
            return DataNode(.string("\(value.tomlValue)"), at: location)
        }
    }
}

/// Finds the line of a TOML key from its JSON pointer: the table header (`[a.b]`, or the
/// n-th `[[a.b]]`) then the `key =` line under it. A heuristic for error messages only.
struct TOMLLineIndex {
    private var lineOfPointer: [String: Int] = [:]

    init(_ text: String) {
        var current = ""
        var arrayCounts: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let number = index + 1
            if line.hasPrefix("[[") , let end = line.range(of: "]]") {
                let name = String(line[line.index(line.startIndex, offsetBy: 2)..<end.lowerBound])
                let base = Self.pointer(forDotted: name)
                let position = arrayCounts[base, default: 0]
                arrayCounts[base] = position + 1
                current = base + "/\(position)"
                lineOfPointer[current] = lineOfPointer[current] ?? number
                lineOfPointer[base] = lineOfPointer[base] ?? number
            } else if line.hasPrefix("["), let end = line.firstIndex(of: "]") {
                current = Self.pointer(forDotted: String(line[line.index(after: line.startIndex)..<end]))
                lineOfPointer[current] = lineOfPointer[current] ?? number
            } else if !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") {
                let key = line[..<equals].trimmingCharacters(in: .whitespaces)
                guard !key.isEmpty else { continue }
                let pointer = current + Self.pointer(forDotted: key)
                lineOfPointer[pointer] = lineOfPointer[pointer] ?? number
            }
        }
    }

    /// `a.b` (or `"a.b"`) as `/a/b`.
    static func pointer(forDotted dotted: String) -> String {
        dotted.split(separator: ".").map { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            let unquoted = trimmed.count >= 2 && (trimmed.hasPrefix("\"") && trimmed.hasSuffix("\""))
                ? String(trimmed.dropFirst().dropLast()) : trimmed
            return JSONPointer.appending("", unquoted)
        }.joined()
    }

    func line(of pointer: String) -> Int? {
        var candidate = pointer
        while true {
            if let line = lineOfPointer[candidate] { return line }
            guard let slash = candidate.lastIndex(of: "/") else { return nil }
            candidate = String(candidate[..<slash])
            if candidate.isEmpty { return nil }
        }
    }
}
