public import MadoguchiCore

/// Reading a date that a person enters, in 和暦 or the Western calendar, into a `CalendarDate`
/// (`docs/contracts/form-bundle.md`, "`date` questions").
///
/// `parse(_:)` reads what staff type on a keyboard; `date(_:year:month:day:)` checks what a
/// resident picks on the touch screen (an era or 西暦, then year, month and day). Both refuse
/// a date outside its era with a sentence naming the era's range and the date probably
/// meant, and refuse 和暦 dates before 1873-01-01 (明治6年1月1日), when Japan adopted the
/// Gregorian calendar. No input, however long or strange, traps.
public enum DateInput {
    /// The calendar a date is given in.
    public enum Calendar: Sendable, Hashable {
        /// 西暦: the Gregorian year.
        case western
        /// 和暦: the year of this era (1 is 元年).
        case era(JapaneseEra)
    }

    /// Reads a typed date. Accepted spellings: `令和8年1月5日`, `令和元年5月1日`, `R8.1.5`,
    /// `r8/1/5`, `H31.4.30`, `2026-01-05`, `2026/1/5`, `2026年1月5日` (era initials M, T, S,
    /// H, R in either case; `.`, `/` or `-` between the numbers, the same one twice; a
    /// Western year has four digits). Full-width digits, letters and punctuation, the square
    /// era signs (㍻) and spaces between the parts are accepted; surrounding space is trimmed.
    public static func parse(_ text: String) -> Result<CalendarDate, DateInputError> {
        guard let tokens = DateToken.tokens(of: text) else { return .failure(.unrecognised) }
        guard let first = tokens.first else { return .failure(.empty) }
        let calendar: Calendar
        let year: DateToken.Number
        var rest = tokens.dropFirst()
        switch first {
        case .era(let era):
            switch rest.first {
            case .number(let number): year = number
            case .gannen: year = DateToken.Number(digitCount: 1, value: 1)
            default: return .failure(.unrecognised)
            }
            rest = rest.dropFirst()
            calendar = .era(era)
        case .number(let number):
            year = number
            calendar = .western
        case .gannen:
            return .failure(.missingEra)
        default:
            return .failure(.unrecognised)
        }
        guard let (month, day) = monthAndDay(rest) else { return .failure(.unrecognised) }
        if calendar == .western, year.value != nil, year.digitCount != 4 {
            return .failure(year.digitCount < 4 ? .missingEra : .unrecognised)
        }
        return check(calendar, year: year.value, month: month.value, day: day.value)
    }

    /// Checks a date picked on the touch screen: `.era(.reiwa)` (or `.western`), year
    /// (1 for 元年), month and day.
    public static func date(_ calendar: Calendar, year: Int, month: Int, day: Int) -> Result<CalendarDate, DateInputError> {
        check(calendar, year: year, month: month, day: day)
    }

    /// Month and day after the year: `年 M 月 D 日`, or `/M/D` with one separator twice.
    private static func monthAndDay(_ tokens: ArraySlice<DateToken>) -> (DateToken.Number, DateToken.Number)? {
        let parts = Array(tokens)
        switch parts.count {
        case 5:
            guard parts[0] == .yearMark, case .number(let month) = parts[1], parts[2] == .monthMark,
                case .number(let day) = parts[3], parts[4] == .dayMark
            else { return nil }
            return (month, day)
        case 4:
            guard case .separator(let first) = parts[0], case .number(let month) = parts[1],
                parts[2] == .separator(first), case .number(let day) = parts[3]
            else { return nil }
            return (month, day)
        default:
            return nil
        }
    }

    /// The checks both entry points share; nil numbers had more than four digits.
    private static func check(_ calendar: Calendar, year: Int?, month: Int?, day: Int?) -> Result<CalendarDate, DateInputError> {
        guard let month, (1...12).contains(month) else { return .failure(.noSuchMonth(month)) }
        guard let day, (1...31).contains(day) else { return .failure(.noSuchDay(day)) }
        guard let year else { return .failure(.outOfRange) }
        switch calendar {
        case .western: return western(year: year, month: month, day: day)
        case .era(let era): return wareki(era: era, year: year, month: month, day: day)
        }
    }

