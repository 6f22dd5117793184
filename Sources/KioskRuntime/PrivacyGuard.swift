public import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The personal values of the session under way (name, address, typed answers), so that
/// the log guard can refuse any line that carries one. Filled when the card is read and an
/// answer is given; emptied when the session ends.
public final class SensitiveValues: Sendable {
    private let values = Mutex<Set<String>>([])
    private let refusals = Atomic<Int>(0)

    /// An empty registry.
    public init() {}

    /// Remembers values to refuse (shorter than 2 characters: too common to mean anything).
    public func add(_ new: some Sequence<String>) {
        values.withLock { values in
            for value in new where value.count >= 2 { values.insert(value) }
        }
    }

    /// Forgets every value: the session ended.
    public func clear() { values.withLock { $0.removeAll() } }

    /// Whether `text` contains a remembered value.
    public func appears(in text: String) -> Bool {
        values.withLock { values in values.contains { text.contains($0) } }
    }

    /// Lines refused so far (diagnostics: a non-zero count is a bug to report).
    public var refused: Int { refusals.load(ordering: .relaxed) }

    func countRefusal() { refusals.add(1, ordering: .relaxed) }
}

/// A log handler in front of another that refuses personal data: metadata keys outside
/// the allowed list are dropped, and a line whose message or metadata contains a value of
/// the session under way is replaced by a refusal note naming only the logger.
public struct PrivacyGuardLogHandler: LogHandler {
    /// Metadata keys that never carry personal data.
    public static let allowedKeys: Set<String> = [
        "version", "config.path", "reader.name", "pcsc.status", "phase", "screen", "effect", "form", "document", "step",
        "outcome", "printer.queue", "printer.reasons", "job.id", "sheets", "error.kind", "error", "submission.count",
        "alert", "audit", "seconds", "socket", "listen", "kiosk.id", "count", "reason",
    ]

    private var inner: any LogHandler
    private let sensitive: SensitiveValues

    /// Guards `inner` with the values of `sensitive`.
    public init(_ inner: any LogHandler, sensitive: SensitiveValues) {
        self.inner = inner
        self.sensitive = sensitive
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue.filter { Self.allowedKeys.contains($0.key) } }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { if Self.allowedKeys.contains(key) { inner[metadataKey: key] = newValue } }
    }

    public func log(event: LogEvent) {
        let kept = (event.metadata ?? [:]).filter { Self.allowedKeys.contains($0.key) }
        let text = "\(event.message)" + kept.map { "\($0.value)" }.joined(separator: " ")
        var event = event
        if sensitive.appears(in: text) {
            sensitive.countRefusal()
            event.level = .error
            event.message = "log line refused: it carried personal data (a bug to report)"
            event.metadata = nil
        } else {
            event.metadata = kept
        }
        inner.log(event: event)
    }
}

/// Log lines on standard error with the syslog priority prefix journald reads (`<3>` …),
/// so `journalctl -p warning` works without linking libsystemd.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String

    /// A handler for `label`.
    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let priority = switch event.level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "<\(priority)>\(label): \(event.message)\(fields.isEmpty ? "" : " " + fields)\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { _ = write(2, $0.baseAddress, $0.count) }
    }
}
