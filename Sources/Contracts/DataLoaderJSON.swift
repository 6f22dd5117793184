public import Foundation

extension DataLoader {
    /// Reads JSON from outside (an HTTP body) without source positions: every node is at
    /// `file` alone. Unlike `loadYAML`, it takes every valid JSON text, surrogate-pair
    /// escapes (`\ud842\udfb7`, 𠮷) included, which libyaml refuses; object members keep
    /// no particular order. Nesting is bounded by `maximumDepth` as in YAML.
    public static func loadJSON(_ data: Data, file: String) throws(SyntaxError) -> DataNode {
        do {
            return try JSONDecoder().decode(JSONNode.self, from: data).node(file: file, depth: 1)
        } catch let error as SyntaxError {
            throw error
        } catch DecodingError.dataCorrupted(let context) {
            throw SyntaxError(location: FilePosition(file: file), reason: context.debugDescription)
        } catch {
            throw SyntaxError(location: FilePosition(file: file), reason: "not valid JSON")
        }
    }
}

/// One JSON value as JSONDecoder reads it: booleans apart from numbers, as JSON Schema needs.
private indirect enum JSONNode: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONNode]), object([(String, JSONNode)])

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            self = .object(try container.allKeys.map { ($0.stringValue, try container.decode(JSONNode.self, forKey: $0)) })
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var items: [JSONNode] = []
            while !container.isAtEnd { items.append(try container.decode(JSONNode.self)) }
            self = .array(items)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    func node(file: String, depth: Int) throws(SyntaxError) -> DataNode {
        let here = FilePosition(file: file)
        guard depth <= DataLoader.maximumDepth else {
            throw SyntaxError(location: here, reason: "values nest deeper than \(DataLoader.maximumDepth) levels")
        }
        switch self {
        case .null: return DataNode(.null, at: here)
        case .bool(let value): return DataNode(.bool(value), at: here)
        case .number(let value): return DataNode(.number(value), at: here)
        case .string(let value): return DataNode(.string(value), at: here)
        case .array(let items):
            var nodes: [DataNode] = []
            for item in items { nodes.append(try item.node(file: file, depth: depth + 1)) }
            return DataNode(.array(nodes), at: here)
        case .object(let members):
            var result: [DataNode.Member] = []
            for (key, value) in members.sorted(by: { $0.0 < $1.0 }) {
                result.append(DataNode.Member(key: key, value: try value.node(file: file, depth: depth + 1)))
            }
            return DataNode(.object(result), at: here)
        }
    }
}