    /// A Western date: year 1…9999 and a day the month has.
    private static func western(year: Int, month: Int, day: Int) -> Result<CalendarDate, DateInputError> {
        guard year >= 1 else { return .failure(.noSuchYear(year)) }
        guard year <= CalendarDate.supportedYears.upperBound else { return .failure(.outOfRange) }
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            return .failure(.noSuchDay(day, month: month, year: DateWording.western(year)))
        }
        return .success(date)
    }

    /// A 和暦 date: from 1873 on, inside its era, a day the month has.
    private static func wareki(era: JapaneseEra, year: Int, month: Int, day: Int) -> Result<CalendarDate, DateInputError> {
        guard (-9999...9999).contains(year) else { return .failure(.outOfRange) }
        let gregorianYear = era.firstDay.year + year - 1
        guard gregorianYear <= CalendarDate.supportedYears.upperBound else { return .failure(.outOfRange) }
        guard (gregorianYear, month, day) >= DateInputError.gregorianAdoption else {
            return .failure(.beforeGregorianAdoption)
        }
        let clampedDay = min(day, Gregorian.daysIn(month: month, year: gregorianYear))
        let meant = WarekiDate(gregorianYear: gregorianYear, month: month, day: clampedDay)
        if year < 1 || era.lastYear.map({ year > $0 }) == true {
            return .failure(.noSuchEraYear(era: era, year: year, meant: meant))
        }
        guard let date = CalendarDate(year: gregorianYear, month: month, day: day) else {
            return .failure(.noSuchDay(day, month: month, year: DateWording.era(era, year: year, gregorianYear: gregorianYear)))
        }
        guard era.contains(year: gregorianYear, month: month, day: day) else {
            return .failure(.outsideEra(era: era, year: year, month: month, day: day, meant: meant))
        }
        return .success(date)
    }
}

extension CalendarDate {
    /// The date in 和暦 (`wareki?.text` is `令和8年1月5日`); nil before 1868-10-23.
    public var wareki: WarekiDate? { WarekiDate(gregorianYear: year, month: month, day: day) }

    /// The Gregorian date of a 和暦 date; nil only past the year 9999.
    public init?(_ wareki: WarekiDate) {
        self.init(year: wareki.gregorianYear, month: wareki.month, day: wareki.day)
    }
}

