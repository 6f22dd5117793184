/// A response APDU: data, then the two status bytes.
public struct ResponseAPDU: Sendable, Hashable {
    /// The response data (may be empty).
    public var data: [UInt8]
    /// SW1 SW2.
    public var status: StatusWord

    /// Creates a response from its parts.
    public init(data: [UInt8], status: StatusWord) {
        self.data = data
        self.status = status
    }

    /// Splits raw bytes from the card.
    /// - Throws: `APDUError.responseTooShort` for fewer than 2 bytes.
    public init(bytes: [UInt8]) throws(APDUError) {
        guard bytes.count >= 2 else { throw .responseTooShort(count: bytes.count) }
        data = Array(bytes.dropLast(2))
        status = StatusWord(sw1: bytes[bytes.count - 2], sw2: bytes[bytes.count - 1])
    }

    /// The raw bytes: data followed by SW1 SW2.
    public var bytes: [UInt8] { data + [status.sw1, status.sw2] }
}
