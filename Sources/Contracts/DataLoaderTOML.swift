// The format-choosing entry points and the TOML reader. They are the only parts of
// DataLoader that need TOMLKit; DataLoader.swift (YAML and JSON) stays free of it, so the
// YAML fuzz target (Fuzz/YAMLLoader.swift) can compile it without TOMLKit's C++.
import Foundation
import TOMLKit

extension DataLoader {
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
