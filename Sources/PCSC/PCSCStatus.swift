/// A pcsc-lite return code (`LONG`), kept raw so field diagnosis always sees the number.
///
/// Modelled on swift-system's `Errno`: a struct, not a closed enum, so codes this list does
/// not name still travel intact. `LONG` is `long` (64-bit) on Linux.
public struct PCSCStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The raw `LONG` value returned by libpcsclite.
    public let rawValue: Int

    /// Wraps a raw return code.
    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    /// `SCARD_S_SUCCESS`.
    public static let success = PCSCStatus(rawValue: 0)
    /// `SCARD_E_CANCELLED`: `SCardCancel` interrupted a wait.
    public static let cancelled = PCSCStatus(rawValue: 0x8010_0002)
    /// `SCARD_E_INVALID_HANDLE`: the context or card handle is no longer valid (e.g. pcscd restarted).
    public static let invalidHandle = PCSCStatus(rawValue: 0x8010_0003)
    /// `SCARD_E_UNKNOWN_READER`: no reader of that name.
    public static let unknownReader = PCSCStatus(rawValue: 0x8010_0009)
    /// `SCARD_E_TIMEOUT`: a wait ended without a change.
    public static let timeout = PCSCStatus(rawValue: 0x8010_000A)
    /// `SCARD_E_NO_SMARTCARD`: no card in the reader.
    public static let noSmartCard = PCSCStatus(rawValue: 0x8010_000C)
    /// `SCARD_E_READER_UNAVAILABLE`: the reader was unplugged or its driver failed.
    public static let readerUnavailable = PCSCStatus(rawValue: 0x8010_0017)
    /// `SCARD_E_PROTO_MISMATCH`: the card does not speak the requested protocol.
    public static let protocolMismatch = PCSCStatus(rawValue: 0x8010_000F)
    /// `SCARD_E_SHARING_VIOLATION`: another client holds the card exclusively.
    public static let sharingViolation = PCSCStatus(rawValue: 0x8010_000B)
    /// `SCARD_E_NOT_TRANSACTED`: the exchange with the card did not complete (it went away).
    public static let notTransacted = PCSCStatus(rawValue: 0x8010_0016)
    /// `SCARD_W_RESET_CARD`: the card was reset by another client; its state is lost.
    public static let resetCard = PCSCStatus(rawValue: 0x8010_0068)
    /// `SCARD_W_UNRESPONSIVE_CARD`: the card does not answer the reset.
    public static let unresponsiveCard = PCSCStatus(rawValue: 0x8010_0066)
    /// `SCARD_E_NO_SERVICE`: pcscd is not running.
    public static let noService = PCSCStatus(rawValue: 0x8010_001D)
    /// `SCARD_E_SERVICE_STOPPED`: pcscd stopped.
    public static let serviceStopped = PCSCStatus(rawValue: 0x8010_001E)
    /// `SCARD_E_NO_READERS_AVAILABLE`: pcscd runs but sees no reader.
    public static let noReadersAvailable = PCSCStatus(rawValue: 0x8010_002E)
    /// `SCARD_W_REMOVED_CARD`: the card was removed.
    public static let removedCard = PCSCStatus(rawValue: 0x8010_0069)

    private static let names: [Int: String] = [
        0: "SCARD_S_SUCCESS",
        0x8010_0002: "SCARD_E_CANCELLED",
        0x8010_0003: "SCARD_E_INVALID_HANDLE",
        0x8010_0009: "SCARD_E_UNKNOWN_READER",
        0x8010_000A: "SCARD_E_TIMEOUT",
        0x8010_000B: "SCARD_E_SHARING_VIOLATION",
        0x8010_000C: "SCARD_E_NO_SMARTCARD",
        0x8010_000F: "SCARD_E_PROTO_MISMATCH",
        0x8010_0066: "SCARD_W_UNRESPONSIVE_CARD",
        0x8010_0068: "SCARD_W_RESET_CARD",
        0x8010_0016: "SCARD_E_NOT_TRANSACTED",
        0x8010_0017: "SCARD_E_READER_UNAVAILABLE",
        0x8010_001D: "SCARD_E_NO_SERVICE",
        0x8010_001E: "SCARD_E_SERVICE_STOPPED",
        0x8010_002E: "SCARD_E_NO_READERS_AVAILABLE",
        0x8010_0069: "SCARD_W_REMOVED_CARD",
    ]

    /// Whether pcscd itself is gone (not running, stopped, or restarted under us):
    /// the caller releases its context and establishes a new one.
    public var meansServiceLost: Bool {
        self == .noService || self == .serviceStopped || self == .invalidHandle
    }

    /// Whether the card left or was reset during an operation: try again from the start.
    public var meansCardGone: Bool {
        self == .removedCard || self == .noSmartCard || self == .resetCard || self == .unresponsiveCard
            || self == .notTransacted
    }

    /// The C constant's name when known, and always the raw number in hex.
    public var description: String {
        let hex = "0x" + String(UInt32(truncatingIfNeeded: rawValue), radix: 16, uppercase: true)
        if let name = Self.names[rawValue] { return "\(name) (\(hex))" }
        return hex
    }
}
