public import MadoguchiCore
import SmartCard

/// A PIN of the card-information AP, held only in memory for one command and wiped with
/// `explicit_bzero` when it goes.
///
/// Non-copyable, so no second copy lingers by accident; filled from bytes as typed (never
/// through `String`); it has no description, so it can never reach a log line or an error
/// message by interpolation.
public struct PIN: ~Copyable {
    /// Which secret it is.
    public enum Kind: Sendable, Hashable {
        /// The 4-digit card-information PIN (券面事項入力補助用暗証番号, EF 0011).
        case cardInformation
        /// PIN B (EF 0015), for staff when a resident forgot their PIN: birth date YYMMDD,
        /// the card's expiry year and the 4-digit security code printed on the card.
        case pinB

        /// How many ASCII digits it has.
        public var length: Int { self == .cardInformation ? 4 : 14 }
        /// The EF that VERIFY is sent to.
        var file: [UInt8] { self == .cardInformation ? [0x00, 0x11] : [0x00, 0x15] }
    }

    /// Which secret it is.
    public let kind: Kind
    /// Heap storage owned by this value alone (no copy-on-write copies), wiped on deinit.
    private let storage: UnsafeMutableBufferPointer<UInt8>

    /// Takes the ASCII digits as typed.
    /// - Throws: `PINError.wrongLength` unless they are exactly `kind.length` digits (the
    ///   digits themselves are never part of the error).
    public init(asciiDigits: borrowing [UInt8], kind: Kind = .cardInformation) throws(PINError) {
        guard asciiDigits.count == kind.length, asciiDigits.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw .wrongLength(expected: kind.length)
        }
        self.kind = kind
        storage = .allocate(capacity: kind.length)
        _ = storage.initialize(from: asciiDigits)
    }

    /// Reads the digits of one line from `next` (a byte source such as standard input or a
    /// terminal), stopping at a newline or the end; every byte read is wiped before returning.
    public init(readingLineFrom next: () -> UInt8?, kind: Kind = .cardInformation) throws(PINError) {
        var typed: [UInt8] = []
        typed.reserveCapacity(32)
        defer { SensitiveBytes.wipe(&typed) }
        while let byte = next(), byte != 0x0A {
            if byte != 0x0D, typed.count < 32 { typed.append(byte) }
        }
        try self.init(asciiDigits: typed, kind: kind)
    }

    /// Builds the VERIFY command for this PIN; send it with `CardChannel.transmit(secret:)`.
    func verifyCommand() throws -> CommandAPDU {
        try CommandAPDU(ins: 0x20, p1: 0x00, p2: 0x80, data: Array(storage))
    }

    /// Lends the digits for the duration of `body` (tests); the lent copy is wiped after.
    public borrowing func withDigits<R>(_ body: ([UInt8]) throws -> R) rethrows -> R {
        var copy = Array(storage)
        defer { SensitiveBytes.wipe(&copy) }
        return try body(copy)
    }

    deinit {
        SensitiveBytes.wipe(storage)
        storage.deallocate()
    }
}

/// Why typed bytes are not a PIN.
public enum PINError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not exactly the expected number of digits.
    case wrongLength(expected: Int)

    /// What to type instead, Japanese first; never the digits typed.
    public var message: BilingualText {
        switch self {
        case .wrongLength(4): BilingualText(ja: "暗証番号は数字4桁です。", en: "The PIN is 4 digits.")
        case .wrongLength(let count):
            BilingualText(
                ja: "照合番号Bは数字\(count)桁です(生年月日6桁+有効期限の西暦4桁+セキュリティコード4桁)。",
                en: "PIN B is \(count) digits (birth YYMMDD + expiry year + security code).")
        }
    }

    /// One line, without the PIN.
    public var description: String { message.description }
}

/// Proof that the caller runs in staff mode: the only way to use PIN B.
public struct StaffModeAuthorization: Sendable {
    /// Granted only for staff mode; nil for resident and vehicle modes.
    public init?(mode: KioskMode) {
        guard mode == .staff else { return nil }
    }
}
