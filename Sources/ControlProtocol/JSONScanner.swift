/// A strict RFC 8259 reader for one request line that remembers where every value starts,
/// so an error can say "at byte 27" instead of "the data couldn't be read".
///
/// JSONDecoder is the right tool for the responses the CLI reads from its own daemon;
/// requests come from anyone allowed on the socket, so they get this reader: byte offsets
/// in every error, nesting limited to `maximumDepth`, duplicate keys refused, nothing
/// echoed back.
struct JSONScanner {
    /// A parsed value and the byte offset where it starts.
    struct Located {
        var value: Value
        var offset: Int
    }

    indirect enum Value {
        case object([(key: String, keyOffset: Int, value: Located)])
        case array([Located])
        case string(String)
        case number
        case bool(Bool)
        case null

        /// "an object", "a number" …, for messages.
        var kind: BilingualKind {
            switch self {
            case .object: BilingualKind(ja: "オブジェクト", en: "an object")
            case .array: BilingualKind(ja: "配列", en: "an array")
            case .string: BilingualKind(ja: "文字列", en: "a string")
            case .number: BilingualKind(ja: "数値", en: "a number")
            case .bool: BilingualKind(ja: "真偽値", en: "a boolean")
            case .null: BilingualKind(ja: "null", en: "null")
            }
        }
    }

    struct BilingualKind {
        var ja: String
        var en: String
    }

    /// What the reader expected where it stopped.
    struct SyntaxError: Error {
        var offset: Int
        var expectedJA: String
        var expectedEN: String
    }

    static let maximumDepth = 16

    private let bytes: [UInt8]
    private var position = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses `bytes` (already known to be UTF-8) as exactly one JSON value with optional
    /// whitespace around it.
    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> Located {
        var scanner = JSONScanner(bytes)
        scanner.skipWhitespace()
        let value = try scanner.value(depth: 0)
        scanner.skipWhitespace()
        guard scanner.position == bytes.count else {
            throw SyntaxError(offset: scanner.position, expectedJA: "行の終わり", expectedEN: "the end of the line")
        }
        return value
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private func fail(_ ja: String, _ en: String) -> SyntaxError {
        SyntaxError(offset: position, expectedJA: ja, expectedEN: en)
    }

    private mutating func value(depth: Int) throws(SyntaxError) -> Located {
        let start = position
        guard position < bytes.count else { throw fail("値", "a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw fail("深さ \(Self.maximumDepth) までの入れ子", "nesting at most \(Self.maximumDepth) deep") }
            return Located(value: try object(depth: depth + 1), offset: start)
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw fail("深さ \(Self.maximumDepth) までの入れ子", "nesting at most \(Self.maximumDepth) deep") }
            return Located(value: try array(depth: depth + 1), offset: start)
        case UInt8(ascii: "\""):
            return Located(value: .string(try string()), offset: start)
        case UInt8(ascii: "t"):
            try literal("true")
            return Located(value: .bool(true), offset: start)
        case UInt8(ascii: "f"):
            try literal("false")
            return Located(value: .bool(false), offset: start)
        case UInt8(ascii: "n"):
            try literal("null")
            return Located(value: .null, offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
            return Located(value: .number, offset: start)
        default:
            throw fail("値(オブジェクト・配列・文字列・数値・true・false・null)", "a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let expected = word.withUTF8Buffer { Array($0) }
        for byte in expected {
            guard position < bytes.count, bytes[position] == byte else {
                throw fail("「\(word)」", "'\(word)'")
            }
            position += 1
        }
    }

    private mutating func digits() throws(SyntaxError) {
        guard position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) else {
            throw fail("数字", "a digit")
        }
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
    }

    private mutating func number() throws(SyntaxError) {
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        if position < bytes.count, bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            try digits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            try digits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            try digits()
        }
    }

    private mutating func hexQuad() throws(SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { throw fail("16 進数字 4 桁", "four hex digits") }
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("16 進数字 4 桁", "four hex digits")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func string() throws(SyntaxError) -> String {
        position += 1  // the opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flushRun(_ scanner: JSONScanner, upTo end: Int) {
            if end > runStart {
                scalars.append(contentsOf: String(decoding: scanner.bytes[runStart..<end], as: UTF8.self).unicodeScalars)
            }
        }
        while true {
            guard position < bytes.count else { throw fail("文字列を閉じる「\"」", "a closing '\"'") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                flushRun(self, upTo: position)
                position += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flushRun(self, upTo: position)
                position += 1
                guard position < bytes.count else { throw fail("エスケープ文字", "an escape character") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let escapeStart = position - 2
                    var code = try hexQuad()
                    if (0xD800...0xDBFF).contains(code) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                            bytes[position + 1] == UInt8(ascii: "u")
                        else { throw fail("サロゲートペアの後半 \\uDC00–\\uDFFF", "the low surrogate \\uDC00–\\uDFFF of a pair") }
                        position += 2
                        let low = try hexQuad()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            position -= 6
                            throw fail("サロゲートペアの後半 \\uDC00–\\uDFFF", "the low surrogate \\uDC00–\\uDFFF of a pair")
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else {
                        position = escapeStart
                        throw fail("対になったサロゲート", "a paired surrogate")
                    }
                    scalars.append(scalar)
                default:
                    position -= 1
                    throw fail("エスケープ \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", "an escape \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
                }
                runStart = position
            case 0x00..<0x20:
                throw fail("制御文字ではない文字(\\n などでエスケープ)", "a character that is not a control character (escape it, e.g. \\n)")
            default:
                position += 1
            }
        }
    }

    private mutating func array(depth: Int) throws(SyntaxError) -> Value {
        position += 1
        var elements: [Located] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard position < bytes.count else { throw fail("「,」か「]」", "',' or ']'") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            } else {
                throw fail("「,」か「]」", "',' or ']'")
            }
        }
    }

    private mutating func object(depth: Int) throws(SyntaxError) -> Value {
        position += 1
        var members: [(key: String, keyOffset: Int, value: Located)] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw fail("項目名の文字列(\"command\" など)", "a member name in quotes (such as \"command\")")
            }
            let keyOffset = position
            let key = try string()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw fail("「:」", "':'") }
            position += 1
            skipWhitespace()
            members.append((key: key, keyOffset: keyOffset, value: try value(depth: depth)))
            skipWhitespace()
            guard position < bytes.count else { throw fail("「,」か「}」", "',' or '}'") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            } else {
                throw fail("「,」か「}」", "',' or '}'")
            }
        }
    }
}
