/// The Gregorian calendar's month lengths: which year-month-day triples are real dates.
///
/// Proleptic (the same rules before 1582) and free of Foundation and time zones.
public enum Gregorian {
    /// Whether `year` has a 29 February.
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in `month` of `year` (0 for a month outside 1…12).
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: 31
        case 4, 6, 9, 11: 30
        case 2: isLeapYear(year) ? 29 : 28
        default: 0
        }
    }

    /// Whether year-month-day is a real date in year 1 or later.
    public static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        year >= 1 && (1...12).contains(month) && (1...daysIn(month: month, year: year)).contains(day)
    }
}

/// A Japanese era (元号) from 明治 on, with the Gregorian days it covers.
///
/// This is the one place in Madoguchi that knows the eras: card output (`birthWareki`), date
/// input and documents all read them from here. An era's first year is 元年 (year 1) and
/// shares its Gregorian year with the previous era's last year.
public enum JapaneseEra: String, Sendable, CaseIterable {
    /// 明治, 1868-10-23 to 1912-07-29.
    case meiji
    /// 大正, 1912-07-30 to 1926-12-24.
    case taisho
    /// 昭和, 1926-12-25 to 1989-01-07.
    case showa
    /// 平成, 1989-01-08 to 2019-04-30.
    case heisei
    /// 令和, from 2019-05-01.
    case reiwa

    /// The era's name in kanji: `令和`.
    public var kanji: String {
        switch self {
        case .meiji: "明治"
        case .taisho: "大正"
        case .showa: "昭和"
        case .heisei: "平成"
        case .reiwa: "令和"
        }
    }

    /// The capital letter forms and keyboards use: `M`, `T`, `S`, `H`, `R`.
    public var initial: String {
        switch self {
        case .meiji: "M"
        case .taisho: "T"
        case .showa: "S"
        case .heisei: "H"
        case .reiwa: "R"
        }
    }

    /// The era's name in English: `Reiwa`.
    public var english: String {
        switch self {
        case .meiji: "Meiji"
        case .taisho: "Taisho"
        case .showa: "Showa"
        case .heisei: "Heisei"
        case .reiwa: "Reiwa"
        }
    }

    /// The era's first day in the Gregorian calendar.
    public var firstDay: (year: Int, month: Int, day: Int) {
        switch self {
        case .meiji: (1868, 10, 23)
        case .taisho: (1912, 7, 30)
        case .showa: (1926, 12, 25)
        case .heisei: (1989, 1, 8)
        case .reiwa: (2019, 5, 1)
        }
    }

    /// The era's last day in the Gregorian calendar; nil for the current era.
    public var lastDay: (year: Int, month: Int, day: Int)? {
        next.map { next in
            let first = next.firstDay
            guard first.day == 1 else { return (first.year, first.month, first.day - 1) }
            // The day before the 1st is the last day of the previous month (of the same year:
            // no era began on 1 January).
            return (first.year, first.month - 1, Gregorian.daysIn(month: first.month - 1, year: first.year))
        }
    }

    /// The era year of the last day (`31` for 平成); nil for the current era.
    public var lastYear: Int? {
        lastDay.map { $0.year - firstDay.year + 1 }
    }

    /// The era that followed this one; nil for the current era.
    public var next: JapaneseEra? {
        switch self {
        case .meiji: .taisho
        case .taisho: .showa
        case .showa: .heisei
        case .heisei: .reiwa
        case .reiwa: nil
        }
    }

    /// The era before this one; nil for 明治.
    public var previous: JapaneseEra? {
        switch self {
        case .meiji: nil
        case .taisho: .meiji
        case .showa: .taisho
        case .heisei: .showa
        case .reiwa: .heisei
        }
    }

    /// The era named `明治`…`令和`, or nil.
    public init?(kanji: String) {
        guard let era = Self.allCases.first(where: { $0.kanji == kanji }) else { return nil }
        self = era
    }

    /// The era whose initial is `letter`, upper or lower case (`R`, `r`), or nil.
    public init?(initial letter: String) {
        guard let era = Self.allCases.first(where: { $0.initial == letter || $0.initial.lowercased() == letter })
        else { return nil }
        self = era
    }

    /// The era a Gregorian day belongs to; nil before 明治 (1868-10-23). The day is not
    /// checked to exist.
    public static func of(year: Int, month: Int, day: Int) -> JapaneseEra? {
        allCases.last { (year, month, day) >= $0.firstDay }
    }

    /// Whether the Gregorian day lies between the era's first and last days.
    public func contains(year: Int, month: Int, day: Int) -> Bool {
        guard (year, month, day) >= firstDay else { return false }
        guard let last = lastDay else { return true }
        return (year, month, day) <= last
    }
}

/// A day written in the Japanese era calendar (和暦): `令和8年1月5日`.
///
/// Always a real day inside its era, from 明治元年10月23日 (1868-10-23) on. Dates before
/// 1873 are converted with the Gregorian calendar, as `birthWareki` always has; Japan used
/// its lunisolar calendar until 明治5年, which is why date input refuses them.
public struct WarekiDate: Sendable, Hashable, CustomStringConvertible {
    /// The era.
    public let era: JapaneseEra
    /// The year in the era; 1 is 元年.
    public let year: Int
    /// The month, 1…12 (the same as in the Gregorian calendar).
    public let month: Int
    /// The day of the month (the same as in the Gregorian calendar).
    public let day: Int

    /// The 和暦 for a Gregorian day; nil for a day that does not exist or lies before
    /// 1868-10-23.
    public init?(gregorianYear: Int, month: Int, day: Int) {
        guard Gregorian.isValidDate(year: gregorianYear, month: month, day: day),
            let era = JapaneseEra.of(year: gregorianYear, month: month, day: day)
        else { return nil }
        self.era = era
        self.year = gregorianYear - era.firstDay.year + 1
        self.month = month
        self.day = day
    }

    /// The day `year`/`month`/`day` of `era`; nil unless it is a real day inside the era
    /// (`平成32年` and `昭和64年1月8日` are nil).
    public init?(era: JapaneseEra, year: Int, month: Int, day: Int) {
        guard (1...10_000).contains(year), let date = WarekiDate(gregorianYear: era.firstDay.year + year - 1, month: month, day: day),
            date.era == era
        else { return nil }
        self = date
    }

    /// The year in the Gregorian calendar.
    public var gregorianYear: Int { era.firstDay.year + year - 1 }

    /// The era year as written: `元` for the first year, otherwise its digits (`8`).
    public var yearText: String { year == 1 ? "元" : String(year) }

    /// `令和8年1月5日`, `令和元年5月1日`: no zero padding, 元年 for the first year.
    public var text: String { "\(era.kanji)\(yearText)年\(month)月\(day)日" }

    /// The same as `text`.
    public var description: String { text }
}
