@testable import Flows
import MadoguchiCore
import Testing

// MARK: helpers

private func day(_ iso: String) -> CalendarDate? { CalendarDate(iso: iso) }

private func parsed(_ text: String) -> CalendarDate? { try? DateInput.parse(text).get() }

private func failure(_ text: String) -> DateInputError? {
    guard case .failure(let error) = DateInput.parse(text) else { return nil }
    return error
}

private func failure(_ result: Result<CalendarDate, DateInputError>) -> DateInputError? {
    guard case .failure(let error) = result else { return nil }
    return error
}

/// The day before a Gregorian (year, month, day), as a `CalendarDate`.
private func dayBefore(_ day: (year: Int, month: Int, day: Int)) -> CalendarDate? {
    CalendarDate(year: day.year, month: day.month, day: day.day)?.adding(days: -1)
}

@Suite("Wareki: eras, 和暦 text and Gregorian month lengths")
struct WarekiTests {
    @Test(arguments: [
        ((1980, 4, 1), "昭和55年4月1日"), ((1989, 1, 7), "昭和64年1月7日"), ((1989, 1, 8), "平成元年1月8日"),
        ((2019, 4, 30), "平成31年4月30日"), ((2019, 5, 1), "令和元年5月1日"), ((2026, 1, 5), "令和8年1月5日"),
        ((1926, 12, 25), "昭和元年12月25日"), ((1912, 7, 30), "大正元年7月30日"), ((1900, 1, 1), "明治33年1月1日"),
        ((1868, 10, 23), "明治元年10月23日"),
    ] as [((Int, Int, Int), String)])
    func warekiTextUsesTheEraOfTheDayWithGannenAndNoPadding(_ date: (Int, Int, Int), _ expected: String) {
        #expect(WarekiDate(gregorianYear: date.0, month: date.1, day: date.2)?.text == expected)
    }

    @Test func daysBeforeMeijiOrThatDoNotExistHaveNoWareki() {
        #expect(WarekiDate(gregorianYear: 1868, month: 10, day: 22) == nil)
        #expect(WarekiDate(gregorianYear: 2026, month: 2, day: 29) == nil)
        #expect(WarekiDate(gregorianYear: 2026, month: 13, day: 1) == nil)
        #expect(WarekiDate(gregorianYear: 0, month: 1, day: 1) == nil)
    }

    @Test func anEraDateExistsOnlyInsideItsEra() {
        #expect(WarekiDate(era: .showa, year: 64, month: 1, day: 7)?.gregorianYear == 1989)
        #expect(WarekiDate(era: .showa, year: 64, month: 1, day: 8) == nil)
        #expect(WarekiDate(era: .heisei, year: 32, month: 1, day: 1) == nil)
        #expect(WarekiDate(era: .reiwa, year: 1, month: 4, day: 30) == nil)
        #expect(WarekiDate(era: .reiwa, year: 0, month: 5, day: 1) == nil)
        #expect(WarekiDate(era: .reiwa, year: Int.max, month: 1, day: 1) == nil)
        #expect(WarekiDate(era: .reiwa, year: 1, month: 5, day: 1)?.yearText == "元")
        #expect(WarekiDate(era: .reiwa, year: 8, month: 1, day: 5)?.yearText == "8")
    }

    @Test func erasFollowOneAnotherWithoutGapOrOverlap() {
        let lastDays = JapaneseEra.allCases.map { $0.lastDay.map { [$0.year, $0.month, $0.day] } }
        #expect(lastDays == [[1912, 7, 29], [1926, 12, 24], [1989, 1, 7], [2019, 4, 30], nil])
        #expect(JapaneseEra.allCases.map(\.lastYear) == [45, 15, 64, 31, nil])
        for era in JapaneseEra.allCases {
            guard let next = era.next else { continue }
            #expect(next.previous == era)
            #expect(dayBefore(next.firstDay) == era.lastDay.flatMap { CalendarDate(year: $0.year, month: $0.month, day: $0.day) })
            #expect(JapaneseEra.of(year: next.firstDay.year, month: next.firstDay.month, day: next.firstDay.day) == next)
        }
        #expect(JapaneseEra.allCases.map(\.initial) == ["M", "T", "S", "H", "R"])
        #expect(JapaneseEra.allCases.map(\.kanji) == ["明治", "大正", "昭和", "平成", "令和"])
        #expect(JapaneseEra(initial: "r") == .reiwa)
        #expect(JapaneseEra(initial: "X") == nil)
        #expect(JapaneseEra(kanji: "昭和") == .showa)
    }

