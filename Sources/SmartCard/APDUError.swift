/// Why bytes are not a valid APDU, with the offset where reading stopped.
public enum APDUError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Command data longer than an extended APDU can carry (65 535 bytes).
    case dataTooLong(count: Int)
    /// An expected length outside 1…65 536.
    case invalidExpectedLength(Int)
    /// Fewer than the 4 header bytes of a command.
    case commandTooShort(count: Int)
    /// The body's length bytes do not add up with the bytes present.
    case inconsistentLength(offset: Int)
    /// A response shorter than its 2-byte status word.
    case responseTooShort(count: Int)

    /// One line for logs; it names counts and offsets, never the APDU's data.
    public var description: String {
        switch self {
        case .dataTooLong(let count): "command data of \(count) bytes exceeds 65535"
        case .invalidExpectedLength(let le): "expected length \(le) is outside 1...65536"
        case .commandTooShort(let count): "a command APDU needs 4 header bytes, got \(count)"
        case .inconsistentLength(let offset): "APDU length bytes at offset \(offset) do not match the bytes present"
        case .responseTooShort(let count): "a response APDU needs a 2-byte status word, got \(count) bytes"
        }
    }
}
