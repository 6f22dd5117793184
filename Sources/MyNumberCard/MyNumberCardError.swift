public import MadoguchiCore
public import SmartCard

/// What can go wrong talking to a My Number Card, in words a resident or clerk can act on.
/// No case carries a PIN, a name, an address or any data read from the card.
public enum MyNumberCardError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The card is not a My Number Card (an old 住基カード, or another card).
    case notMyNumberCard(CardType)
    /// The PIN has no tries left (`63C0`, `6983`, `6984`): only a municipal counter can unlock it.
    case pinLocked
    /// PIN B was offered outside staff mode.
    case pinBNeedsStaffMode
    /// One try is left and the caller did not confirm spending it.
    case lastTryNeedsConfirmation
    /// VERIFY failed; `triesLeft` more tries remain.
    case wrongPIN(triesLeft: Int)
    /// The card answered a step with an unexpected status word.
    case unexpectedStatus(step: String, status: StatusWord)
    /// A file's content breaks its format; `field` names the tag, `detail` offsets and lengths.
    case malformedData(field: String, detail: String)

    /// What to tell the person, Japanese first.
    public var message: BilingualText {
        switch self {
        case .notMyNumberCard(.jukiCard):
            BilingualText(
                ja: "住民基本台帳カードです。マイナンバーカードを置いてください。",
                en: "This is a Basic Resident Registry card. Place a My Number Card.")
        case .notMyNumberCard:
            BilingualText(
                ja: "マイナンバーカードではありません。マイナンバーカードを置いてください。",
                en: "This is not a My Number Card. Place a My Number Card.")
        case .pinLocked:
            BilingualText(
                ja: "暗証番号がロックされています。市区町村の窓口で解除してください。",
                en: "The PIN is locked; it can be reset at a municipal counter.")
        case .pinBNeedsStaffMode:
            BilingualText(
                ja: "照合番号Bは職員モードでのみ使えます。",
                en: "PIN B can be used in staff mode only.")
        case .lastTryNeedsConfirmation:
            BilingualText(
                ja: "あと1回間違えるとロックされます。続ける場合は確認してください。",
                en: "One more wrong PIN locks the card. Confirm to use the last try.")
        case .wrongPIN(let tries):
            tries == 1
                ? BilingualText(
                    ja: "暗証番号が違います。あと1回間違えるとロックされます。",
                    en: "Wrong PIN. One more wrong try locks the card.")
                : BilingualText(
                    ja: "暗証番号が違います。あと\(tries)回入力できます。",
                    en: "Wrong PIN. \(tries) tries left.")
        case .unexpectedStatus(let step, let status):
            BilingualText(
                ja: "カードの読み取りに失敗しました(\(step): \(status))。カードを置き直してください。",
                en: "Reading the card failed (\(step): \(status)). Place the card again.")
        case .malformedData(let field, let detail):
            BilingualText(
                ja: "カードのデータ(\(field))を読み取れませんでした(\(detail))。係員に連絡してください。",
                en: "The card's data (\(field)) could not be read (\(detail)). Call staff.")
        }
    }

    /// The message on one line.
    public var description: String { message.description }
}
