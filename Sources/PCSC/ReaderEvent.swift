public import MadoguchiCore
public import SmartCard

/// Something that happened to the readers pcscd knows.
public enum ReaderEvent: Sendable, Hashable {
    /// A reader appeared (at start, or plugged in).
    case readerAdded(String)
    /// A reader disappeared (unplugged, or pcscd lost it).
    case readerRemoved(String)
    /// A card was placed on or inserted in `reader`.
    case cardInserted(reader: String, atr: ATR)
    /// The card left `reader`.
    case cardRemoved(reader: String)
    /// pcscd cannot be reached; the watcher keeps trying.
    case serviceUnavailable(PCSCStatus)
    /// pcscd answers again after being unavailable.
    case serviceRestored
}


extension ReaderEvent {
    /// A symbol that tells the kind of event at a glance on a terminal.
    public var symbol: String {
        switch self {
        case .readerAdded: "+"
        case .readerRemoved: "-"
        case .cardInserted: "●"
        case .cardRemoved: "○"
        case .serviceUnavailable: "✗"
        case .serviceRestored: "✓"
        }
    }

    /// What a technician or the demo terminal shows for this event, Japanese first.
    /// Reader names and ATRs are not personal data; nothing read from a card appears here.
    public var message: BilingualText {
        switch self {
        case .readerAdded(let reader):
            BilingualText(ja: "カードリーダーが接続されました: \(reader)", en: "Card reader connected: \(reader)")
        case .readerRemoved(let reader):
            BilingualText(ja: "カードリーダーが外されました: \(reader)", en: "Card reader disconnected: \(reader)")
        case .cardInserted(let reader, let atr):
            BilingualText(
                ja: "カードが置かれました: \(reader) (ATR \(atr.hex))",
                en: "Card placed: \(reader) (ATR \(atr.hex))")
        case .cardRemoved(let reader):
            BilingualText(ja: "カードが取り除かれました: \(reader)", en: "Card removed: \(reader)")
        case .serviceUnavailable(let status):
            BilingualText(
                ja: "PC/SCサービス(pcscd)に接続できません(\(status))。再接続を試みています。",
                en: "Cannot reach the PC/SC service (pcscd) (\(status)). Retrying.")
        case .serviceRestored:
            BilingualText(ja: "PC/SCサービスに再接続しました。", en: "Reconnected to the PC/SC service.")
        }
    }
}
