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
        if let trap = TOMLAssertionTraps.first(in: text) {
            throw SyntaxError(location: FilePosition(file: file, line: trap.line, column: trap.column), reason: trap.reason)
        }
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

/// Malformed TOML on which toml++ 3.4 (inside TOMLKit 0.6) fails an `assert` instead of
/// reporting an error, which aborts any build without NDEBUG (debug builds, the tests). These
/// are found first and reported as the syntax errors they are:
///
/// - a table header whose first key does not start with a key character or a quote
///   (`[.kiosk]`, `[キオスク]`, `[ ,]`);
/// - `}` where an array expects a value (`forms = [}`, `[1, }`);
/// - a date with `T` and no time after it (`1979-05-27T:`).
///
/// Found by KioskConfigurationTests' garbage test. Strings and comments are skipped, so valid
/// TOML is never refused here.
enum TOMLAssertionTraps {
    static func first(in text: String) -> (line: Int, column: Int, reason: String)? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var atLineStart = true
        /// Open arrays (true) and inline tables (false), innermost last.
        var containers: [Bool] = []
        /// A value comes next (after `=`, `[` or `,` in an array).
        var valueNext = false

        func isKeyStart(_ scalar: Unicode.Scalar) -> Bool {
            ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
                || scalar == "\"" || scalar == "'"
        }
        func isDigit(_ position: Int) -> Bool { position < scalars.count && ("0"..."9").contains(scalars[position]) }
        func at(_ position: Int, _ reason: String) -> (line: Int, column: Int, reason: String) {
            var line = 1
            var start = 0
            for offset in 0..<min(position, scalars.count) where scalars[offset] == "\n" {
                line += 1
                start = offset + 1
            }
            return (line, position - start + 1, reason)
        }
        /// Skips blanks, and inside arrays newlines and comments too.
        func skipBlanks(_ position: Int, newlines: Bool) -> Int {
            var position = position
            while position < scalars.count {
                let scalar = scalars[position]
                if scalar == " " || scalar == "\t" || (newlines && (scalar == "\n" || scalar == "\r")) {
                    position += 1
                } else if newlines && scalar == "#" {
                    while position < scalars.count && scalars[position] != "\n" { position += 1 }
                } else {
                    break
                }
            }
            return position
        }
        /// Where a string that starts at `position` ends (after its closing quote).
        func endOfString(_ position: Int) -> Int {
            let quote = scalars[position]
            let triple = position + 2 < scalars.count && scalars[position + 1] == quote && scalars[position + 2] == quote
            var position = position + (triple ? 3 : 1)
            while position < scalars.count {
                let scalar = scalars[position]
                if quote == "\"" && scalar == "\\" {
                    position += 2
                    continue
                }
                if !triple && scalar == "\n" { return position }
                if scalar == quote {
                    if !triple { return position + 1 }
                    if position + 2 < scalars.count && scalars[position + 1] == quote && scalars[position + 2] == quote {
                        var end = position + 3
                        while end < scalars.count && scalars[end] == quote && end < position + 5 { end += 1 }  // """"" ends with quotes
                        return end
                    }
                }
                position += 1
            }
            return position
        }

        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\n":
                if containers.isEmpty {
                    atLineStart = true
                    valueNext = false
                }
                index += 1
            case " ", "\t", "\r":
                index += 1
            case "#":
                while index < scalars.count && scalars[index] != "\n" { index += 1 }
            case "\"", "'":
                index = endOfString(index)
                atLineStart = false
                valueNext = false
            case "[" where atLineStart && containers.isEmpty:
                var next = index + 1
                if next < scalars.count && scalars[next] == "[" { next += 1 }
                next = skipBlanks(next, newlines: false)
                if next >= scalars.count || !isKeyStart(scalars[next]) {
                    return at(next, "a table header must start with a key (letters, digits, _ and -, or a quoted key)")
                }
                atLineStart = false
                index = next
            case "[", "{":
                containers.append(scalar == "[")
                atLineStart = false
                valueNext = scalar == "["
                index += 1
                if scalar == "[" {
                    let next = skipBlanks(index, newlines: true)
                    if next < scalars.count && scalars[next] == "}" { return at(next, "expected a value or ']' in the array, saw '}'") }
                }
            case "]", "}":
                if !containers.isEmpty { containers.removeLast() }
                valueNext = false
                index += 1
            case ",":
                valueNext = containers.last == true
                index += 1
                if valueNext {
                    let next = skipBlanks(index, newlines: true)
                    if next < scalars.count && scalars[next] == "}" { return at(next, "expected a value or ']' in the array, saw '}'") }
                }
            case "=":
                valueNext = true
                atLineStart = false
                index += 1
            default:
                atLineStart = false
                if valueNext, isDigit(index), isDigit(index + 1), isDigit(index + 2), isDigit(index + 3), index + 10 < scalars.count,
                    scalars[index + 4] == "-", isDigit(index + 5), isDigit(index + 6), scalars[index + 7] == "-", isDigit(index + 8),
                    isDigit(index + 9), scalars[index + 10] == "T" || scalars[index + 10] == "t", !isDigit(index + 11)
                {
                    return at(index + 11, "a date-time needs a time (HH:MM:SS) after T")
                }
                valueNext = false
                // The rest of a bare key or value.
                while index < scalars.count, !" \t\r\n#=[]{},\"'".unicodeScalars.contains(scalars[index]) { index += 1 }
            }
        }
        return nil
    }
}
