public import MadoguchiCore

/// How one check of `madoguchi diag` came out.
public enum DiagnosticMark: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// ✓: as it should be.
    case ok
    /// –: not configured, so not checked.
    case skipped
    /// ⚠: works, but needs attention soon.
    case warning
    /// ✗: does not work.
    case failure

    /// The mark a terminal shows: ✓ ⚠ ✗ –.
    public var symbol: String {
        switch self {
        case .ok: "✓"
        case .warning: "⚠"
        case .failure: "✗"
        case .skipped: "–"
        }
    }

    /// Worse marks compare greater: ok < skipped < warning < failure.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .ok: 0
        case .skipped: 1
        case .warning: 2
        case .failure: 3
        }
    }
}

/// One line of `madoguchi diag`: what was checked, how it came out, and for a warning or
/// a failure what a technician does next. Never holds personal data.
public struct DiagnosticCheck: Sendable, Hashable {
    /// A stable id within its section (`pcscd`, `queue-state`).
    public var id: String
    public var mark: DiagnosticMark
    /// What was found, Japanese then English.
    public var text: BilingualText
    /// The next step for a warning or a failure; nil for ✓ and –.
    public var next: BilingualText?

    /// A check; `next` is dropped for ✓ and – marks.
    public init(_ id: String, _ mark: DiagnosticMark, _ text: BilingualText, next: BilingualText? = nil) {
        self.id = id
        self.mark = mark
        self.text = text
        self.next = mark == .warning || mark == .failure ? next : nil
    }

    /// ✓ `id`: `ja` / `en`.
    public static func ok(_ id: String, ja: String, en: String) -> Self {
        Self(id, .ok, BilingualText(ja: ja, en: en))
    }

    /// – `id`: not configured.
    public static func skipped(_ id: String, ja: String, en: String) -> Self {
        Self(id, .skipped, BilingualText(ja: ja, en: en))
    }

    /// ⚠ `id` with its next step.
    public static func warning(_ id: String, _ text: BilingualText, next: BilingualText) -> Self {
        Self(id, .warning, text, next: next)
    }

    /// ✗ `id` with its next step.
    public static func failure(_ id: String, _ text: BilingualText, next: BilingualText) -> Self {
        Self(id, .failure, text, next: next)
    }
}

/// One section of the report (`system`, `readers`, `card`, `printer`, `outbox`, `backoffice`).
public struct DiagnosticSection: Sendable, Hashable {
    /// The section's id, as `--json` names it.
    public var id: String
    /// Its heading.
    public var title: BilingualText
    public var checks: [DiagnosticCheck]

    /// A section with its checks in the order they were made.
    public init(id: String, title: BilingualText, checks: [DiagnosticCheck]) {
        self.id = id
        self.title = title
        self.checks = checks
    }

    /// The worst mark of its checks (ok when it has none).
    public var mark: DiagnosticMark { checks.map(\.mark).max() ?? .ok }
}
