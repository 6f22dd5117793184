/// The applications (AIDs) of a My Number Card that Madoguchi selects.
///
/// Facts and sources: `docs/mynumbercard.md` of the shared reference. Madoguchi has no
/// code path that reads the individual number (個人番号).
public enum MyNumberCardApplication: Sendable, CaseIterable {
    /// 公的個人認証AP: certificates; its token EF tells a My Number Card apart.
    case jpki
    /// 券面事項入力補助AP: the basic 4 information (name, address, birth date, sex).
    case kenhojo

    /// The DF name used with SELECT (P1 = 04).
    public var aid: [UInt8] {
        switch self {
        case .jpki: [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]
        case .kenhojo: [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08]
        }
    }
}
