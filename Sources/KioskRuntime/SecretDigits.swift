import Synchronization

/// The PIN as it is typed: ASCII digits in one fixed buffer, never copied into an array
/// that could outlive it, overwritten when taken, erased or dropped. Only the runtime holds
/// one; the session and the view know how many digits there are, never which.
final class SecretDigits: Sendable {
    private struct Storage: ~Copyable {
        var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
    }

    private let storage = Mutex(Storage())
    /// The most digits kept (8 for a card PIN, 12 for the staff passcode; at most 16).
    let capacity: Int

    /// A buffer for up to `capacity` digits.
    init(capacity: Int = 8) { self.capacity = min(max(capacity, 1), 16) }

    /// How many digits are held.
    var count: Int { storage.withLock { $0.count } }

    /// Appends a digit (0–9); ignored when full.
    func append(_ digit: Int) {
        guard (0...9).contains(digit) else { return }
        storage.withLock { storage in
            guard storage.count < capacity else { return }
            withUnsafeMutableBytes(of: &storage.bytes) { $0[storage.count] = UInt8(0x30 + digit) }
            storage.count += 1
        }
    }

    /// Drops the last digit.
    func eraseLast() {
        storage.withLock { storage in
            guard storage.count > 0 else { return }
            storage.count -= 1
            withUnsafeMutableBytes(of: &storage.bytes) { $0[storage.count] = 0 }
        }
    }

    /// Overwrites every byte.
    func wipe() {
        storage.withLock { storage in
            withUnsafeMutableBytes(of: &storage.bytes) { bytes in
                for index in bytes.indices { bytes[index] = 0 }
            }
            storage.count = 0
        }
    }

    /// Gives the digits to `body` once, then overwrites them: the buffer is empty afterwards
    /// whatever `body` does.
    func take<R: ~Copyable>(_ body: ([UInt8]) throws -> R) rethrows -> R {
        defer { wipe() }
        return try storage.withLock { storage in
            var digits = withUnsafeBytes(of: storage.bytes) { Array($0.prefix(storage.count)) }
            defer {
                for index in digits.indices { digits[index] = 0 }
            }
            return try body(digits)
        }
    }

    deinit { wipe() }
}
