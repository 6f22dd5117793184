/// The `queue.retry` result.
public struct QueueRetryResult: Sendable, Hashable, Codable {
    /// Submissions put back into the queue.
    public var retried: Int

    /// A retry result.
    public init(retried: Int) { self.retried = retried }
}

/// The `session.cancel` result.
public struct SessionCancelResult: Sendable, Hashable, Codable {
    /// Whether a session was running and was ended.
    public var cancelled: Bool
    /// The phase name after cancelling (normally `welcome`).
    public var phase: String

    /// A cancel result.
    public init(cancelled: Bool, phase: String) {
        self.cancelled = cancelled
        self.phase = phase
    }
}
