internal import CPCSCLite
#if canImport(Glibc)
import Glibc
#endif
public import SmartCard

/// A connection to the card in one reader: the PC/SC side of `CardTransport`.
///
/// Threading rule (pcsc-lite): use it on the thread that owns its `PCSCContext`. Hold a
/// transaction for one card operation only, never while a person types; end it, and
/// disconnect, with a card reset so no verified PIN state survives.
public final class PCSCCard: CardTransport {
    /// The reader the card is in.
    public let reader: String
    /// The protocol pcscd negotiated (`T=1` preferred, `T=0` as the fallback).
    public let usesT1: Bool
    /// The card's ATR (diagnostics only; never used to identify a My Number Card).
    public private(set) var atr = ATR([])

    private let context: PCSCContext
    private var handle: SCARDHANDLE = 0
    private var connected = false
    private var inTransaction = false

    /// Connects to the card in `reader`, shared, with T=1, falling back to T=0.
    /// - Throws: `PCSCError`, e.g. `SCARD_E_NO_SMARTCARD` when the reader is empty.
    public init(context: PCSCContext, reader: String) throws(PCSCError) {
        self.context = context
        self.reader = reader
        var active: DWORD = 0
        var status = PCSCStatus(
            rawValue: SCardConnect(context.raw, reader, DWORD(SCARD_SHARE_SHARED), DWORD(SCARD_PROTOCOL_T1), &handle, &active))
        if status == .protocolMismatch {
            status = PCSCStatus(
                rawValue: SCardConnect(context.raw, reader, DWORD(SCARD_SHARE_SHARED), DWORD(SCARD_PROTOCOL_T0), &handle, &active))
        }
        guard status == .success else { throw PCSCError(operation: "SCardConnect", reader: reader, status: status) }
        connected = true
        usesT1 = active == DWORD(SCARD_PROTOCOL_T1)
        atr = readATR()
    }

    deinit {
        disconnect(reset: true)
    }

    private func readATR() -> ATR {
        var readerLength: DWORD = 0
        var state: DWORD = 0
        var proto: DWORD = 0
        var bytes = [UInt8](repeating: 0, count: Int(MAX_ATR_SIZE))
        var length = DWORD(bytes.count)
        let status = SCardStatus(handle, nil, &readerLength, &state, &proto, &bytes, &length)
        return status == SCARD_S_SUCCESS ? ATR(Array(bytes.prefix(Int(length)))) : ATR([])
    }

    /// Starts exclusive access for one card operation (`SCardBeginTransaction`).
    public func beginTransaction() throws(PCSCError) {
        var status = PCSCStatus(rawValue: SCardBeginTransaction(handle))
        if status == .resetCard {
            // Another client (or the last operation's reset) reset the card: acknowledge it
            // with SCardReconnect, which keeps this handle, and try once more.
            try reconnect()
            status = PCSCStatus(rawValue: SCardBeginTransaction(handle))
        }
        guard status == .success else { throw PCSCError(operation: "SCardBeginTransaction", reader: reader, status: status) }
        inTransaction = true
    }

    /// Acknowledges a reset done elsewhere (`SCardReconnect`, leaving the card as it is).
    public func reconnect() throws(PCSCError) {
        var active: DWORD = 0
        let preferred = DWORD(usesT1 ? SCARD_PROTOCOL_T1 : SCARD_PROTOCOL_T0)
        let status = PCSCStatus(
            rawValue: SCardReconnect(handle, DWORD(SCARD_SHARE_SHARED), preferred, DWORD(SCARD_LEAVE_CARD), &active))
        guard status == .success else { throw PCSCError(operation: "SCardReconnect", reader: reader, status: status) }
    }

    /// Ends the transaction, resetting the card unless told otherwise.
    public func endTransaction(reset: Bool = true) {
        guard inTransaction else { return }
        inTransaction = false
        _ = SCardEndTransaction(handle, DWORD(reset ? SCARD_RESET_CARD : SCARD_LEAVE_CARD))
    }

    /// Connects to the card in `reader`, runs `body` inside one transaction, and always ends
    /// with the card reset and disconnected: no verified state survives the operation.
    public static func withTransaction<R>(context: PCSCContext, reader: String, _ body: (PCSCCard) throws -> R) throws -> R {
        let card = try PCSCCard(context: context, reader: reader)
        defer { card.disconnect(reset: true) }
        try card.beginTransaction()
        defer { card.endTransaction(reset: true) }
        return try body(card)
    }

    /// Disconnects, resetting the card by default (no verified state survives).
    public func disconnect(reset: Bool = true) {
        guard connected else { return }
        endTransaction(reset: reset)
        connected = false
        _ = SCardDisconnect(handle, DWORD(reset ? SCARD_RESET_CARD : SCARD_LEAVE_CARD))
    }

    /// Sends one command APDU and returns the response bytes.
    /// - Throws: `PCSCError` (e.g. `SCARD_W_REMOVED_CARD` when the card was pulled).
    public func transmit(_ command: [UInt8]) throws -> [UInt8] {
        var response = [UInt8](repeating: 0, count: 65_538)
        var length = DWORD(response.count)
        let pci = usesT1 ? madoguchi_pcsc_pci_t1() : madoguchi_pcsc_pci_t0()
        let status = PCSCStatus(
            rawValue: SCardTransmit(handle, pci, command, DWORD(command.count), nil, &response, &length))
        defer {  // the buffer may have held personal data or a PIN echo: leave nothing behind
            response.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = 0 }
            }
        }
        guard status == .success else { throw PCSCError(operation: "SCardTransmit", reader: reader, status: status) }
        guard length >= 2 else {
            // No status word: the card went away mid-command (seen with vpcd). Report what
            // pcscd now says about the card, or that the exchange did not complete.
            let state = PCSCStatus(rawValue: SCardStatus(handle, nil, nil, nil, nil, nil, nil))
            throw PCSCError(operation: "SCardTransmit", reader: reader, status: state == .success ? .notTransacted : state)
        }
        return Array(response.prefix(Int(length)))
    }
}

extension PCSCContext {
    /// The readers that hold a card now, in pcscd's order.
    public func readersHoldingCards() throws(PCSCError) -> [String] {
        let names = try readers()
        guard !names.isEmpty else { return [] }
        let cNames = names.map { strdup($0)! }
        defer { cNames.forEach { free($0) } }
        var states = cNames.map { name in
            var state = SCARD_READERSTATE()
            state.szReader = UnsafePointer(name)
            state.dwCurrentState = DWORD(SCARD_STATE_UNAWARE)
            return state
        }
        let status = PCSCStatus(rawValue: SCardGetStatusChange(raw, 0, &states, DWORD(states.count)))
        guard status == .success || status == .timeout else {
            throw PCSCError(operation: "SCardGetStatusChange", status: status)
        }
        return names.indices.filter { states[$0].dwEventState & DWORD(SCARD_STATE_PRESENT) != 0 }.map { names[$0] }
    }
}
