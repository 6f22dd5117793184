public import MadoguchiCore

/// The basic 4 information (基本4情報) read from the card, in the contracts' Identity shape
/// (`docs/contracts/card-output.md`). Name and address are kept exactly as on the card:
/// characters outside the BMP and variation sequences stay intact.
public struct ResidentIdentity: Sendable, Hashable {
    /// DF22, exactly as on the card.
    public var name: String
    /// DF23, exactly as on the card.
    public var address: String
    /// DF24 as on the card: `YYYYMMDD` (Gregorian).
    public var birth: String
    /// The birth date, `YYYY-MM-DD`.
    public var birthDate: String
    /// The birth date in 和暦, e.g. `昭和55年4月1日`, `平成元年1月8日`.
    public var birthWareki: String
    /// DF25 and its meaning.
    public var sex: Sex

    /// A card holder (the reader builds them from the card; tests and replays too).
    public init(name: String, address: String, birth: String, birthDate: String, birthWareki: String, sex: Sex) {
        self.name = name
        self.address = address
        self.birth = birth
        self.birthDate = birthDate
        self.birthWareki = birthWareki
        self.sex = sex
    }

    /// Sex as ISO 5218 codes the card uses.
    public struct Sex: Sendable, Hashable {
        /// `1`, `2` or `9`.
        public var code: String
        /// What the code means.
        public var meaning: BilingualText

        /// The meaning of a DF25 code, or nil for any other code.
        public init?(code: String) {
            switch code {
            case "1": meaning = BilingualText(ja: "男", en: "male")
            case "2": meaning = BilingualText(ja: "女", en: "female")
            case "9": meaning = BilingualText(ja: "適用不能", en: "not applicable")
            default: return nil
            }
            self.code = code
        }
    }
}
