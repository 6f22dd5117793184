import MadoguchiCore

/// A day in the Gregorian calendar, without time or time zone: what a `date` answer,
/// `identity.birthDate`, `today()` and `date('…')` hold in expressions.
///
/// Years run from 1 to 9999, so every date prints as `YYYY-MM-DD`. Day arithmetic counts
/// whole days; nothing here depends on Foundation's `Date` or a time zone.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1…9999.
    public let year: Int
    /// The month, 1…12.
    public let month: Int
    /// The day of the month, 1…31.
    public let day: Int

    /// The years a `CalendarDate` can hold.
    public static let supportedYears = 1...9999

    /// The date, or nil when year-month-day is not a real date in 1…9999.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.supportedYears.contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads exactly `YYYY-MM-DD` (ASCII digits, zero-padded); nil for anything else or a
    /// date that does not exist (`2026-02-30`).
    public init?(iso text: String) {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 10, scalars[4] == "-", scalars[7] == "-" else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let scalar = scalars[index]
                guard ("0"..."9").contains(scalar) else { return nil }
                value = value * 10 + Int(scalar.value - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Whether `year` has a 29 February.
    public static func isLeapYear(_ year: Int) -> Bool { Gregorian.isLeapYear(year) }

    /// The number of days in `month` of `year` (0 for a month outside 1…12).
    public static func daysIn(month: Int, year: Int) -> Int { Gregorian.daysIn(month: month, year: year) }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date in Japan (UTC+9, no daylight saving) at `secondsSince1970`: the session date.
    public static func inJapan(secondsSince1970 seconds: Int) -> CalendarDate? {
        CalendarDate(daysSinceEpoch: (seconds + 9 * 3600) / 86_400)
    }

    /// The date `days` after 1970-01-01, or nil outside years 1…9999.
    public init?(daysSinceEpoch days: Int) {
        // 1 January 1 to 31 December 9999.
        guard (-719_162...2_932_896).contains(days) else { return nil }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The date `days` later (earlier when negative), or nil outside years 1…9999.
    public func adding(days: Int) -> CalendarDate? {
        guard abs(days) <= 4_000_000 else { return nil }
        return CalendarDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// The number of days from `other` to this date (positive when this date is later).
    public func days(since other: CalendarDate) -> Int {
        daysSinceEpoch - other.daysSinceEpoch
    }

    /// Full years from `birth` to this date. As the page has it for age reckoning, a person
    /// born on 29 February becomes a year older on 1 March in common years.
    public func fullYears(since birth: CalendarDate) -> Int {
        var birthday = (birth.month, birth.day)
        if birthday == (2, 29), !Self.isLeapYear(year) { birthday = (3, 1) }
        return year - birth.year - ((month, day) < birthday ? 1 : 0)
    }

    /// Earlier dates first.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