    @Test func gregorianMonthLengthsFollowTheLeapYearRule() {
        #expect(Gregorian.isValidDate(year: 2024, month: 2, day: 29))
        #expect(Gregorian.isValidDate(year: 2000, month: 2, day: 29))
        #expect(!Gregorian.isValidDate(year: 1900, month: 2, day: 29))
        #expect(!Gregorian.isValidDate(year: 2026, month: 4, day: 31))
        #expect(!Gregorian.isValidDate(year: 0, month: 1, day: 1))
        #expect(!Gregorian.isValidDate(year: 2026, month: 0, day: 1))
        #expect(Gregorian.daysIn(month: 13, year: 2026) == 0)
    }
}

@Suite("Date input: typed and picked dates in 和暦 and the Western calendar")
struct DateInputTests {
    // MARK: spellings

    @Test(arguments: [
        ("令和8年1月5日", "2026-01-05"), ("令和元年5月1日", "2019-05-01"), ("R8.1.5", "2026-01-05"),
        ("r8/1/5", "2026-01-05"), ("H31.4.30", "2019-04-30"), ("S55.4.1", "1980-04-01"),
        ("M45.7.29", "1912-07-29"), ("T1.7.30", "1912-07-30"), ("2026-01-05", "2026-01-05"),
        ("2026/1/5", "2026-01-05"), ("2026年1月5日", "2026-01-05"), ("R元.5.1", "2019-05-01"),
        ("令和1年5月1日", "2019-05-01"), ("h1-1-8", "1989-01-08"), ("R08.01.05", "2026-01-05"),
        ("平成元年1月8日", "1989-01-08"), ("明治6年1月1日", "1873-01-01"), ("R8年1月5日", "2026-01-05"),
    ])
    func everyAcceptedSpellingReadsAsTheSameDay(_ text: String, _ iso: String) {
        #expect(parsed(text) == day(iso))
    }

    @Test(arguments: [
        "　令和８年１月５日　", "Ｒ８．１．５", "ｒ８／１／５", "２０２６－０１－０５", "２０２６年１月５日", " 2026-01-05\n",
        "\t2026/1/5 ", "㋿8年1月5日", "R 8 . 1 . 5", "令和 8年 1月 5日", "R8。1。5", "2026ー01ー05",
    ])
    func fullWidthFormsAndSpacesAreFolded(_ text: String) {
        #expect(parsed(text) == day("2026-01-05"))
    }

    @Test func squareEraSignsReadAsTheirEras() {
        #expect(parsed("㍻31.4.30") == day("2019-04-30"))
        #expect(parsed("㍼64年1月7日") == day("1989-01-07"))
        #expect(parsed("㍽元年7月30日") == day("1912-07-30"))
        #expect(parsed("㍾45年7月29日") == day("1912-07-29"))
    }

    // MARK: round trips

    @Test(arguments: [
        ("明治45年7月29日", "1912-07-29"), ("大正元年7月30日", "1912-07-30"), ("大正15年12月24日", "1926-12-24"),
        ("昭和元年12月25日", "1926-12-25"), ("昭和64年1月7日", "1989-01-07"), ("平成元年1月8日", "1989-01-08"),
        ("平成31年4月30日", "2019-04-30"), ("令和元年5月1日", "2019-05-01"),
    ])
    func eraBoundaryDaysRoundTripBothWays(_ text: String, _ iso: String) {
        #expect(parsed(text) == day(iso))
        #expect(day(iso)?.wareki?.text == text)
        #expect(day(iso)?.wareki.flatMap(CalendarDate.init) == day(iso))
    }

