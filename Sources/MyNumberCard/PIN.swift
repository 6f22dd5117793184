/// A 4-digit PIN, held only in memory for one command and wiped when it goes.
///
/// Non-copyable, so no second copy lingers by accident; its bytes are overwritten with
/// zeros when the value is consumed or dropped. It has no description: a PIN can never
/// reach a log line or an error message by interpolation.
public struct PIN: ~Copyable {
    /// Heap storage owned by this value alone (no copy-on-write copies), zeroed on deinit.
    private let storage: UnsafeMutableBufferPointer<UInt8>

    /// Takes the ASCII digits typed (exactly 4 of `0`…`9`), or fails with the reason.
    /// - Throws: `PINError.notFourDigits` (the PIN itself is never part of the error).
    public init(asciiDigits: [UInt8]) throws(PINError) {
        guard asciiDigits.count == 4, asciiDigits.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw .notFourDigits
        }
        storage = .allocate(capacity: asciiDigits.count)
        _ = storage.initialize(from: asciiDigits)
    }

    /// Takes a PIN typed as text (e.g. from `--pin-stdin`), trimming one trailing newline.
    public init(text: String) throws(PINError) {
        var bytes = Array(text.utf8)
        defer {
            bytes.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = 0 }
            }
        }
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        try self.init(asciiDigits: bytes)
    }

    /// Lends the digits for the duration of `body` (to build the VERIFY command).
    public borrowing func withDigits<R>(_ body: ([UInt8]) throws -> R) rethrows -> R {
        var copy = Array(storage)
        defer {
            copy.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = 0 }
            }
        }
        return try body(copy)
    }

    deinit {
        for index in storage.indices { storage[index] = 0 }
        storage.deallocate()
    }
}

/// Why typed text is not a PIN.
public enum PINError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not exactly four digits.
    case notFourDigits

    /// One line, without the PIN.
    public var description: String {
        "暗証番号は数字4桁です。 / The PIN is 4 digits."
    }
}
