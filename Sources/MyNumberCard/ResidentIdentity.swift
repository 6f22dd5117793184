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

/// Japanese era dates (和暦) for dates from 明治 on.
public enum Wareki {
    /// Era names and their first days (Gregorian), newest first.
    static let eras: [(name: String, year: Int, month: Int, day: Int)] = [
        ("令和", 2019, 5, 1), ("平成", 1989, 1, 8), ("昭和", 1926, 12, 25), ("大正", 1912, 7, 30),
        ("明治", 1868, 10, 23),
    ]

    /// `昭和55年4月1日` for 1980-04-01; `元年` for an era's first year; nil before 明治.
    public static func format(year: Int, month: Int, day: Int) -> String? {
        for era in eras where (year, month, day) >= (era.year, era.month, era.day) {
            let eraYear = year - era.year + 1
            return "\(era.name)\(eraYear == 1 ? "元" : String(eraYear))年\(month)月\(day)日"
        }
        return nil
    }

    /// Whether year-month-day is a real Gregorian date.
    public static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), year >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}