/// Why a date cannot be read, with a message saying what is wrong and what to do.
///
/// Messages repeat at most the year, month and day the person just entered, never other
/// text they typed.
public struct DateInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake it is (screens and tests match on this, people read `message`).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Nothing was entered.
        case empty
        /// The text is not one of the accepted spellings.
        case unrecognised
        /// A year of fewer than four digits without an era (`8年1月5日`).
        case missingEra
        /// A month or day that does not exist (`13月`, `2月30日`, `0年`).
        case invalidDate
        /// An era year or day outside the era (`平成32年`, `昭和64年1月8日`, `令和元年4月30日`).
        case outsideEra
        /// A 和暦 date before 1873-01-01, when Japan still used its lunisolar calendar.
        case beforeGregorianAdoption
        /// A year past 9999, or with too many digits.
        case outOfRange
    }

    /// What kind of mistake it is.
    public var kind: Kind
    /// What is wrong and what to do, Japanese first.
    public var message: BilingualText
    /// The date the person probably meant (for `outsideEra`: the same day in the right era).
    public var suggestion: CalendarDate?

    /// Creates an error.
    public init(_ kind: Kind, _ message: BilingualText, suggestion: CalendarDate? = nil) {
        self.kind = kind
        self.message = message
        self.suggestion = suggestion
    }

    /// `ja / en`.
    public var description: String { message.description }

    /// 1873-01-01: the first 和暦 day accepted (明治6年1月1日).
    static let gregorianAdoption = (year: 1873, month: 1, day: 1)

    /// Spellings the messages show as examples.
    static let examples = "令和8年1月5日、R8.1.5、2026-01-05"

    static let empty = DateInputError(
        .empty,
        BilingualText(
            ja: "日付が入力されていません。\(examples) のように入力してください。",
            en: "No date was entered. Type it like 令和8年1月5日, R8.1.5 or 2026-01-05."))

    static let unrecognised = DateInputError(
        .unrecognised,
        BilingualText(
            ja: "日付として読み取れません。\(examples) のように入力してください。",
            en: "This cannot be read as a date. Type it like 令和8年1月5日, R8.1.5 or 2026-01-05."))

    static let missingEra = DateInputError(
        .missingEra,
        BilingualText(
            ja: "年の前に元号(令和・平成など、または R・H などの頭文字)を付けるか、西暦を4桁で入力してください。",
            en: "Put the era before the year (令和, 平成 … or R, H …), or type the Western year with four digits."))

    static let outOfRange = DateInputError(
        .outOfRange,
        BilingualText(
            ja: "その年は扱えません。西暦9999年までの日付を入力してください。",
            en: "That year is out of range: enter a date no later than the year 9999."))

    static let beforeGregorianAdoption = DateInputError(
        .beforeGregorianAdoption,
        BilingualText(
            ja: "明治6年1月1日(1873年)より前の日付は和暦では入力できません。新暦(グレゴリオ暦)になる前の日付は西暦で入力してください。",
            en: "Dates before 1 January Meiji 6 (1873), when Japan adopted the Gregorian calendar, "
                + "cannot be entered in the Japanese era calendar. Enter such a date in the Western calendar."))

    /// A month outside 1…12 (repeated only when it has one or two digits).
    static func noSuchMonth(_ month: Int?) -> DateInputError {
        let month = month.flatMap { (0..<100).contains($0) ? $0 : nil }
        let ja = month.map { "\($0)月はありません。" } ?? "その月はありません。"
        let en = month.map { "There is no month \($0)" } ?? "There is no such month"
        return DateInputError(
            .invalidDate, BilingualText(ja: ja + "月は1から12で入力してください。", en: en + ": enter a month from 1 to 12."))
    }

    /// A day outside 1…31 (repeated only when it has one or two digits).
    static func noSuchDay(_ day: Int?) -> DateInputError {
        let day = day.flatMap { (0..<100).contains($0) ? $0 : nil }
        let ja = day.map { "\($0)日はありません。" } ?? "その日はありません。"
        let en = day.map { "There is no day \($0)" } ?? "There is no such day"
        return DateInputError(
            .invalidDate, BilingualText(ja: ja + "日は1から31で入力してください。", en: en + ": enter a day from 1 to 31."))
    }

    /// A Western year below 1.
    static func noSuchYear(_ year: Int) -> DateInputError {
        DateInputError(
            .invalidDate,
            BilingualText(ja: "西暦\(year)年はありません。西暦は1年からです。", en: "There is no year \(year): years start at 1."))
    }

    /// A day the month does not have in that year: `2026年2月30日`.
    static func noSuchDay(_ day: Int, month: Int, year: DateWording.Year) -> DateInputError {
        let days = Gregorian.daysIn(month: month, year: year.gregorian)
        let monthName = DateWording.monthName(month)
        return DateInputError(
            .invalidDate,
            BilingualText(
                ja: "\(year.ja)\(month)月\(day)日はありません。\(year.ja)\(month)月は\(days)日までです。",
                en: "There is no \(day) \(monthName) \(year.en): \(monthName) \(year.en) has \(days) days."))
    }

    /// An era year before 元年 or after the era's last year: `平成32年`.
    static func noSuchEraYear(era: JapaneseEra, year: Int, meant: WarekiDate?) -> DateInputError {
        var ja = "\(era.kanji)\(year)年はありません。"
        var en = "There is no \(era.english) \(year): "
        if year < 1 {
            let first = era.firstDay
            ja += "\(era.kanji)は元年\(first.month)月\(first.day)日からです。"
            en += "\(era.english) began on \(first.day) \(DateWording.monthName(first.month)) \(era.english) 1 (\(first.year))."
        } else if let last = era.lastDay, let lastYear = era.lastYear {
            ja += "\(era.kanji)は\(DateWording.yearText(lastYear))年\(last.month)月\(last.day)日までです。"
            en += "\(era.english) ended on \(last.day) \(DateWording.monthName(last.month)) \(era.english) \(lastYear) (\(last.year))."
        }
        if let meant {
            ja += "\(meant.era.kanji)\(meant.yearText)年ではありませんか?"
            en += " Did you mean \(meant.era.english) \(meant.year)?"
        }
        return DateInputError(.outsideEra, BilingualText(ja: ja, en: en), suggestion: meant.flatMap(CalendarDate.init))
    }

    /// A day of an era's first or last year outside the era: `昭和64年1月8日`, `令和元年4月30日`.
    static func outsideEra(era: JapaneseEra, year: Int, month: Int, day: Int, meant: WarekiDate?) -> DateInputError {
        let yearText = DateWording.yearText(year)
        var ja = "\(era.kanji)\(yearText)年\(month)月\(day)日はありません。"
        var en: String
        if let last = era.lastDay, let lastYear = era.lastYear, year == lastYear {
            ja += "\(era.kanji)は\(DateWording.yearText(lastYear))年\(last.month)月\(last.day)日までです。"
            en = "\(era.english) \(year) ended on \(last.day) \(DateWording.monthName(last.month))"
        } else {
            let first = era.firstDay
            ja += "\(era.kanji)は元年\(first.month)月\(first.day)日からです。"
            en = "\(era.english) \(year) began on \(first.day) \(DateWording.monthName(first.month))"
        }
        if let meant {
            ja += "\(meant.text)ではありませんか?"
            en += "; \(meant.day) \(DateWording.monthName(meant.month)) \(meant.gregorianYear) is "
                + "\(meant.era.english) \(meant.year)\(meant.year == 1 ? " (元年)" : "")"
        }
        return DateInputError(.outsideEra, BilingualText(ja: ja, en: en + "."), suggestion: meant.flatMap(CalendarDate.init))
    }
}

