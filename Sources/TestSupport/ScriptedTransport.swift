public import SmartCard

/// A card transport that answers from a script and records what was sent: for unit tests
/// of channel and card logic without pcscd.
public final class ScriptedTransport: CardTransport {
    /// What each command gets back, in order (data + SW1 SW2).
    public var replies: [[UInt8]]
    /// Every command sent, in order.
    public private(set) var sent: [[UInt8]] = []

    /// Creates a transport that will give `replies` one by one.
    public init(replies: [[UInt8]]) {
        self.replies = replies
    }

    /// Records `command` and returns the next scripted reply (`6F00` when the script is exhausted).
    public func transmit(_ command: [UInt8]) throws -> [UInt8] {
        sent.append(command)
        return replies.isEmpty ? [0x6F, 0x00] : replies.removeFirst()
    }
}
