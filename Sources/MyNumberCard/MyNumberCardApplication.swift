/// The applications (AIDs) of a My Number Card that Madoguchi selects.
///
/// Facts and sources: `docs/mynumbercard.md` of the shared reference. Madoguchi has no
/// code path that reads the individual number (個人番号). The kiosk reads from JPKI and
/// Kenhojo only; Kenkaku and Juki are selected by diagnostics to see they are there, and
/// nothing in them is read.
public enum MyNumberCardApplication: Sendable, CaseIterable {
    /// 公的個人認証AP: certificates; its token EF tells a My Number Card apart.
    case jpki
    /// 券面事項入力補助AP: the basic 4 information (name, address, birth date, sex).
    case kenhojo
    /// 券面事項確認AP: the card face's images (never read by Madoguchi).
    case kenkaku
    /// 住基AP: for resident-registry systems (never read by Madoguchi).
    case juki

    /// The DF name used with SELECT (P1 = 04).
    public var aid: [UInt8] {
        switch self {
        case .jpki: [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]
        case .kenhojo: [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08]
        case .kenkaku: [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02]
        case .juki: [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00]
        }
    }

    /// Its name on the card's documents, and a short English one.
    public var name: (ja: String, en: String) {
        switch self {
        case .jpki: ("公的個人認証AP", "JPKI")
        case .kenhojo: ("券面事項入力補助AP", "card information (Kenhojo)")
        case .kenkaku: ("券面事項確認AP", "card face (Kenkaku)")
        case .juki: ("住基AP", "resident registry (Juki)")
        }
    }
}
