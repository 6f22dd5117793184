public import MadoguchiCore

/// One `printer-state-reasons` keyword, typed: what is wrong with the printer, how bad,
/// and what to tell the resident and staff (domain.md §3; RFC 8011 §5.4.12, PWG 5100.9).
public struct PrinterReason: Sendable, Hashable, CustomStringConvertible {
    /// What the keyword names.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case mediaEmpty, mediaNeeded, mediaLow, mediaJam, coverOpen, doorOpen, inputTrayMissing, outputAreaFull
        case tonerLow, tonerEmpty, markerSupplyLow, markerSupplyEmpty
        case offline, connectingToDevice, timedOut, spoolAreaFull, paused, shutdown
        /// Anything else (kept as its keyword).
        case other
    }

    /// The keyword's suffix.
    public enum Severity: String, Sendable, Hashable {
        case error, warning, report
        /// No suffix: CUPS's own reasons such as `paused`.
        case unspecified
    }

    /// The keyword as CUPS sent it (`media-empty-error`).
    public let keyword: String
    /// What it names.
    public let kind: Kind
    /// How bad.
    public let severity: Severity

    /// Reads a keyword; `none` gives nil.
    public init?(keyword: String) {
        guard !keyword.isEmpty, keyword != "none" else { return nil }
        self.keyword = keyword
        var base = keyword
        var severity = Severity.unspecified
        for suffix in [Severity.error, .warning, .report] where keyword.hasSuffix("-" + suffix.rawValue) {
            base = String(keyword.dropLast(suffix.rawValue.count + 1))
            severity = suffix
        }
        self.severity = severity
        self.base = base
        kind = Self.kinds[base] ?? .other
    }

    /// The keyword without its severity suffix (`media-empty`), as submissions record it.
    public let base: String

    static let kinds: [String: Kind] = [
        "media-empty": .mediaEmpty, "media-needed": .mediaNeeded, "media-low": .mediaLow, "media-jam": .mediaJam,
        "cover-open": .coverOpen, "door-open": .doorOpen, "input-tray-missing": .inputTrayMissing, "output-area-full": .outputAreaFull,
        "toner-low": .tonerLow, "toner-empty": .tonerEmpty, "marker-supply-low": .markerSupplyLow, "marker-supply-empty": .markerSupplyEmpty,
        "offline": .offline, "connecting-to-device": .connectingToDevice, "timed-out": .timedOut, "spool-area-full": .spoolAreaFull,
        "paused": .paused, "shutdown": .shutdown,
    ]

    /// Whether it keeps paper from coming out (an `-error`, or a kind that always does).
    public var stopsPrinting: Bool {
        switch kind {
        case .mediaEmpty, .mediaNeeded, .mediaJam, .coverOpen, .doorOpen, .inputTrayMissing, .outputAreaFull, .tonerEmpty,
            .markerSupplyEmpty, .offline, .spoolAreaFull, .shutdown:
            severity != .report && severity != .warning
        case .mediaLow, .tonerLow, .markerSupplyLow, .connectingToDevice, .timedOut, .paused, .other:
            severity == .error
        }
    }

    /// What the resident reads: plain words, and who helps.
    public var forResident: BilingualText {
        switch kind {
        case .mediaEmpty, .mediaNeeded:
            BilingualText(ja: "プリンターの紙がなくなりました。係員が補充します。", en: "The printer is out of paper. Staff will refill it.")
        case .mediaJam:
            BilingualText(ja: "プリンターに紙が詰まりました。係員をお呼びします。", en: "Paper is stuck in the printer. Staff are on their way.")
        case .coverOpen, .doorOpen, .inputTrayMissing:
            BilingualText(ja: "プリンターのふたやトレイが開いています。係員をお呼びします。", en: "A printer cover or tray is open. Staff are on their way.")
        default:
            BilingualText(ja: "プリンターが使えません。係員が対応します。", en: "The printer cannot print now. Staff will help you.")
        }
    }

    /// What staff read: the fault and what to do about it.
    public var forStaff: BilingualText {
        let (ja, en): (String, String) =
            switch kind {
            case .mediaEmpty, .mediaNeeded: ("用紙切れ: 用紙を補充してください", "out of paper: load paper")
            case .mediaLow: ("用紙残りわずか: 補充を準備してください", "paper low: prepare to refill")
            case .mediaJam: ("紙詰まり: 詰まった紙を取り除いてください", "paper jam: clear the jammed paper")
            case .coverOpen, .doorOpen: ("カバーが開いています: 閉じてください", "a cover or door is open: close it")
            case .inputTrayMissing: ("給紙トレイがありません: 差し込んでください", "the input tray is missing: put it back")
            case .outputAreaFull: ("排紙トレイが満杯です: 用紙を取り除いてください", "the output tray is full: empty it")
            case .tonerLow, .markerSupplyLow: ("トナー/インク残りわずか: 交換を準備してください", "toner or ink low: prepare a replacement")
            case .tonerEmpty, .markerSupplyEmpty: ("トナー/インク切れ: 交換してください", "toner or ink empty: replace it")
            case .offline: ("プリンターがオフラインです: 電源とケーブルを確認してください", "the printer is offline: check power and cable")
            case .connectingToDevice, .timedOut: ("プリンターに接続できません: 電源とケーブルを確認してください", "cannot reach the printer: check power and cable")
            case .spoolAreaFull: ("印刷待ちの領域が満杯です: madoguchi print status で確認してください", "the spool is full: check with madoguchi print status")
            case .paused: ("キューが停止しています: 原因を直せば次の印刷で再開します", "the queue is paused: it resumes with the next print once the fault is cleared")
            case .shutdown: ("プリンターが停止処理中です", "the printer is shutting down")
            case .other: ("プリンターの状態「\(keyword)」", "printer state \"\(keyword)\"")
            }
        return BilingualText(ja: ja + "(\(keyword))", en: en + " (\(keyword))")
    }

    /// The keyword.
    public var description: String { keyword }
}
