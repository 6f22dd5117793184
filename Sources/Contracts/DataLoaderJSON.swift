public import Foundation

extension DataLoader {
    /// Reads JSON from outside (an HTTP body) without source positions: every node is at
    /// `file` alone. Strict RFC 8259: one value, no byte order mark, no comments, no trailing
    /// commas, no raw control characters in strings, valid UTF-8, no lone surrogates, and no
    /// key twice in one object. Unlike `loadYAML`, it takes surrogate-pair escapes
    /// (`\ud842\udfb7`, 𠮷), which libyaml refuses. Object members are sorted by key.
    /// Nesting is bounded by `maximumDepth` as in YAML.
    ///
    /// Written by hand because the reference receiver reads every body with it: Foundation's
    /// JSONDecoder offers no way to ask a value's kind, and trying kinds one after another
    /// cost more than the rest of a request together.
    public static func loadJSON(_ data: Data, file: String) throws(SyntaxError) -> DataNode {
        let result: Result<DataNode, SyntaxError> = data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self), file: file)
            do throws(SyntaxError) {
                return .success(try parser.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// A recursive-descent reader of one JSON text into `DataNode`s.
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let here: FilePosition
    var offset = 0

    init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        here = FilePosition(file: file)
    }

    func fail(_ reason: String) -> SyntaxError {
        SyntaxError(location: here, reason: reason)
    }

    /// The byte at `offset` for messages: a printable ASCII character, else its hex value.
    func found() -> String {
        guard offset < bytes.count else { return "the end of the text" }
        let byte = bytes[offset]
        return (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))' at byte \(offset)" : "byte 0x\(String(byte, radix: 16, uppercase: true)) at byte \(offset)"
    }

    mutating func document() throws(SyntaxError) -> DataNode {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw fail("the text starts with a byte order mark; JSON must not (RFC 8259 §8.1)")
        }
        skipWhitespace()
        let node = try value(depth: 1)
        skipWhitespace()
        guard offset == bytes.count else { throw fail("expected the end of the text after the value, found \(found())") }
        return node
    }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(SyntaxError) -> DataNode {
        guard depth <= DataLoader.maximumDepth else {
            throw fail("values nest deeper than \(DataLoader.maximumDepth) levels")
        }
        guard offset < bytes.count else { throw fail("expected a value, found the end of the text") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return DataNode(.string(try string()), at: here)
        case UInt8(ascii: "t"): try literal("true"); return DataNode(.bool(true), at: here)
        case UInt8(ascii: "f"): try literal("false"); return DataNode(.bool(false), at: here)
        case UInt8(ascii: "n"): try literal("null"); return DataNode(.null, at: here)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return DataNode(.number(try number()), at: here)
        default: throw fail("expected a value, found \(found())")
        }
    }

    mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let start = offset
        let count = word.utf8CodeUnitCount
        guard bytes.count - offset >= count else { throw fail("expected \(word) at byte \(start)") }
        for index in 0..<count where bytes[offset + index] != word.utf8Start[index] {
            throw fail("expected \(word) at byte \(start)")
        }
        offset += count
    }

    mutating func object(depth: Int) throws(SyntaxError) -> DataNode {
        offset += 1  // {
        var members: [DataNode.Member] = []
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            return DataNode(.object([]), at: here)
        }
        while true {
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                throw fail("expected a key in double quotes, found \(found())")
            }
            let keyOffset = offset
            let key = try string()
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
                throw fail("expected ':' after the key at byte \(keyOffset), found \(found())")
            }
            offset += 1
            skipWhitespace()
            members.append(DataNode.Member(key: key, value: try value(depth: depth + 1)))
            skipWhitespace()
            guard offset < bytes.count else { throw fail("the object is not closed: expected ',' or '}', found the end of the text") }
            if bytes[offset] == UInt8(ascii: ",") {
                offset += 1
                skipWhitespace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") { throw fail("trailing comma before byte \(offset)") }
                continue
            }
            guard bytes[offset] == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in the object, found \(found())") }
            offset += 1
            break
        }
        members.sort { $0.key < $1.key }
        for index in members.indices.dropFirst() where members[index].key == members[index - 1].key {
            throw fail("an object has the key \"\(members[index].key.prefix(64))\" twice")
        }
        return DataNode(.object(members), at: here)
    }

    mutating func array(depth: Int) throws(SyntaxError) -> DataNode {
        offset += 1  // [
        var items: [DataNode] = []
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            return DataNode(.array([]), at: here)
        }
        while true {
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            guard offset < bytes.count else { throw fail("the array is not closed: expected ',' or ']', found the end of the text") }
            if bytes[offset] == UInt8(ascii: ",") {
                offset += 1
                skipWhitespace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") { throw fail("trailing comma before byte \(offset)") }
                continue
            }
            guard bytes[offset] == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in the array, found \(found())") }
            offset += 1
            return DataNode(.array(items), at: here)
        }
    }

    /// A string from its opening quote; `offset` ends past the closing one.
    mutating func string() throws(SyntaxError) -> String {
        let start = offset
        offset += 1  // "
        var runStart = offset
        var decoded: [UInt8] = []
        var escaped = false
        while true {
            guard offset < bytes.count else { throw fail("the string that starts at byte \(start) is not closed") }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 {
                throw fail("a control character (0x\(String(byte, radix: 16, uppercase: true))) at byte \(offset) must be escaped")
            }
            if byte != UInt8(ascii: "\\") {
                offset += 1
                continue
            }
            if !escaped {
                escaped = true
                decoded.reserveCapacity(offset - runStart + 16)
            }
            decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
            offset += 1
            guard offset < bytes.count else { throw fail("the string that starts at byte \(start) is not closed") }
            let escape = bytes[offset]
            offset += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                let escapeOffset = offset - 2
                var scalar = UInt32(try hex4())
                if (0xD800...0xDBFF).contains(scalar) {
                    guard bytes.count - offset >= 6, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                        throw fail("the escape at byte \(escapeOffset) is half of a surrogate pair without its other half")
                    }
                    offset += 2
                    let low = UInt32(try hex4())
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw fail("the escape at byte \(escapeOffset) is half of a surrogate pair without its other half")
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail("the escape at byte \(escapeOffset) is half of a surrogate pair without its other half")
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw fail("the escape at byte \(escapeOffset) is not a character") }
                decoded.append(contentsOf: UTF8.encode(unicode)!)
            default:
                throw fail("'\\\(Character(Unicode.Scalar(escape)))' at byte \(offset - 2) is not a JSON escape")
            }
            runStart = offset
        }
        let end = offset
        offset += 1  // "
        let text: String?
        if escaped {
            decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end]))
            text = String(validating: decoded, as: UTF8.self)
        } else {
            text = String(validating: UnsafeBufferPointer(rebasing: bytes[runStart..<end]), as: UTF8.self)
        }
        guard let text else { throw fail("the string that starts at byte \(start) is not valid UTF-8") }
        return text
    }

    mutating func hex4() throws(SyntaxError) -> UInt16 {
        guard bytes.count - offset >= 4 else { throw fail("\\u at byte \(offset - 2) needs four hex digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("\\u needs four hex digits; found \(found())")
            }
            value = value << 4 | UInt16(digit)
            offset += 1
        }
        return value
    }

    /// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    mutating func number() throws(SyntaxError) -> Double {
        let start = offset
        func digits() -> Int {
            let from = offset
            while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
            return offset - from
        }
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) else {
            throw fail("the number at byte \(start) needs a digit, found \(found())")
        }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
            if offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) {
                throw fail("the number at byte \(start) has a leading zero")
            }
        } else {
            _ = digits()
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits() > 0 else { throw fail("the number at byte \(start) needs digits after '.'") }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { throw fail("the number at byte \(start) needs digits in its exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        guard let number = Double(text), number.isFinite else {
            throw fail("the number at byte \(start) is too large")
        }
        return number
    }
}
