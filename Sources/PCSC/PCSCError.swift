public import MadoguchiCore

/// A failed PC/SC call, with what a technician needs: the operation, the reader, the raw
/// code, and what to do. It never carries APDU bodies or card data.
public struct PCSCError: Error, Sendable, CustomStringConvertible {
    /// The libpcsclite function that failed, e.g. `SCardEstablishContext`.
    public let operation: String
    /// The reader involved, when there is one.
    public let reader: String?
    /// The raw return code.
    public let status: PCSCStatus

    /// Creates an error for `operation` on `reader` that returned `status`.
    public init(operation: String, reader: String? = nil, status: PCSCStatus) {
        self.operation = operation
        self.reader = reader
        self.status = status
    }

    /// What to do about it, Japanese first.
    public var advice: BilingualText {
        switch status {
        case .noService, .serviceStopped:
            BilingualText(
                ja: "PC/SCサービス(pcscd)が動いていません。pcscd を起動してください。",
                en: "The PC/SC service (pcscd) is not running. Start pcscd.")
        case .noReadersAvailable, .unknownReader, .readerUnavailable:
            BilingualText(
                ja: "カードリーダーが見つかりません。USBケーブルを確認し、挿し直してください。",
                en: "No card reader found. Check the USB cable and plug the reader in again.")
        case .noSmartCard, .removedCard:
            BilingualText(
                ja: "カードがありません。カードを置いてください。",
                en: "There is no card. Place the card on the reader.")
        default:
            BilingualText(
                ja: "カードリーダーでエラーが起きました。続く場合は係員に連絡してください。",
                en: "The card reader reported an error. If it continues, call staff.")
        }
    }

    /// One line for logs and terminals: operation, reader, code, advice.
    public var description: String {
        let on = reader.map { " on \"\($0)\"" } ?? ""
        return "\(operation)\(on) failed: \(status). \(advice)"
    }
}