/// How messages write years and months.
enum DateWording {
    /// A year as messages write it, in both languages.
    struct Year {
        /// `令和8年`, `2026年`.
        var ja: String
        /// `Reiwa 8 (2026)`, `2026`.
        var en: String
        /// The Gregorian year, for month lengths.
        var gregorian: Int
    }

    /// A Western year.
    static func western(_ year: Int) -> Year {
        Year(ja: "\(year)年", en: "\(year)", gregorian: year)
    }

    /// An era year.
    static func era(_ era: JapaneseEra, year: Int, gregorianYear: Int) -> Year {
        Year(ja: "\(era.kanji)\(yearText(year))年", en: "\(era.english) \(year) (\(gregorianYear))", gregorian: gregorianYear)
    }

    /// `元` for 1, otherwise the digits.
    static func yearText(_ year: Int) -> String { year == 1 ? "元" : String(year) }

    /// `January` … `December` (empty outside 1…12).
    static func monthName(_ month: Int) -> String {
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return (1...12).contains(month) ? names[month - 1] : ""
    }
}

/// One piece of typed date text, after full-width forms are folded to ASCII.
enum DateToken: Hashable {
    /// A run of ASCII digits.
    struct Number: Hashable {
        /// How many digits were typed, leading zeros included.
        var digitCount: Int
        /// The value; nil when it has more than four digits after leading zeros.
        var value: Int?
    }

    /// Digits.
    case number(Number)
    /// `元` (the first year of an era).
    case gannen
    /// An era name (`令和`) or initial (`R`, `r`).
    case era(JapaneseEra)
    /// `年`.
    case yearMark
    /// `月`.
    case monthMark
    /// `日`.
    case dayMark
    /// `.`, `/` or `-`.
    case separator(Unicode.Scalar)

    /// The tokens of `text`, spaces dropped; nil when it holds anything else.
    static func tokens(of text: String) -> [DateToken]? {
        let scalars = text.unicodeScalars.flatMap(folded)
        var tokens: [DateToken] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if !scalar.isASCII, let era = JapaneseEra.allCases.first(where: { starts(scalars, at: index, with: $0.kanji) }) {
                tokens.append(.era(era))
                index += era.kanji.unicodeScalars.count
                continue
            }
            if ("0"..."9").contains(scalar) {
                var digitCount = 0
                var significant = 0
                var value = 0
                while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                    let digit = Int(scalars[index].value) - 48
                    if significant > 0 || digit != 0 { significant += 1 }
                    if significant <= 4 { value = value * 10 + digit }
                    digitCount += 1
                    index += 1
                }
                tokens.append(.number(Number(digitCount: digitCount, value: significant <= 4 ? value : nil)))
                continue
            }
            index += 1
            switch scalar {
            case " ", "\t", "\n", "\r": continue
            case "元": tokens.append(.gannen)
            case "年": tokens.append(.yearMark)
            case "月": tokens.append(.monthMark)
            case "日": tokens.append(.dayMark)
            case ".", "/", "-": tokens.append(.separator(scalar))
            default:
                // A lone ASCII letter is an era initial; "Reiwa" or "RR" are not.
                let isLetter: (Unicode.Scalar) -> Bool = { ("A"..."Z").contains($0) || ("a"..."z").contains($0) }
                guard isLetter(scalar), index == scalars.count || !isLetter(scalars[index]),
                    let era = JapaneseEra(initial: String(scalar))
                else { return nil }
                tokens.append(.era(era))
            }
        }
        return tokens
    }

    /// Whether `scalars` holds `word` from `index` on.
    private static func starts(_ scalars: [Unicode.Scalar], at index: Int, with word: String) -> Bool {
        let word = Array(word.unicodeScalars)
        return scalars.count - index >= word.count && Array(scalars[index..<index + word.count]) == word
    }

    /// Full-width ASCII as ASCII, dashes as `-`, `。` as `.`, wide spaces as spaces and the
    /// square era signs (㍻) as their kanji: the NFKC folds date input needs, by hand.
    private static func folded(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        switch scalar.value {
        case 0xFF01...0xFF5E: [Unicode.Scalar(UInt8(truncatingIfNeeded: scalar.value - 0xFEE0))]
        case 0x3000, 0x00A0: [" "]
        case 0x2010...0x2015, 0x2212, 0x30FC, 0xFF70: ["-"]
        case 0x3002, 0xFF61: ["."]
        case 0x337E: Array(JapaneseEra.meiji.kanji.unicodeScalars)
        case 0x337D: Array(JapaneseEra.taisho.kanji.unicodeScalars)
        case 0x337C: Array(JapaneseEra.showa.kanji.unicodeScalars)
        case 0x337B: Array(JapaneseEra.heisei.kanji.unicodeScalars)
        case 0x32FF: Array(JapaneseEra.reiwa.kanji.unicodeScalars)
        default: [scalar]
        }
    }
}
