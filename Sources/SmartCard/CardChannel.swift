/// Moves raw APDU bytes to a card and back: the one thing an adapter (PC/SC) or a test
/// double provides. Synchronous, on the reader's own thread (pcsc-lite wants one context
/// per thread, and an async hop per APDU costs more than the PC/SC round trip).
public protocol CardTransport {
    /// Sends one command and returns the card's whole response (data + SW1 SW2).
    func transmit(_ command: [UInt8]) throws -> [UInt8]
}

/// The channel card applications talk through. It handles ISO 7816 transport details
/// itself, so an application never sees them:
/// - `61xx`: sends GET RESPONSE (`00 C0 00 00 xx`) until all data is collected;
/// - `6Cxx`: sends the command again with Le = xx.
public struct CardChannel<Transport: CardTransport> {
    /// The transport underneath.
    public let transport: Transport
    /// Guards against a card that keeps answering `61xx` or `6Cxx` forever.
    public var maximumExchanges = 64

    /// Wraps a transport.
    public init(_ transport: Transport) {
        self.transport = transport
    }

    /// Sends a command that carries a secret (VERIFY with a PIN) and wipes every copy this
    /// side holds — the command's data and its encoding — whatever happens. A secret is
    /// never re-sent: no 6Cxx handling, which VERIFY never needs.
    public func transmit(secret command: consuming CommandAPDU) throws -> ResponseAPDU {
        var encoded = command.bytes
        defer {
            SensitiveBytes.wipe(&encoded)
            SensitiveBytes.wipe(&command.data)
        }
        return try ResponseAPDU(bytes: transport.transmit(encoded))
    }

    /// Sends `command` and returns the final response.
    /// - Throws: the transport's error, `APDUError` for a response without a status word,
    ///   or `CardChannelError.tooManyExchanges`.
    public func transmit(_ command: CommandAPDU) throws -> ResponseAPDU {
        var response = try ResponseAPDU(bytes: transport.transmit(command.bytes))
        var exchanges = 1
        if let length = response.status.correctLength {
            var again = command
            again.expectedLength = length
            response = try ResponseAPDU(bytes: transport.transmit(again.bytes))
            exchanges += 1
        }
        var data = response.data
        while let remaining = response.status.bytesRemaining {
            exchanges += 1
            guard exchanges <= maximumExchanges else { throw CardChannelError.tooManyExchanges(exchanges) }
            let getResponse = try CommandAPDU(cla: command.cla & 0x03, ins: 0xC0, p1: 0, p2: 0, expectedLength: remaining)
            response = try ResponseAPDU(bytes: transport.transmit(getResponse.bytes))
            data += response.data
        }
        return ResponseAPDU(data: data, status: response.status)
    }
}

/// Failures of the channel itself (not of the card's answer).
public enum CardChannelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The card asked for GET RESPONSE more often than any real card does.
    case tooManyExchanges(Int)

    /// One line for logs.
    public var description: String {
        switch self {
        case .tooManyExchanges(let count): "the card kept asking for GET RESPONSE (\(count) exchanges); giving up"
        }
    }
}
