/// One request on the control socket: a JSON object on one line.
///
/// ```
/// {"command":"status"}
/// {"command":"stats"}
/// {"command":"queue.retry","id":"3f2c…"}   {"command":"queue.retry","all":true}
/// {"command":"queue.pause"}   {"command":"queue.resume"}
/// {"command":"printer.status"}   {"command":"session.cancel"}
/// ```
///
/// The server reads requests with the strict `parse(_:)`; `Codable` is for the client and tests.
public enum ControlRequest: Sendable, Hashable {
    /// The daemon's status.
    case status
    /// Session metrics.
    case stats
    /// Retry one dead-lettered or waiting submission, or all of them.
    case queueRetry(QueueRetryTarget)
    /// Stop sending the outbox.
    case queuePause
    /// Send the outbox again.
    case queueResume
    /// The printer's queue, state and reasons.
    case printerStatus
    /// End the current session (staff).
    case sessionCancel

    /// The request's command.
    public var command: ControlCommand {
        switch self {
        case .status: .status
        case .stats: .stats
        case .queueRetry: .queueRetry
        case .queuePause: .queuePause
        case .queueResume: .queueResume
        case .printerStatus: .printerStatus
        case .sessionCancel: .sessionCancel
        }
    }

    /// The largest request line the server reads, newline not counted: 64 KiB.
    public static let maximumBytes = 65_536
}

/// What `queue.retry` retries.
public enum QueueRetryTarget: Sendable, Hashable {
    /// One submission, by its id (a UUID in lower-case canonical form).
    case id(String)
    /// Every submission that can be retried.
    case all
}

extension ControlRequest: Codable {
    enum CodingKeys: String, CodingKey { case command, id, all }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(command, forKey: .command)
        if case .queueRetry(let target) = self {
            switch target {
            case .id(let id): try container.encode(id, forKey: .id)
            case .all: try container.encode(true, forKey: .all)
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(ControlCommand.self, forKey: .command) {
        case .status: self = .status
        case .stats: self = .stats
        case .queuePause: self = .queuePause
        case .queueResume: self = .queueResume
        case .printerStatus: self = .printerStatus
        case .sessionCancel: self = .sessionCancel
        case .queueRetry:
            if let id = try container.decodeIfPresent(String.self, forKey: .id) {
                guard let canonical = ControlRequest.canonicalUUID(id) else {
                    throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "not a UUID")
                }
                self = .queueRetry(.id(canonical))
            } else if try container.decodeIfPresent(Bool.self, forKey: .all) == true {
                self = .queueRetry(.all)
            } else {
                throw DecodingError.dataCorruptedError(
                    forKey: .id, in: container, debugDescription: "queue.retry needs \"id\" or \"all\": true")
            }
        }
    }

    /// The lower-case canonical form of a UUID (8-4-4-4-12 hex digits); nil for anything else.
    static func canonicalUUID(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return nil }
        var out: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return nil }
                out.append(byte)
            } else {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): out.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): out.append(byte + 0x20)
                default: return nil
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
