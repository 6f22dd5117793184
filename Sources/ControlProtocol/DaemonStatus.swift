/// The `status` result: what a technician needs at a glance. Nothing personal: the session
/// appears only as its phase name ("answering"), the reader only as "a card is present".
///
/// Optional members are written as `null`, never left out, so the JSON shape is stable.
public struct DaemonStatus: Sendable, Hashable, Codable {
    /// `MadoguchiVersion.string` of the daemon.
    public var version: String
    /// Seconds since the daemon started.
    public var uptimeSeconds: Double
    /// The kiosk id from the configuration.
    public var kioskId: String
    /// `resident`, `staff` or `vehicle`.
    public var mode: String
    /// The session.
    public var session: Session
    /// The card reader.
    public var reader: Reader
    /// The printer.
    public var printer: Printer
    /// The outbox.
    public var outbox: Outbox
    /// The back office.
    public var backoffice: Backoffice
    /// The kiosk's virtual terminal (`[display] console`).
    public var console: Console

    /// A status; every part has an empty default for the daemon to fill.
    public init(
        version: String, uptimeSeconds: Double, kioskId: String, mode: String, session: Session = Session(),
        reader: Reader = Reader(), printer: Printer = Printer(), outbox: Outbox = Outbox(),
        backoffice: Backoffice = Backoffice(), console: Console = Console()
    ) {
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.kioskId = kioskId
        self.mode = mode
        self.session = session
        self.reader = reader
        self.printer = printer
        self.outbox = outbox
        self.backoffice = backoffice
        self.console = console
    }

    /// Where the session stands, by phase name only (`welcome`, `answering`,
    /// `cardProblem.unreadable` …; schemas/daemon-status.schema.json lists them).
    public struct Session: Sendable, Hashable, Codable {
        /// The `SessionPhase` case name.
        public var phase: String

        /// A session status.
        public init(phase: String = "welcome") { self.phase = phase }
    }

    /// The reader in use.
    public struct Reader: Sendable, Hashable, Codable {
        /// The PC/SC reader name; null when none is connected.
        public var name: String?
        /// Whether a card is on it.
        public var cardPresent: Bool

        /// A reader status.
        public init(name: String? = nil, cardPresent: Bool = false) {
            self.name = name
            self.cardPresent = cardPresent
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(cardPresent, forKey: .cardPresent)
        }

        enum CodingKeys: String, CodingKey { case name, cardPresent }
    }

    /// The printer; also the `printer.status` result.
    public struct Printer: Sendable, Hashable, Codable {
        /// The CUPS queue; null when none is configured.
        public var queue: String?
        /// `idle`, `processing` or `stopped` as CUPS reports it; `none` without a queue,
        /// `unavailable` when CUPS cannot be asked, `unknown` before it was.
        public var state: String
        /// printer-state-reasons (`media-empty-error`, `offline-report` …).
        public var reasons: [String]

        /// A printer status.
        public init(queue: String? = nil, state: String = "unknown", reasons: [String] = []) {
            self.queue = queue
            self.state = state
            self.reasons = reasons
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(queue, forKey: .queue)
            try container.encode(state, forKey: .state)
            try container.encode(reasons, forKey: .reasons)
        }

        enum CodingKeys: String, CodingKey { case queue, state, reasons }
    }

    /// The outbox; also the `queue.pause` / `queue.resume` result.
    public struct Outbox: Sendable, Hashable, Codable {
        /// Submissions waiting to be sent.
        public var pending: Int
        /// Submissions the back office refused (shown by `madoguchi queue list`).
        public var deadLetters: Int
        /// Whether sending is paused (by staff, or by a credential problem).
        public var paused: Bool

        /// An outbox status.
        public init(pending: Int = 0, deadLetters: Int = 0, paused: Bool = false) {
            self.pending = pending
            self.deadLetters = deadLetters
            self.paused = paused
        }
    }

    /// The back office as the sync loop last saw it.
    public struct Backoffice: Sendable, Hashable, Codable {
        /// Whether the last attempt reached it; null before the first attempt.
        public var reachable: Bool?
        /// When the last submission was acknowledged, ISO 8601 in UTC
        /// (`2025-04-01T09:30:00Z`); null when never.
        public var lastSync: String?

        /// A back-office status.
        public init(reachable: Bool? = nil, lastSync: String? = nil) {
            self.reachable = reachable
            self.lastSync = lastSync
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reachable, forKey: .reachable)
            try container.encode(lastSync, forKey: .lastSync)
        }

        enum CodingKeys: String, CodingKey { case reachable, lastSync }
    }

    /// The kiosk's virtual terminal: whether the daemon holds it in graphics mode with its
    /// keyboard off (docs/screens.md).
    public struct Console: Sendable, Hashable, Codable {
        /// `[display] console` (`/dev/tty1`); null when none is configured.
        public var tty: String?
        /// Whether the daemon holds the lock; false when none is configured or it could not
        /// be taken (the journal says why).
        public var locked: Bool

        /// A console status.
        public init(tty: String? = nil, locked: Bool = false) {
            self.tty = tty
            self.locked = locked
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tty, forKey: .tty)
            try container.encode(locked, forKey: .locked)
        }

        enum CodingKeys: String, CodingKey { case tty, locked }
    }
}

extension DaemonStatus {
    /// The status for a terminal, one fact per line, Japanese with English.
    public func linesForPeople() -> [String] {
        let hours = Int(uptimeSeconds) / 3600
        let minutes = Int(uptimeSeconds) % 3600 / 60
        let seconds = Int(uptimeSeconds) % 60
        var lines = [
            "デーモン / Daemon: madoguchid \(version)、稼働 / up \(hours)h \(minutes)m \(seconds)s",
            "端末 / Kiosk: \(kioskId)(\(mode))",
            "受付 / Session: \(session.phase)",
        ]
        let card = reader.cardPresent ? "カードあり / card present" : "カードなし / no card"
        lines.append("カードリーダー / Reader: \(reader.name ?? "なし / none")、\(card)")
        let reasons = printer.reasons.isEmpty ? "" : "(\(printer.reasons.joined(separator: ", ")))"
        lines.append("プリンター / Printer: \(printer.queue ?? "未設定 / not configured")、\(printer.state)\(reasons)")
        let paused = outbox.paused ? "、停止中 / paused" : ""
        lines.append("送信待ち / Outbox: \(outbox.pending) 件 pending、送信不可 / dead letters \(outbox.deadLetters)\(paused)")
        let reachable =
            switch backoffice.reachable {
            case true?: "接続できます / reachable"
            case false?: "接続できません / unreachable"
            case nil: "未確認 / not tried yet"
            }
        lines.append("バックオフィス / Back office: \(reachable)、最終送信 / last sync \(backoffice.lastSync ?? "なし / never")")
        if let tty = console.tty {
            let held = console.locked ? "固定しています / locked" : "固定できません / not locked (journalctl -u madoguchid)"
            lines.append("コンソール / Console: \(tty)、\(held)")
        }
        return lines
    }
}
