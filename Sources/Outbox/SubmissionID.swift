public import Foundation

/// The id of one submission: a UUID that is also its idempotency key end to end
/// (outbox row, `Idempotency-Key` header, the QR code on paper, the receiver's unique key).
public struct SubmissionID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The UUID.
    public let uuid: UUID

    /// A new random id.
    public init() {
        uuid = UUID()
    }

    /// Parses the canonical text form; `nil` when `text` is not a UUID.
    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.uuid = uuid
    }

    /// Lower-case canonical text, as sent on the wire.
    public var description: String { uuid.uuidString.lowercased() }
}
