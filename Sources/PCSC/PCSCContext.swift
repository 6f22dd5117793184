internal import CPCSCLite

/// One `SCARDCONTEXT`, owned by the thread that created it.
///
/// Threading rule (pcsc-lite): use a context from one thread; only `SCardCancel` may be
/// called from another thread, to interrupt `SCardGetStatusChange`. So this class is not
/// `Sendable`; `ReaderWatcher` creates its own on its own thread.
public final class PCSCContext {
    /// The raw handle, exposed as an integer so a canceller on another thread can use it.
    public let handle: Int

    /// Establishes a system-scope context with pcscd.
    /// - Throws: `PCSCError` with `SCARD_E_NO_SERVICE` when pcscd is not running.
    public init() throws(PCSCError) {
        var context: SCARDCONTEXT = 0
        let status = PCSCStatus(rawValue: SCardEstablishContext(DWORD(SCARD_SCOPE_SYSTEM), nil, nil, &context))
        guard status == .success else { throw PCSCError(operation: "SCardEstablishContext", status: status) }
        handle = Int(bitPattern: UInt(context))
    }

    deinit {
        _ = SCardReleaseContext(SCARDCONTEXT(UInt(bitPattern: handle)))
    }

    var raw: SCARDCONTEXT { SCARDCONTEXT(UInt(bitPattern: handle)) }

    /// The names of the readers pcscd knows, in its order; empty when it knows none.
    /// - Throws: `PCSCError` from `SCardListReaders` (never for "no readers").
    public func readers() throws(PCSCError) -> [String] {
        var length: DWORD = 0
        var status = PCSCStatus(rawValue: SCardListReaders(raw, nil, nil, &length))
        if status == .noReadersAvailable { return [] }
        guard status == .success else { throw PCSCError(operation: "SCardListReaders", status: status) }
        var buffer = [CChar](repeating: 0, count: Int(length))
        status = PCSCStatus(rawValue: SCardListReaders(raw, nil, &buffer, &length))
        if status == .noReadersAvailable { return [] }
        guard status == .success else { throw PCSCError(operation: "SCardListReaders", status: status) }
        // A multi-string: "a\0b\0\0".
        return buffer.prefix(Int(length)).split(separator: 0).map { chars in
            String(decoding: chars.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Interrupts a `SCardGetStatusChange` waiting on the context `handle`; safe from any thread.
    public static func cancel(handle: Int) {
        _ = SCardCancel(SCARDCONTEXT(UInt(bitPattern: handle)))
    }
}
