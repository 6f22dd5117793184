@testable import Flows
import MadoguchiCore
import Testing

private func day(_ iso: String) -> CalendarDate? { CalendarDate(iso: iso) }

private func due(_ period: Deadline.Period, firstDayCounts: Bool = true, from start: String) -> String? {
    guard let start = day(start) else { return nil }
    return Deadline(period: period, firstDayCounts: firstDayCounts).dueDate(from: start)?.description
}

@Suite("Deadlines: days, months and years from a date")
struct DeadlineTests {
    @Test func theContractTableHolds() {
        #expect(due(.days(14), from: "2026-01-05") == "2026-01-18")
        #expect(due(.days(14), firstDayCounts: false, from: "2026-01-05") == "2026-01-19")
        #expect(due(.months(3), from: "2026-01-05") == "2026-04-04")
        #expect(due(.years(2), firstDayCounts: false, from: "2026-01-08") == "2028-01-08")
    }

    @Test func firstDayCountsByDefault() {
        #expect(Deadline(period: .days(14)).firstDayCounts)
        #expect(due(.days(1), from: "2026-01-05") == "2026-01-05")
        #expect(due(.days(1), firstDayCounts: false, from: "2026-01-05") == "2026-01-06")
        #expect(due(.days(14), from: "2026-12-25") == "2027-01-07")
        #expect(due(.days(14), from: "2024-02-20") == "2024-03-04")
    }

    @Test func aMissingCorrespondingDayEndsThePeriodOnTheLastDayOfTheMonth() {
        #expect(due(.months(1), from: "2026-01-31") == "2026-02-28")
        #expect(due(.months(1), firstDayCounts: false, from: "2026-01-30") == "2026-02-28")
        #expect(due(.months(1), from: "2024-01-31") == "2024-02-29")
        #expect(due(.months(1), from: "2026-08-31") == "2026-09-30")
        #expect(due(.months(2), from: "2026-12-31") == "2027-02-28")
        #expect(due(.years(1), from: "2024-02-29") == "2025-02-28")
        #expect(due(.years(4), from: "2024-02-29") == "2028-02-28")
    }

    @Test func aPeriodStartingOnTheFirstEndsAtTheEndOfAMonth() {
        #expect(due(.months(1), from: "2026-03-01") == "2026-03-31")
        #expect(due(.months(1), firstDayCounts: false, from: "2026-03-31") == "2026-04-30")
        #expect(due(.months(12), from: "2026-01-01") == "2026-12-31")
        #expect(due(.years(1), firstDayCounts: false, from: "2025-12-31") == "2026-12-31")
        #expect(due(.months(1), from: "2026-02-28") == "2026-03-27")
    }

    @Test func everyMonthPeriodEndsTheDayBeforeTheCorrespondingDayOrAtMonthEnd() throws {
        let first = try #require(day("2024-01-01"))
        for offset in 0..<(4 * 366) {
            let start = try #require(first.adding(days: offset))
            for months in [1, 2, 3, 6, 12, 13, 24] {
                let end = try #require(Deadline(period: .months(months)).dueDate(from: start))
                let next = try #require(end.adding(days: 1))
                let target = start.year * 12 + start.month - 1 + months
                let targetYear = target / 12
                let targetMonth = target % 12 + 1
                if start.day <= CalendarDate.daysIn(month: targetMonth, year: targetYear) {
                    #expect(next == CalendarDate(year: targetYear, month: targetMonth, day: start.day))
                } else {
                    #expect(end == CalendarDate(
                        year: targetYear, month: targetMonth, day: CalendarDate.daysIn(month: targetMonth, year: targetYear)))
                }
            }
            #expect(Deadline(period: .years(1)).dueDate(from: start) == Deadline(period: .months(12)).dueDate(from: start))
        }
    }

    @Test func badCountsAndDatesPastTheCalendarGiveNoDate() throws {
        let start = try #require(day("2026-01-05"))
        for period in [Deadline.Period.days(0), .days(-1), .days(Int.max), .days(Int.min), .months(0), .months(Int.max),
            .months(Int.min), .years(0), .years(Int.max), .years(Int.min)]
        {
            #expect(Deadline(period: period).dueDate(from: start) == nil, "\(period)")
        }
        let lastDay = try #require(day("9999-12-31"))
        #expect(Deadline(period: .days(1), firstDayCounts: false).dueDate(from: lastDay) == nil)
        #expect(Deadline(period: .days(1)).dueDate(from: lastDay) == lastDay)
        #expect(due(.years(1), from: "9999-01-05") == nil)
    }
}
