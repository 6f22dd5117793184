/// One BER-TLV element (ISO/IEC 8825-1 as smart cards use it): a tag of one or more bytes,
/// a length in short or long form, and a value that may hold nested elements.
public struct BERTLV: Sendable, Hashable {
    /// The tag as its bytes read big-endian (`0xFF20`, `0xDF22`, `0x30`).
    public let tag: UInt32
    /// The value bytes.
    public let value: [UInt8]
    /// Offset of the tag's first byte in the parsed buffer.
    public let offset: Int
    /// Offset just past the value.
    public let end: Int

    /// Whether the tag says the value holds nested elements (bit 6 of the first tag byte).
    public var isConstructed: Bool {
        var first = tag
        while first > 0xFF { first >>= 8 }
        return first & 0x20 != 0
    }

    /// The nested elements of a constructed value.
    /// - Throws: `TLVError` with offsets relative to the outer buffer.
    public func children() throws(TLVError) -> [BERTLV] {
        try Self.parseAll(value, base: offset + (end - offset - value.count))
    }

    /// Reads one element at `offset` of `bytes`.
    /// - Parameter base: added to every offset in errors and results (for nested parsing).
    /// - Throws: `TLVError` naming the offset where the bytes stopped making sense.
    public static func parse(_ bytes: [UInt8], at offset: Int = 0, base: Int = 0) throws(TLVError) -> BERTLV {
        var index = offset
        func next(_ what: TLVError.Part) throws(TLVError) -> UInt8 {
            guard index < bytes.count else { throw TLVError.truncated(part: what, offset: base + index) }
            defer { index += 1 }
            return bytes[index]
        }
        let start = index
        let first = try next(.tag)
        var tag = UInt32(first)
        if first & 0x1F == 0x1F {  // multi-byte tag: more bytes while bit 8 is set
            var count = 1
            while true {
                let byte = try next(.tag)
                count += 1
                guard count <= 4 else { throw TLVError.tagTooLong(offset: base + start) }
                tag = tag << 8 | UInt32(byte)
                if byte & 0x80 == 0 { break }
            }
        }
        let lengthOffset = index
        let lengthByte = try next(.length)
        var length: Int
        switch lengthByte {
        case 0x00...0x7F:
            length = Int(lengthByte)
        case 0x81...0x84:
            length = 0
            for _ in 0..<Int(lengthByte & 0x7F) { length = length << 8 | Int(try next(.length)) }
        default:  // 0x80 (indefinite) and 0x85… are not used by ISO 7816 cards
            throw TLVError.unsupportedLength(byte: lengthByte, offset: base + lengthOffset)
        }
        guard length <= bytes.count - index else {
            throw TLVError.valueOverrunsBuffer(
                tag: tag, length: length, available: bytes.count - index, offset: base + lengthOffset)
        }
        let value = Array(bytes[index..<(index + length)])
        return BERTLV(tag: tag, value: value, offset: base + start, end: base + index + length)
    }

    /// Reads consecutive elements filling all of `bytes`.
    public static func parseAll(_ bytes: [UInt8], base: Int = 0) throws(TLVError) -> [BERTLV] {
        var elements: [BERTLV] = []
        var index = 0
        while index < bytes.count {
            let element = try parse(bytes, at: index, base: base)
            elements.append(element)
            index = element.end - base
        }
        return elements
    }

    /// Encodes an element with the shortest length form (for tests and the virtual card).
    public static func encode(tag: UInt32, value: [UInt8]) -> [UInt8] {
        var tagBytes: [UInt8] = []
        var rest = tag
        repeat {
            tagBytes.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        } while rest > 0
        let count = value.count
        let length: [UInt8] =
            switch count {
            case ..<0x80: [UInt8(count)]
            case ..<0x100: [0x81, UInt8(count)]
            case ..<0x10000: [0x82, UInt8(count >> 8), UInt8(count & 0xFF)]
            default: [0x83, UInt8(count >> 16), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)]
            }
        return tagBytes + length + value
    }

    /// The header length (tag + length bytes) and total length of the element that starts
    /// at the beginning of `prefix`, when the prefix holds the whole header; nil otherwise.
    /// Used to learn a file's size from its first few bytes.
    public static func totalLength(ofElementStartingWith prefix: [UInt8]) throws(TLVError) -> Int? {
        guard let first = prefix.first else { return nil }
        var index = 1
        if first & 0x1F == 0x1F {
            while true {
                guard index < prefix.count else { return nil }
                let byte = prefix[index]
                index += 1
                if byte & 0x80 == 0 { break }
                guard index < 4 else { throw TLVError.tagTooLong(offset: 0) }
            }
        }
        guard index < prefix.count else { return nil }
        let lengthByte = prefix[index]
        switch lengthByte {
        case 0x00...0x7F:
            return index + 1 + Int(lengthByte)
        case 0x81...0x84:
            let count = Int(lengthByte & 0x7F)
            guard index + count < prefix.count else { return nil }
            var length = 0
            for byte in prefix[(index + 1)...(index + count)] { length = length << 8 | Int(byte) }
            return index + 1 + count + length
        default:
            throw TLVError.unsupportedLength(byte: lengthByte, offset: index)
        }
    }
}

/// Why bytes are not well-formed BER-TLV; every case names the byte offset.
public enum TLVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which part of an element was being read.
    public enum Part: String, Sendable {
        case tag, length
    }

    /// The buffer ended inside a tag or a length.
    case truncated(part: Part, offset: Int)
    /// A tag of more than 4 bytes.
    case tagTooLong(offset: Int)
    /// A length byte Madoguchi does not accept (0x80 indefinite, or more than 4 length bytes).
    case unsupportedLength(byte: UInt8, offset: Int)
    /// The length says more bytes than the buffer holds.
    case valueOverrunsBuffer(tag: UInt32, length: Int, available: Int, offset: Int)

    /// The offset in the buffer where the problem is.
    public var offset: Int {
        switch self {
        case .truncated(_, let offset), .tagTooLong(let offset), .unsupportedLength(_, let offset),
            .valueOverrunsBuffer(_, _, _, let offset):
            offset
        }
    }

    /// One line; it names tags, lengths and offsets, never values.
    public var description: String {
        switch self {
        case .truncated(let part, let offset): "TLV ends inside a \(part.rawValue) at offset \(offset)"
        case .tagTooLong(let offset): "TLV tag at offset \(offset) is longer than 4 bytes"
        case .unsupportedLength(let byte, let offset):
            "TLV length byte 0x\(String(byte, radix: 16, uppercase: true)) at offset \(offset) is not supported"
        case .valueOverrunsBuffer(let tag, let length, let available, let offset):
            "TLV \(String(tag, radix: 16, uppercase: true)) at offset \(offset) says \(length) bytes but \(available) remain"
        }
    }
}
