/// The commands the control socket knows, by their wire name.
public enum ControlCommand: String, Sendable, Hashable, Codable, CaseIterable {
    /// `{"command":"status"}` → `DaemonStatus`.
    case status
    /// `{"command":"stats"}` → `StatsReport`.
    case stats
    /// `{"command":"queue.retry","id":"<uuid>"}` or `{"command":"queue.retry","all":true}` → `QueueRetryResult`.
    case queueRetry = "queue.retry"
    /// `{"command":"queue.pause"}` → the outbox status.
    case queuePause = "queue.pause"
    /// `{"command":"queue.resume"}` → the outbox status.
    case queueResume = "queue.resume"
    /// `{"command":"printer.status"}` → the printer status.
    case printerStatus = "printer.status"
    /// `{"command":"session.cancel"}` → `SessionCancelResult`.
    case sessionCancel = "session.cancel"

    /// The wire names, comma-separated, for messages.
    static let list = allCases.map(\.rawValue).joined(separator: ", ")
}
