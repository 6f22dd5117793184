/// Where a value stands in its source file: 1-based line and column.
public struct FilePosition: Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (relative paths stay relative).
    public var file: String
    /// Line, from 1; nil when the format gives no positions.
    public var line: Int?
    /// Column, from 1 (in Unicode scalars).
    public var column: Int?

    /// Creates a location.
    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, or `file:line`, or `file`.
    public var description: String {
        switch (line, column) {
        case let (line?, column?): "\(file):\(line):\(column)"
        case let (line?, nil): "\(file):\(line)"
        default: file
        }
    }
}

/// A JSON-shaped value read from JSON, YAML or TOML, with where each part came from.
///
/// Every contract (form bundles, answer files, configuration, device profiles) is checked
/// on this one shape, so one validator serves every format and every error can point at a
/// line and column.
public struct DataNode: Sendable, Hashable {
    /// The value.
    public indirect enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        /// Any number; `isInteger` when it has no fractional part (JSON Schema's rule).
        case number(Double)
        case string(String)
        case array([DataNode])
        /// Members in source order.
        case object([Member])
    }

    /// One key of an object and its value.
    public struct Member: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The value.
        public var value: DataNode
        /// Where the key itself stands (unknown keys are reported here).
        public var keyLocation: FilePosition

        /// Creates a member; the key's position defaults to the value's.
        public init(key: String, value: DataNode, keyLocation: FilePosition? = nil) {
            self.key = key
            self.value = value
            self.keyLocation = keyLocation ?? value.location
        }
    }

    /// The value.
    public var value: Value
    /// Where it starts in its file.
    public var location: FilePosition

    /// Creates a node.
    public init(_ value: Value, at location: FilePosition) {
        self.value = value
        self.location = location
    }

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> DataNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The node at a JSON pointer (`/questions/0/type`; `""` is this node), or nil.
    public func node(at pointer: String) -> DataNode? {
        var current = self
        for token in JSONPointer.tokens(pointer) {
            switch current.value {
            case .object:
                guard let next = current[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// JSON Schema's name for the value's type (`integer` for whole numbers).
    public var typeName: String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number(let number): number.rounded() == number && number.isFinite ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Equality as JSON Schema's `const` and `enum` see it: numbers by value, objects
    /// regardless of member order, locations ignored.
    public func jsonEquals(_ other: DataNode) -> Bool {
        switch (value, other.value) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.jsonEquals($1) }
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { member in
                b.first { $0.key == member.key }.map { member.value.jsonEquals($0.value) } ?? false
            }
        default: return false
        }
    }
}

/// RFC 6901 JSON pointers.
///
/// Pointers are split and escaped by Unicode scalars, not Characters: a key that starts
/// with a combining mark (U+0301, U+0596, …) joins the `/` before it into one Character,
/// which a Character-wise split would not see.
public enum JSONPointer {
    /// The unescaped reference tokens of `pointer` (`""` → none).
    public static func tokens(_ pointer: String) -> [String] {
        guard !pointer.isEmpty else { return [] }
        return pointer.unicodeScalars.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { escaped in
            var token = String.UnicodeScalarView()
            var tilde = false
            for scalar in escaped {
                if tilde {
                    tilde = false
                    switch scalar {
                    case "0": token.append("~"); continue
                    case "1": token.append("/"); continue
                    default: token.append("~")  // not an escape: keep the `~` as it stands
                    }
                }
                if scalar == "~" { tilde = true } else { token.append(scalar) }
            }
            if tilde { token.append("~") }
            return String(token)
        }
    }

    /// `pointer` extended by `token`, escaped.
    public static func appending(_ pointer: String, _ token: String) -> String {
        // Most keys need no escape: join them as they are.
        if !token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) {
            return pointer + "/" + token
        }
        var result = pointer.unicodeScalars
        result.append("/")
        for scalar in token.unicodeScalars {
            switch scalar {
            case "~": result.append(contentsOf: "~0".unicodeScalars)
            case "/": result.append(contentsOf: "~1".unicodeScalars)
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