    @Test func everyDayFrom1873To2030RoundTripsThroughWarekiText() throws {
        let first = try #require(day("1873-01-01"))
        let last = try #require(day("2030-12-31"))
        var mismatches: [String] = []
        for offset in 0...last.days(since: first) {
            guard let date = first.adding(days: offset), let wareki = date.wareki else {
                mismatches.append("day \(offset)")
                continue
            }
            let initials = "\(wareki.era.initial)\(wareki.year).\(wareki.month).\(wareki.day)"
            if parsed(wareki.text) != date || parsed(initials) != date || parsed(date.description) != date {
                mismatches.append(date.description)
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    // MARK: outside an era

    @Test func outsideEraMessagesMatchTheContractPage() {
        let heisei32 = failure("平成32年1月1日")
        #expect(heisei32?.kind == .outsideEra)
        #expect(heisei32?.message.ja == "平成32年はありません。平成は31年4月30日までです。令和2年ではありませんか?")
        #expect(
            heisei32?.message.en == "There is no Heisei 32: Heisei ended on 30 April Heisei 31 (2019). Did you mean Reiwa 2?")
        #expect(heisei32?.suggestion == day("2020-01-01"))

        let showa64 = failure("昭和64年1月8日")
        #expect(showa64?.kind == .outsideEra)
        #expect(showa64?.message.ja == "昭和64年1月8日はありません。昭和は64年1月7日までです。平成元年1月8日ではありませんか?")
        #expect(showa64?.message.en == "Showa 64 ended on 7 January; 8 January 1989 is Heisei 1 (元年).")
        #expect(showa64?.suggestion == day("1989-01-08"))
    }

    @Test func aDayBeforeAnEraBeganSuggestsThePreviousEra() {
        let reiwa1 = failure("令和1年4月30日")
        #expect(reiwa1?.kind == .outsideEra)
        #expect(reiwa1?.message.ja == "令和元年4月30日はありません。令和は元年5月1日からです。平成31年4月30日ではありませんか?")
        #expect(reiwa1?.message.en == "Reiwa 1 began on 1 May; 30 April 2019 is Heisei 31.")
        #expect(reiwa1?.suggestion == day("2019-04-30"))

        let reiwa0 = failure("R0.6.1")
        #expect(reiwa0?.kind == .outsideEra)
        #expect(reiwa0?.message.ja == "令和0年はありません。令和は元年5月1日からです。平成30年ではありませんか?")
        #expect(reiwa0?.message.en == "There is no Reiwa 0: Reiwa began on 1 May Reiwa 1 (2019). Did you mean Heisei 30?")
        #expect(reiwa0?.suggestion == day("2018-06-01"))
    }

    @Test(arguments: [JapaneseEra.meiji, .taisho, .showa, .heisei])
    func everyEraBoundaryIsCheckedOnBothSides(_ era: JapaneseEra) throws {
        let next = try #require(era.next)
        let lastYear = try #require(era.lastYear)
        let last = try #require(era.lastDay)
        let lastDate = try #require(CalendarDate(year: last.year, month: last.month, day: last.day))
        let firstDate = try #require(lastDate.adding(days: 1))

        // The last day inside the era, and the next day written in the same era.
        #expect(DateInput.date(.era(era), year: lastYear, month: last.month, day: last.day) == .success(lastDate))
        let after = failure(DateInput.date(.era(era), year: lastYear, month: firstDate.month, day: firstDate.day))
        #expect(after?.kind == .outsideEra)
        #expect(after?.suggestion == firstDate)
        #expect(after?.message.ja.hasSuffix("\(next.kanji)元年\(firstDate.month)月\(firstDate.day)日ではありませんか?") == true)

        // The first day of the next era, and the day before written in the next era.
        #expect(DateInput.date(.era(next), year: 1, month: firstDate.month, day: firstDate.day) == .success(firstDate))
        let before = failure(DateInput.date(.era(next), year: 1, month: last.month, day: last.day))
        #expect(before?.kind == .outsideEra)
        #expect(before?.suggestion == lastDate)
        #expect(before?.message.ja.hasSuffix("\(era.kanji)\(lastYear)年\(last.month)月\(last.day)日ではありませんか?") == true)

        // A year past the era's last.
        #expect(failure(DateInput.date(.era(era), year: lastYear + 1, month: 6, day: 1))?.kind == .outsideEra)
    }

    @Test func warekiDatesBeforeTheGregorianAdoptionAreRefused() {
        for text in ["明治5年12月2日", "M5.12.31", "明治元年10月23日", "M1.1.1", "明治0年1月1日", "M5.2.30"] {
            #expect(failure(text)?.kind == .beforeGregorianAdoption, "\(text)")
        }
        #expect(failure("M5.12.31")?.message.en.contains("Western calendar") == true)
        #expect(parsed("明治6年1月1日") == day("1873-01-01"))
        #expect(parsed("1872-12-31") == day("1872-12-31"))
    }

    // MARK: other mistakes

    @Test func daysAndMonthsThatDoNotExistAreInvalidDates() {
        let february = failure("令和8年2月29日")
        #expect(february?.kind == .invalidDate)
        #expect(february?.message.ja == "令和8年2月29日はありません。令和8年2月は28日までです。")
        #expect(february?.message.en == "There is no 29 February Reiwa 8 (2026): February Reiwa 8 (2026) has 28 days.")
        #expect(failure("2026-02-30")?.message.ja == "2026年2月30日はありません。2026年2月は28日までです。")
        #expect(failure("2026-13-01")?.message.ja == "13月はありません。月は1から12で入力してください。")
        #expect(failure("R8.1.32")?.message.en == "There is no day 32: enter a day from 1 to 31.")
        for text in ["2026-00-10", "2026-04-31", "0000-01-01", "R8.4.0", "H31.2.29"] {
            #expect(failure(text)?.kind == .invalidDate, "\(text)")
        }
        #expect(parsed("2024-02-29") == day("2024-02-29"))
    }

    @Test(arguments: ["8年1月5日", "31.4.30", "元年5月1日", "26-01-05", "8/1/5"])
    func aShortYearWithoutAnEraAsksForOne(_ text: String) {
        #expect(failure(text)?.kind == .missingEra)
    }

    @Test func garbageIsAnErrorNeverATrap() {
        #expect(failure("")?.kind == .empty)
        #expect(failure(" \u{3000}\n")?.kind == .empty)
        #expect(failure("R99999999999999999999.1.1")?.kind == .outOfRange)
        #expect(failure("R9999.1.1")?.kind == .outOfRange)
        #expect(failure("99999-01-01")?.kind == .outOfRange)
        #expect(failure("2026-99999999999999999999-01")?.kind == .invalidDate)
        #expect(failure("2026-01-99999999999999999999")?.kind == .invalidDate)
        #expect(failure(String(repeating: "9", count: 10_000) + "-1-1")?.kind == .outOfRange)
        let unreadable = [
            "😀", "令和", "R", "RR8.1.5", "Reiwa 8.1.5", "R8.1/5", "2026-1-5日", "R8.1.5.", "2026-01-05-01",
            "\u{0}", "R-1.1.1", "Ｒ８．１．５😀", "令和8年1月", "8", "年月日", "R8..1.5", "X8.1.5", "大化元年1月1日",
        ]
        for text in unreadable {
            #expect(failure(text)?.kind == .unrecognised, "\(text)")
        }
        var random = SeededGenerator(state: 2026)
        let pieces = ["1", "9", "0", "99999", ".", "/", "-", "年", "月", "日", "元", "令和", "R", "s", "　", "😀", "１", "\u{301}"]
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
            if case .success(let date) = DateInput.parse(text) {
                #expect(CalendarDate(iso: date.description) == date, "\(text)")
            }
        }
    }

    @Test func messagesRepeatNothingButTheDate() {
        for text in ["山田太郎", "東京都千代田区1-1-1", "090-1234-5678"] {
            let message = failure(text)?.message
            #expect(message != nil)
            #expect(message?.ja.contains(text) == false)
            #expect(message?.en.contains(text) == false)
        }
    }

    // MARK: touch screen

    @Test func pickedDatesGoThroughTheSameChecks() {
        #expect((try? DateInput.date(.era(.reiwa), year: 8, month: 1, day: 5).get()) == day("2026-01-05"))
        #expect((try? DateInput.date(.era(.reiwa), year: 1, month: 5, day: 1).get()) == day("2019-05-01"))
        #expect(DateInput.date(.western, year: 2026, month: 1, day: 5) == DateInput.parse("2026-01-05"))
        #expect(DateInput.date(.era(.heisei), year: 32, month: 1, day: 1) == DateInput.parse("平成32年1月1日"))
        #expect(failure(DateInput.date(.era(.meiji), year: 5, month: 12, day: 2))?.kind == .beforeGregorianAdoption)
        #expect(failure(DateInput.date(.western, year: 0, month: 1, day: 1))?.kind == .invalidDate)
        #expect(failure(DateInput.date(.western, year: 10_000, month: 1, day: 1))?.kind == .outOfRange)
        for extreme in [Int.min, -1, Int.max] {
            #expect(failure(DateInput.date(.era(.reiwa), year: extreme, month: 1, day: 1)) != nil)
            #expect(failure(DateInput.date(.western, year: extreme, month: 1, day: 1)) != nil)
            #expect(failure(DateInput.date(.western, year: 2026, month: extreme, day: 1))?.kind == .invalidDate)
            #expect(failure(DateInput.date(.era(.showa), year: 50, month: 1, day: extreme))?.kind == .invalidDate)
        }
    }
}
