/// How long a procedure may wait: a number of days, months or years counted from a date
/// (`docs/contracts/form-bundle.md`, "A **deadline**"). The flow model adds the `from`
/// expression and the `text` key around it.
///
/// Counting starts on the *first counted day* S: the start date itself when
/// `firstDayCounts` is true (戸籍法: the day of the event is day 1), otherwise the day after
/// (民法140条, 初日不算入).
///
/// - `days(n)`: the period ends on day n, S + (n − 1).
/// - `months(n)`, `years(n)`: the period ends on the day before the day corresponding to S
///   n months or years later (民法143条2項); when the target month has no such day
///   (31 January + 1 month, 29 February + 1 year), it ends on the last day of that month.
///
/// So with S = 2026-01-31, one month ends on 2026-02-28; with S = 2026-01-05, three months
/// end on 2026-04-04; with S = 2026-03-01, one month ends on 2026-03-31. A due date on a
/// weekend or holiday is not moved (民法142条 is left to the counter).
public struct Deadline: Sendable, Hashable {
    /// The length of the period.
    public enum Period: Sendable, Hashable {
        /// This many days (1 or more).
        case days(Int)
        /// This many months (1 or more).
        case months(Int)
        /// This many years (1 or more).
        case years(Int)
    }

    /// The length of the period.
    public var period: Period
    /// Whether the start date is day 1 (true, 戸籍法) or counting starts the next day
    /// (false, the Civil Code's 初日不算入).
    public var firstDayCounts: Bool

    /// Creates a deadline.
    public init(period: Period, firstDayCounts: Bool = true) {
        self.period = period
        self.firstDayCounts = firstDayCounts
    }

    /// The first counted day for a period starting at `start`; nil past 9999-12-31.
    public func firstCountedDay(from start: CalendarDate) -> CalendarDate? {
        firstDayCounts ? start : start.adding(days: 1)
    }

    /// The last day of the period (the due date, inclusive); nil when the count is below 1
    /// or the date would fall past 9999-12-31.
    public func dueDate(from start: CalendarDate) -> CalendarDate? {
        guard let first = firstCountedDay(from: start) else { return nil }
        switch period {
        case .days(let count):
            guard count >= 1 else { return nil }
            return first.adding(days: count - 1)
        case .months(let count):
            return Self.end(from: first, months: count)
        case .years(let count):
            guard (1...CalendarDate.supportedYears.upperBound).contains(count) else { return nil }
            return Self.end(from: first, months: count * 12)
        }
    }

    /// The day before the day corresponding to `first` `months` later, or the last day of
    /// the target month when it has no corresponding day.
    private static func end(from first: CalendarDate, months: Int) -> CalendarDate? {
        guard (1...CalendarDate.supportedYears.upperBound * 12).contains(months) else { return nil }
        let target = first.year * 12 + (first.month - 1) + months
        let year = target / 12
        let month = target % 12 + 1
        let lastDay = CalendarDate.daysIn(month: month, year: year)
        guard first.day <= lastDay else { return CalendarDate(year: year, month: month, day: lastDay) }
        return CalendarDate(year: year, month: month, day: first.day)?.adding(days: -1)
    }
}
