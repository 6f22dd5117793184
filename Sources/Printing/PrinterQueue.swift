/// A CUPS destination as `cupsGetDests2` reports it.
public struct PrinterQueue: Sendable, Hashable {
    /// The queue name, e.g. `madoguchi-test`.
    public var name: String
    /// Whether it is the server's default destination.
    public var isDefault: Bool
    /// `printer-state`: 3 idle, 4 processing, 5 stopped.
    public var state: Int?
    /// `printer-state-reasons` keywords, without `none`.
    public var stateReasons: [String]
    /// `printer-is-accepting-jobs`.
    public var isAcceptingJobs: Bool?
    /// `printer-info`, the queue's description.
    public var info: String?

    /// Creates a queue description.
    public init(
        name: String, isDefault: Bool, state: Int?, stateReasons: [String], isAcceptingJobs: Bool?,
        info: String?
    ) {
        self.name = name
        self.isDefault = isDefault
        self.state = state
        self.stateReasons = stateReasons
        self.isAcceptingJobs = isAcceptingJobs
        self.info = info
    }
}

/// `job-state` values (RFC 8011 §5.3.7).
public enum PrintJobState: Int, Sendable, Hashable {
    case pending = 3, held, processing, stopped, canceled, aborted, completed

    /// Whether the job will not change state any more.
    public var isFinal: Bool { self == .canceled || self == .aborted || self == .completed }
}
