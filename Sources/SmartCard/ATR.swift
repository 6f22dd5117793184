/// The Answer To Reset a card sends when it is powered.
///
/// Madoguchi never identifies a My Number Card by its ATR (vendors differ, and the
/// contactless form is synthesised by the reader); it is kept for diagnostics only.
public struct ATR: Sendable, Hashable {
    /// The raw bytes, at most 33 (ISO 7816-3).
    public let bytes: [UInt8]

    /// Creates an ATR from its raw bytes.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Upper-case hex with a space between bytes, e.g. `3B 88 80 01`.
    public var hex: String { bytes.hexString(separator: " ") }
}

extension Sequence<UInt8> {
    /// Upper-case hexadecimal, two digits per byte, joined by `separator`.
    public func hexString(separator: String = "") -> String {
        let digits = Array("0123456789ABCDEF")
        return map { byte in String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]) }
            .joined(separator: separator)
    }
}
