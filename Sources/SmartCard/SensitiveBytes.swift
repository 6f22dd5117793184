#if canImport(Glibc)
import Glibc
#endif

/// Wiping memory that held a secret (a PIN, or a VERIFY command carrying one).
///
/// `explicit_bzero` (glibc) is a store the optimiser may not remove, unlike a loop of
/// zero writes into memory that is about to be freed.
public enum SensitiveBytes {
    /// Overwrites every byte of `bytes` with zero, in place.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { explicit_bzero(base, buffer.count) }
        }
    }

    /// Overwrites a buffer with zero.
    public static func wipe(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        if let base = buffer.baseAddress { explicit_bzero(base, buffer.count) }
    }
}
