/// The two status bytes (SW1 SW2) that end every response, with what they mean
/// (ISO/IEC 7816-4 §5.1.3, and the My Number Card's use of them).
public struct StatusWord: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// SW1 << 8 | SW2.
    public let rawValue: UInt16

    /// Wraps a raw value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Builds a status word from its two bytes.
    public init(sw1: UInt8, sw2: UInt8) { rawValue = UInt16(sw1) << 8 | UInt16(sw2) }

    /// SW1.
    public var sw1: UInt8 { UInt8(rawValue >> 8) }
    /// SW2.
    public var sw2: UInt8 { UInt8(rawValue & 0xFF) }

    /// `9000`: normal processing.
    public static let success = StatusWord(rawValue: 0x9000)
    /// `6700`: wrong length.
    public static let wrongLength = StatusWord(rawValue: 0x6700)
    /// `6982`: security status not satisfied (e.g. the PIN was not verified, or the state was lost).
    public static let securityStatusNotSatisfied = StatusWord(rawValue: 0x6982)
    /// `6983`: authentication method blocked.
    public static let authenticationMethodBlocked = StatusWord(rawValue: 0x6983)
    /// `6984`: reference data not usable (treated as blocked on the My Number Card).
    public static let referenceDataNotUsable = StatusWord(rawValue: 0x6984)
    /// `6985`: conditions of use not satisfied.
    public static let conditionsNotSatisfied = StatusWord(rawValue: 0x6985)
    /// `6986`: command not allowed (no current EF).
    public static let noCurrentEF = StatusWord(rawValue: 0x6986)
    /// `6A81`: function not supported.
    public static let functionNotSupported = StatusWord(rawValue: 0x6A81)
    /// `6A82`: file or application not found.
    public static let fileNotFound = StatusWord(rawValue: 0x6A82)
    /// `6A86`: incorrect P1-P2.
    public static let incorrectP1P2 = StatusWord(rawValue: 0x6A86)
    /// `6B00`: wrong parameters (e.g. an offset past the end of the file).
    public static let wrongParameters = StatusWord(rawValue: 0x6B00)
    /// `6D00`: instruction not supported.
    public static let instructionNotSupported = StatusWord(rawValue: 0x6D00)
    /// `6E00`: class not supported.
    public static let classNotSupported = StatusWord(rawValue: 0x6E00)

    /// `9000`.
    public var isSuccess: Bool { self == .success }

    /// For `61xx`: how many more bytes GET RESPONSE can fetch (0 means 256).
    public var bytesRemaining: Int? { sw1 == 0x61 ? (sw2 == 0 ? 256 : Int(sw2)) : nil }

    /// For `6Cxx`: the length to send the command again with (0 means 256).
    public var correctLength: Int? { sw1 == 0x6C ? (sw2 == 0 ? 256 : Int(sw2)) : nil }

    /// For `63Cx`: the tries left after a failed or empty VERIFY.
    public var triesLeft: Int? { sw1 == 0x63 && sw2 & 0xF0 == 0xC0 ? Int(sw2 & 0x0F) : nil }

    /// Whether the PIN behind the command can no longer be used: `63C0`, `6983`, `6984`.
    public var meansBlocked: Bool {
        triesLeft == 0 || self == .authenticationMethodBlocked || self == .referenceDataNotUsable
    }

    /// What the status word means, in English (status words carry no personal data).
    public var meaning: String {
        if isSuccess { return "normal processing" }
        if let remaining = bytesRemaining { return "\(remaining) more bytes available" }
        if let length = correctLength { return "wrong Le; the right length is \(length)" }
        if let tries = triesLeft { return tries == 0 ? "verification failed, no tries left" : "verification failed, \(tries) tries left" }
        switch self {
        case .wrongLength: return "wrong length"
        case .securityStatusNotSatisfied: return "security status not satisfied"
        case .authenticationMethodBlocked: return "authentication method blocked"
        case .referenceDataNotUsable: return "reference data not usable"
        case .conditionsNotSatisfied: return "conditions of use not satisfied"
        case .noCurrentEF: return "command not allowed: no current EF"
        case .functionNotSupported: return "function not supported"
        case .fileNotFound: return "file or application not found"
        case .incorrectP1P2: return "incorrect P1-P2"
        case .wrongParameters: return "wrong parameters P1-P2"
        case .instructionNotSupported: return "instruction not supported"
        case .classNotSupported: return "class not supported"
        default: return "unknown status"
        }
    }

    /// `6A82 (file or application not found)`.
    public var description: String {
        let hex = String(rawValue, radix: 16, uppercase: true)
        return "\(String(repeating: "0", count: 4 - hex.count))\(hex) (\(meaning))"
    }
}
