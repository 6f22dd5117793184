public import Foundation
public import MadoguchiCore

/// Where a submission stands in the outbox. An acknowledged submission has no state: its
/// row is deleted.
public enum DeliveryState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting to be sent (or to have its print result recorded first).
    case pending
    /// Being sent now; back to `pending` after a retryable failure or a restart.
    case delivering
    /// Refused by the back office (400, 409, 413, 422); kept, encrypted, for staff.
    case deadLetter = "dead-letter"

    /// The state's name for people.
    public var text: BilingualText {
        switch self {
        case .pending: BilingualText(ja: "送信待ち", en: "waiting")
        case .delivering: BilingualText(ja: "送信中", en: "sending")
        case .deadLetter: BilingualText(ja: "送信不能", en: "dead letter")
        }
    }
}

/// One row of the outbox as diagnostics see it: never the payload, never personal data.
public struct OutboxEntry: Sendable, Hashable {
    public var id: SubmissionID
    public var state: DeliveryState
    /// The form bundle and version that produced the submission.
    public var form: String
    public var formVersion: Int
    /// When the session finished and the submission was enqueued.
    public var createdAt: Date
    /// The print result, once recorded; a submission is not sent before.
    public var print: PrintRecord?
    /// How many times sending was started.
    public var attempts: Int
    /// Not before this time (back-off); `nil` means as soon as possible.
    public var nextAttemptAt: Date?
    /// The last HTTP status, when there was a response.
    public var lastStatus: Int?
    /// The last problem, as the sync client described it (no personal data).
    public var lastError: String?
    /// The size of the encrypted payload in bytes.
    public var sealedBytes: Int

    public init(
        id: SubmissionID, state: DeliveryState, form: String, formVersion: Int, createdAt: Date, print: PrintRecord?,
        attempts: Int, nextAttemptAt: Date?, lastStatus: Int?, lastError: String?, sealedBytes: Int
    ) {
        self.id = id
        self.state = state
        self.form = form
        self.formVersion = formVersion
        self.createdAt = createdAt
        self.print = print
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.sealedBytes = sealedBytes
    }
}

/// The whole queue at a glance, for `madoguchi queue status` and diagnostics.
public struct QueueStatus: Sendable, Hashable {
    /// Submissions waiting (pending or being sent), dead letters excluded.
    public var waiting: Int
    /// Of those, how many still wait for their print result.
    public var awaitingPrint: Int
    public var delivering: Int
    public var deadLetters: Int
    /// The oldest waiting submission's enqueue time.
    public var oldestWaiting: Date?
    /// Set while the whole queue is paused (401/403 from the back office, or staff).
    public var paused: Pause?
    /// The last time the back office acknowledged a submission.
    public var lastSyncAt: Date?
    /// The earliest back-off deadline among waiting submissions; `nil` when one may go now
    /// or none waits.
    public var nextAttemptAt: Date?
    /// The limit on submissions kept (waiting and dead letters).
    public var limit: Int

    public init(
        waiting: Int, awaitingPrint: Int, delivering: Int, deadLetters: Int, oldestWaiting: Date?, paused: Pause?,
        lastSyncAt: Date?, nextAttemptAt: Date?, limit: Int
    ) {
        self.waiting = waiting
        self.awaitingPrint = awaitingPrint
        self.delivering = delivering
        self.deadLetters = deadLetters
        self.oldestWaiting = oldestWaiting
        self.paused = paused
        self.lastSyncAt = lastSyncAt
        self.nextAttemptAt = nextAttemptAt
        self.limit = limit
    }
}

/// Why and since when the whole queue is paused.
public struct Pause: Sendable, Hashable {
    /// A short reason without personal data, e.g. `401 from the back office`.
    public var reason: String
    public var since: Date

    public init(reason: String, since: Date) {
        self.reason = reason
        self.since = since
    }
}

/// What the outbox refuses to grow past, so a full disk never corrupts the queue.
public struct OutboxLimits: Sendable, Hashable {
    /// The most submissions kept at once (waiting and dead letters): `[outbox] maxPending`.
    public var maxSubmissions: Int
    /// Refuse a new submission when the database's file system has less free space than
    /// this: `[outbox] minFreeMegabytes`.
    public var minFreeBytes: Int64

    public init(maxSubmissions: Int = 20_000, minFreeBytes: Int64 = 64 << 20) {
        self.maxSubmissions = maxSubmissions
        self.minFreeBytes = minFreeBytes
    }
}
