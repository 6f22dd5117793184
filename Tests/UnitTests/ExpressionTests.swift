import Flows
import MadoguchiCore
import Testing

// MARK: helpers

private func date(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

private func parseError(_ text: String) -> ExpressionError? {
    do throws(ExpressionError) {
        _ = try Expression.parse(text)
        return nil
    } catch {
        return error
    }
}

/// Values for the truth tables: t, f, n (null), u (unknown).
private let logicValues: [String: ExpressionValue] = [
    "answers.t": .boolean(true), "answers.f": .boolean(false), "answers.n": .null, "answers.u": .unknown,
]

private func evaluate(
    _ text: String, _ values: [String: ExpressionValue] = logicValues, today: String = "2026-01-05",
    item: ExpressionValue? = nil
) throws -> ExpressionValue {
    try Expression.parse(text).evaluate(in: ExpressionValues(today: date(today), values: values, currentItem: item))
}

/// The symbols of the okuyami flow in `docs/contracts/form-bundle.md`.
private var okuyamiSymbols: ExpressionSymbols {
    var symbols = ExpressionSymbols()
    symbols.defineIdentity()
    symbols.define("answers.insurance", as: .text, choices: ["kokuho", "kouki", "shaho", "unknown"])
    symbols.define("answers.benefits", as: .textList, choices: ["pension", "childAllowance", "none"])
    symbols.define("answers.deceasedWasHead", as: .boolean)
    symbols.define("answers.membersAged15OrOver", as: .number)
    symbols.define("answers.dateOfDeath", as: .date)
    symbols.define("answers.deceasedBirthDate", as: .date)
    symbols.define("answers.applicant", as: .object)
    symbols.define("answers.applicant.addressChanged", as: .boolean)
    symbols.define("answers.applicant.newAddress", as: .text)
    symbols.define(
        "answers.heirs", as: .itemList(fields: ["name": .text, "relationship": .text, "livedTogether": .boolean]),
        itemChoices: ["relationship": ["spouse", "child", "other"]])
    symbols.define("computed.deceasedAge", as: .number)
    symbols.define("computed.headChangeNeeded", as: .boolean)
    return symbols
}

private func typeErrors(_ text: String, in symbols: ExpressionSymbols = okuyamiSymbols) throws -> [ExpressionError] {
    switch try Expression.parse(text).typeCheck(in: symbols) {
    case .success: []
    case .failure(let errors): errors.errors
    }
}

private func checkedType(_ text: String, in symbols: ExpressionSymbols = okuyamiSymbols) throws -> ExpressionType? {
    try? Expression.parse(text).typeCheck(in: symbols).get()
}

@Suite("Expressions: parser, printer, type checker, evaluator")
struct ExpressionTests {
    // MARK: precedence and associativity

    @Test func precedenceBindsLooserToTighterAsOrAndNotComparisonSumUnary() throws {
        let pairs = [
            ("answers.a or answers.b and answers.c", "answers.a or (answers.b and answers.c)"),
            ("not answers.a and answers.b", "(not answers.a) and answers.b"),
            ("not answers.a == 1", "not (answers.a == 1)"),
            ("answers.a == 1 or answers.b", "(answers.a == 1) or answers.b"),
            ("1 + 2 == 3", "(1 + 2) == 3"),
            ("-1 + 2", "(-1) + 2"),
            ("answers.x in ['a'] and answers.y", "(answers.x in ['a']) and answers.y"),
        ]
        for (written, bracketed) in pairs {
            #expect(try Expression.parse(written) == Expression.parse(bracketed), "\(written)")
        }
        #expect(try Expression.parse("answers.a or answers.b and answers.c") != Expression.parse("(answers.a or answers.b) and answers.c"))
    }

    @Test func binaryOperatorsAssociateToTheLeft() throws {
        #expect(try Expression.parse("1 - 2 - 3") == Expression.parse("(1 - 2) - 3"))
        #expect(try evaluate("1 - 2 - 3") == .number(-4))
        #expect(try evaluate("1 - (2 - 3)") == .number(2))
        #expect(try Expression.parse("answers.a or answers.b or answers.c") == Expression.parse("(answers.a or answers.b) or answers.c"))
        #expect(try Expression.parse("not not answers.a") == Expression.parse("not (not answers.a)"))
    }

    @Test func printingGivesCanonicalTextWithOnlyTheNeededBrackets() throws {
        let cases = [
            ("answers.a  or(answers.b and answers.c)", "answers.a or answers.b and answers.c"),
            ("(answers.a or answers.b) and answers.c", "(answers.a or answers.b) and answers.c"),
            ("1 - (2 - 3)", "1 - (2 - 3)"),
            ("((1 - 2)) - 3", "1 - 2 - 3"),
            ("-(1+2)", "-(1 + 2)"),
            ("not(answers.a)", "not answers.a"),
            ("(1 == 2) == true", "(1 == 2) == true"),
            ("007 + 1.50", "7 + 1.5"),
            ("'it\\'s a \\\\ b'", "'it\\'s a \\\\ b'"),
            ("count( answers.h ,item.x )", "count(answers.h, item.x)"),
            ("[ 'a','b' ] ", "['a', 'b']"),
            ("today()", "today()"),
        ]
        for (written, canonical) in cases {
            #expect(try Expression.parse(written).description == canonical, "\(written)")
            #expect(try Expression.parse(canonical) == Expression.parse(written))
        }
        #expect(try Expression.parse("123456789012345678901234567890").description == "123456789012345680000000000000")
        #expect(try Expression.parse("0.000001").description == "0.000001")
    }

    @Test func nodesCarryTheColumnOfTheirTokenCountedInUnicodeScalars() throws {
        let expression = try Expression.parse("'世帯主' == answers.relationship")
        #expect(expression.offset == 7)
        guard case .binary(.equal, let left, let right) = expression.node else {
            Issue.record("not a comparison")
            return
        }
        #expect(left.offset == 1)
        #expect(right.offset == 10)
        #expect(try Expression.parse("  count(answers.h)").offset == 3)
        let references = try Expression.parse("answers.a and\n identity.sex.code == '1'").references
        #expect(references.map(\.reference.description) == ["answers.a", "identity.sex.code"])
        #expect(references.map(\.offset) == [1, 16])
    }

    // MARK: operators and functions

    @Test func everyOperatorComputesItsValue() throws {
        #expect(try evaluate("1 == 1") == .boolean(true))
        #expect(try evaluate("'a' != 'b'") == .boolean(true))
        #expect(try evaluate("1 < 2") == .boolean(true))
        #expect(try evaluate("2 <= 2") == .boolean(true))
        #expect(try evaluate("2 > 2") == .boolean(false))
        #expect(try evaluate("3 >= 2.5") == .boolean(true))
        #expect(try evaluate("'b' in ['a', 'b']") == .boolean(true))
        #expect(try evaluate("'c' in ['a', 'b']") == .boolean(false))
        #expect(try evaluate("'c' in []") == .boolean(false))
        #expect(try evaluate("1.5 + 2") == .number(3.5))
        #expect(try evaluate("1 - 2") == .number(-1))
        #expect(try evaluate("-(1 - 3)") == .number(2))
        #expect(try evaluate("true and false") == .boolean(false))
        #expect(try evaluate("true or false") == .boolean(true))
        #expect(try evaluate("not false") == .boolean(true))
        #expect(try evaluate("date('2026-01-05') < date('2026-01-06')") == .boolean(true))
        #expect(try evaluate("date('2026-01-05') >= date('2026-01-06')") == .boolean(false))
        #expect(try evaluate("[1, 2] == [1, 2]") == .boolean(true))
        #expect(try evaluate("'pension' in answers.b", ["answers.b": .list([.text("pension")])]) == .boolean(true))
    }

    @Test func referencesReachIntoObjectsAndTheCurrentItem() throws {
        let values: [String: ExpressionValue] = [
            "answers.applicant": .object(["addressChanged": .boolean(true), "newAddress": .text("霞町1-2")]),
            "identity.sex.code": .text("2"),
            "answers.staffOnly": .unknown,
        ]
        #expect(try evaluate("answers.applicant.addressChanged", values) == .boolean(true))
        #expect(try evaluate("answers.applicant.missing == null", values) == .boolean(true))
        #expect(try evaluate("identity.sex.code == '2'", values) == .boolean(true))
        #expect(try evaluate("answers.staffOnly.part", values) == .unknown)
        #expect(try evaluate("answers.nothing", values) == .null)
        #expect(try evaluate("item.relationship != 'other'", item: .object(["relationship": .text("child")])) == .boolean(true))
        #expect(try evaluate("item.relationship") == .null)
    }

    @Test func todayDateAndAgeFunctions() throws {
        #expect(try evaluate("today()", today: "2026-01-05") == .date(date("2026-01-05")))
        #expect(try evaluate("date('2024-02-29')") == .date(date("2024-02-29")))
        #expect(try evaluate("age(date('1950-01-06'))", today: "2026-01-05") == .number(75))
        #expect(try evaluate("age(date('1950-01-05'))", today: "2026-01-05") == .number(76))
        #expect(try evaluate("age(date('1950-06-01'), date('2025-12-31'))") == .number(75))
        #expect(try evaluate("age(answers.n)") == .null)
        #expect(try evaluate("age(answers.u, today())") == .unknown)
    }

    @Test func ageOfSomeoneBornOn29FebruaryGrowsOn1MarchInCommonYears() throws {
        let born = "date('2000-02-29')"
        #expect(try evaluate("age(\(born), date('2001-02-28'))") == .number(0))
        #expect(try evaluate("age(\(born), date('2001-03-01'))") == .number(1))
        #expect(try evaluate("age(\(born), date('2003-02-28'))") == .number(2))
        #expect(try evaluate("age(\(born), date('2004-02-28'))") == .number(3))
        #expect(try evaluate("age(\(born), date('2004-02-29'))") == .number(4))
        #expect(try evaluate("age(\(born), date('2100-02-28'))") == .number(99))
        #expect(try evaluate("age(\(born), date('2100-03-01'))") == .number(100))
        #expect(date("2004-02-29").fullYears(since: date("2000-02-29")) == 4)
    }

    @Test func datesMoveByDaysAndSubtractToDays() throws {
        #expect(try evaluate("date('2026-01-05') + 14 == date('2026-01-19')") == .boolean(true))
        #expect(try evaluate("date('2026-03-01') - 1") == .date(date("2026-02-28")))
        #expect(try evaluate("date('2024-03-01') - 1") == .date(date("2024-02-29")))
        #expect(try evaluate("date('2025-12-31') + 1") == .date(date("2026-01-01")))
        #expect(try evaluate("date('2025-01-01') - date('2024-01-01')") == .number(366))
        #expect(try evaluate("date('2024-01-01') - date('2025-01-01')") == .number(-366))
        #expect(try evaluate("today() - answers.d", ["answers.d": .date(date("2025-12-26"))]) == .number(10))
        #expect(try evaluate("date('9999-12-31') + 1") == .null)
    }

    @Test func calendarDatesRoundTripThroughDayNumbers() {
        var random = SeededGenerator(state: 7)
        for _ in 0..<2_000 {
            let days = Int.random(in: -719_162...2_932_896, using: &random)
            let day = CalendarDate(daysSinceEpoch: days)
            #expect(day?.daysSinceEpoch == days)
            #expect(day.flatMap { CalendarDate(iso: $0.description) } == day)
        }
        #expect(CalendarDate(iso: "2026-02-30") == nil)
        #expect(CalendarDate(iso: "2026-1-05") == nil)
        #expect(CalendarDate(iso: "１９７０-01-01") == nil)
        #expect(date("1970-01-01").daysSinceEpoch == 0)
    }

    @Test func countAnyAndAllTestEachItemAndTreatNullAsEmpty() throws {
        let heirs: ExpressionValue = .list([
            .object(["relationship": .text("spouse"), "livedTogether": .boolean(true)]),
            .object(["relationship": .text("child"), "livedTogether": .boolean(false)]),
            .object(["relationship": .text("child"), "livedTogether": .null]),
        ])
        let values: [String: ExpressionValue] = ["answers.heirs": heirs, "answers.none": .null, "answers.b": .list([.text("x")])]
        #expect(try evaluate("count(answers.heirs)", values) == .number(3))
        #expect(try evaluate("count(answers.b)", values) == .number(1))
        #expect(try evaluate("count(answers.heirs, item.relationship == 'child')", values) == .number(2))
        #expect(try evaluate("count(answers.heirs, item.livedTogether)", values) == .number(1))
        #expect(try evaluate("any(answers.heirs, item.relationship == 'spouse')", values) == .boolean(true))
        #expect(try evaluate("all(answers.heirs, item.relationship == 'child')", values) == .boolean(false))
        #expect(try evaluate("all(answers.heirs, item.relationship != 'other')", values) == .boolean(true))
        #expect(try evaluate("count(answers.none)", values) == .number(0))
        #expect(try evaluate("count(answers.none, item.x)", values) == .number(0))
        #expect(try evaluate("any(answers.none, item.x)", values) == .boolean(false))
        #expect(try evaluate("all(answers.none, item.x)", values) == .boolean(true))
        #expect(try evaluate("count(answers.u)") == .unknown)
    }

    @Test func countAnyAndAllGiveUnknownOnlyWhenAnUnknownItemCouldChangeTheAnswer() throws {
        let items: ExpressionValue = .list([.object(["ok": .boolean(true)]), .object(["ok": .unknown]), .object(["ok": .boolean(false)])])
        let values = ["answers.items": items]
        #expect(try evaluate("count(answers.items, item.ok)", values) == .unknown)
        #expect(try evaluate("any(answers.items, item.ok)", values) == .boolean(true))
        #expect(try evaluate("all(answers.items, item.ok)", values) == .boolean(false))
        #expect(try evaluate("any(answers.items, item.ok and false)", values) == .boolean(false))
        #expect(try evaluate("all(answers.items, item.ok or true)", values) == .boolean(true))
        #expect(try evaluate("any(answers.items, not item.ok and item.ok)", values) == .unknown)
    }

    // MARK: three-valued logic

    @Test func andOrNotFollowThreeValuedTruthTables() throws {
        let table: [(String, ExpressionValue)] = [
            ("answers.f and answers.u", .boolean(false)), ("answers.u and answers.f", .boolean(false)),
            ("answers.t and answers.u", .unknown), ("answers.u and answers.t", .unknown),
            ("answers.u and answers.u", .unknown), ("answers.t and answers.t", .boolean(true)),
            ("answers.n and answers.u", .boolean(false)), ("answers.t and answers.n", .boolean(false)),
            ("answers.t or answers.u", .boolean(true)), ("answers.u or answers.t", .boolean(true)),
            ("answers.f or answers.u", .unknown), ("answers.u or answers.n", .unknown),
            ("answers.n or answers.f", .boolean(false)), ("answers.n or answers.t", .boolean(true)),
            ("not answers.u", .unknown), ("not answers.n", .boolean(true)), ("not answers.t", .boolean(false)),
        ]
        for (text, expected) in table { #expect(try evaluate(text) == expected, "\(text)") }
    }

    @Test func equalityTreatsNullAsAValueWhileOtherOperatorsPassNullOn() throws {
        #expect(try evaluate("answers.n == null") == .boolean(true))
        #expect(try evaluate("answers.n != null") == .boolean(false))
        #expect(try evaluate("answers.t == null") == .boolean(false))
        #expect(try evaluate("answers.n == 'kokuho'") == .boolean(false))
        #expect(try evaluate("answers.n < 3") == .null)
        #expect(try evaluate("answers.n + 1") == .null)
        #expect(try evaluate("-answers.n") == .null)
        #expect(try evaluate("answers.n in ['a']") == .null)
        #expect(try evaluate("'a' in answers.n") == .null)
        #expect(try evaluate("date(answers.n)") == .null)
    }

    @Test func unknownSpreadsThroughEveryOtherOperatorAndFunction() throws {
        for text in [
            "answers.u == null", "answers.u != 1", "answers.u < 3", "answers.u + 1", "-answers.u", "answers.u in ['a']",
            "'a' in answers.u", "'a' in ['b', answers.u]", "date(answers.u)", "age(answers.u)", "any(answers.u, item.x)",
            "[answers.u] == ['a']",
        ] {
            #expect(try evaluate(text) == .unknown, "\(text)")
        }
        #expect(try evaluate("'a' in ['a', answers.u]") == .boolean(true))
    }

    @Test func decisionsCountNullAsFalseAndKeepUnknown() throws {
        #expect(ExpressionValue.boolean(true).decision == .yes)
        #expect(ExpressionValue.boolean(false).decision == .no)
        #expect(ExpressionValue.null.decision == .no)
        #expect(ExpressionValue.unknown.decision == .unknown)
        #expect(try evaluate("answers.n").decision == .no)
        #expect(try evaluate("answers.insurance == 'kouki' or answers.u", ["answers.insurance": .text("kokuho"), "answers.u": .unknown]).decision == .unknown)
    }

    // MARK: parser errors

    @Test func everyParserErrorPointsAtTheOffendingToken() {
        let cases: [(text: String, offset: Int, kind: ExpressionError.Kind, english: String)] = [
            ("", 1, .syntax, "empty"),
            ("  \n ", 1, .syntax, "empty"),
            ("answers.x == 'abc", 14, .syntax, "not closed with '"),
            ("'a\\nb'", 3, .syntax, "only \\' and \\\\"),
            ("answers.insurance in ['kokuho' 'kouki']", 32, .syntax, "the list is not closed after 'kokuho'"),
            ("['a'", 5, .syntax, "the list is not closed"),
            ("(1 + 2", 7, .syntax, "')' is missing after '2'"),
            ("'世帯主' == ('a'", 14, .syntax, "')' is missing"),
            ("1 + 2)", 6, .syntax, "no matching '('"),
            ("[1]]", 4, .syntax, "no matching '['"),
            ("answers.a < 2 < 3", 15, .syntax, "cannot be chained"),
            ("answers.a == 1 in ['a']", 16, .syntax, "cannot be chained"),
            ("answers.a answers.b", 11, .syntax, "unexpected 'answers'"),
            ("cout(answers.x)", 1, .unknownFunction, "did you mean \"count\""),
            ("frobnicate(1)", 1, .unknownFunction, "the functions are"),
            ("age()", 1, .argumentCount, "age takes 1 or 2"),
            ("today(1)", 1, .argumentCount, "today takes 0"),
            ("1 + any(answers.h)", 5, .argumentCount, "any takes 2"),
            ("date('2026-01-01', 1)", 1, .argumentCount, "date takes 1"),
            ("answers.x = 1", 11, .syntax, "write =="),
            ("answers.x && answers.y", 11, .syntax, "write and"),
            ("answers.x !! 1", 11, .syntax, "write !="),
            ("\"kokuho\"", 1, .syntax, "single quotes"),
            ("answers.x\u{3000}== 1", 10, .syntax, "full-width space"),
            ("1 +", 4, .syntax, "missing after '+'"),
            ("answers.x ==", 13, .syntax, "missing after '=='"),
            ("answers.", 9, .syntax, "a name must follow '.'"),
            ("answers.and", 9, .syntax, "a name must follow '.'"),
            ("answers == 1", 9, .syntax, "must be followed by '.'"),
            ("answer.x", 1, .syntax, "did you mean \"answers\""),
            ("insurance == 'a'", 1, .syntax, "answers.insurance"),
            ("today + 1", 1, .syntax, "needs brackets"),
            ("1. + 2", 2, .syntax, "no digits after the '.'"),
            ("- -1", 3, .syntax, "two '-'"),
            ("[1,]", 4, .syntax, "missing after ','"),
            ("and answers.a", 1, .syntax, "missing before 'and'"),
            ("answers.a or or answers.b", 14, .syntax, "missing after 'or'"),
            ("()", 2, .syntax, "missing after '('"),
        ]
        #expect(cases.count >= 10)
        for testCase in cases {
            let error = parseError(testCase.text)
            #expect(error?.offset == testCase.offset, "\(testCase.text): \(String(describing: error))")
            #expect(error?.kind == testCase.kind, "\(testCase.text)")
            #expect(error?.message.en.contains(testCase.english) == true, "\(testCase.text): \(error?.message.en ?? "-")")
            #expect(error?.message.ja.isEmpty == false)
        }
    }

    @Test func unclosedListMessageMatchesTheContractPage() {
        let error = parseError("answers.insurance in ['kokuho' 'kouki']")
        #expect(error?.message.ja.hasPrefix("「'kokuho'」の後に「]」がありません") == true)
        #expect(error?.message.ja.hasSuffix("リストは ['kokuho', 'kouki'] のように書いてください。") == true)
        #expect(error?.column(startingAt: 10) == 41)
    }

    @Test func deepNestingAndOverlongChainsAreErrorsNotCrashes() {
        let brackets = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        #expect(parseError(brackets)?.kind == .tooDeep)
        #expect(parseError(String(repeating: "not ", count: 500) + "true")?.kind == .tooDeep)
        #expect(parseError(String(repeating: "[", count: 500))?.kind == .tooDeep)
        #expect(parseError(String(repeating: "count(", count: 500))?.kind == .tooDeep)
        #expect(parseError("1" + String(repeating: " + 1", count: 1_000))?.kind == .tooDeep)
        let nested = String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30)
        #expect(parseError(nested) == nil)
    }

    // MARK: type checking

    @Test func theContractExamplesTypeCheck() throws {
        #expect(try checkedType("answers.deceasedWasHead") == .boolean)
        #expect(try checkedType("answers.insurance in ['kokuho', 'kouki']") == .boolean)
        #expect(try checkedType("'pension' in answers.benefits") == .boolean)
        #expect(try checkedType("answers.applicant.addressChanged") == .boolean)
        #expect(
            try checkedType("answers.insurance == 'kouki' or (answers.insurance == 'unknown' and computed.deceasedAge >= 75)") == .boolean)
        #expect(try checkedType("age(answers.deceasedBirthDate, answers.dateOfDeath)") == .number)
        #expect(try checkedType("answers.deceasedWasHead and answers.membersAged15OrOver >= 2") == .boolean)
        #expect(try checkedType("any(answers.heirs, item.relationship == 'spouse')") == .boolean)
        #expect(try checkedType("count(answers.heirs, item.livedTogether)") == .number)
        #expect(try checkedType("today() - answers.dateOfDeath") == .number)
        #expect(try checkedType("answers.dateOfDeath + 14") == .date)
        #expect(try checkedType("answers.dateOfDeath >= date('2026-01-01')") == .boolean)
        #expect(try checkedType("identity.sex.code == '1' and age(identity.birthDate) >= 65") == .boolean)
        #expect(try checkedType("answers.insurance == null") == .boolean)
        #expect(try checkedType("[]") == .list(.null))
        #expect(try checkedType("answers.insurance in []") == .boolean)
    }

    @Test func unknownReferencesSuggestTheNearestName() throws {
        let errors = try typeErrors("answers.insurence == 'kokuho'")
        #expect(errors.count == 1)
        #expect(errors.first?.kind == .unknownReference)
        #expect(errors.first?.offset == 1)
        #expect(errors.first?.message.ja == "「answers.insurence」という質問はありません。「insurance」ではありませんか?")
        #expect(errors.first?.message.en == "there is no question answers.insurence; did you mean \"insurance\"?")
        #expect(try typeErrors("answers.applicant.adressChanged").first?.message.en.contains("\"addressChanged\"") == true)
        #expect(try typeErrors("computed.deceasedAg > 1").first?.message.en.contains("computed value computed.deceasedAg") == true)
        #expect(try typeErrors("answers.zzzzzz").first?.message.en.contains("check the spelling") == true)
        #expect(try typeErrors("count(answers.heirs, item.nmae != '')").first?.message.en.contains("\"name\"") == true)
    }

    @Test func textLiteralsComparedWithChoiceAnswersMustBeChoices() throws {
        let errors = try typeErrors("answers.insurance == 'kokho'")
        #expect(errors.map(\.kind) == [.choice])
        #expect(errors.first?.offset == 22)
        #expect(errors.first?.message.ja == "「'kokho'」は質問「insurance」の選択肢にありません。kokuho、kouki、shaho、unknown のどれかにしてください。")
        #expect(errors.first?.message.en == "'kokho' is not a choice of question \"insurance\"; use one of kokuho, kouki, shaho, unknown.")
        #expect(try typeErrors("'kouki' != answers.insurance").isEmpty)
        #expect(try typeErrors("answers.insurance in ['kokuho', 'kokho']").map(\.offset) == [33])
        #expect(try typeErrors("'pensoin' in answers.benefits").map(\.kind) == [.choice])
        #expect(try typeErrors("any(answers.heirs, item.relationship == 'spuose')").map(\.offset) == [41])
        #expect(try typeErrors("identity.sex.code == '3'").map(\.kind) == [.choice])
    }

    @Test func itemReferencesOutsideCountAnyAllAreRejected() throws {
        let errors = try typeErrors("item.relationship == 'spouse'")
        #expect(errors.map(\.kind) == [.itemOutsideCondition])
        #expect(errors.first?.offset == 1)
        #expect(try typeErrors("any(answers.heirs, item.livedTogether) and item.livedTogether").map(\.offset) == [44])
        #expect(try typeErrors("count(answers.heirs, item.livedTogether) > 1").isEmpty)
        var nested = okuyamiSymbols
        nested.boundItem = ["relationship": .init(.text, choices: ["spouse", "child", "other"])]
        #expect(try typeErrors("item.relationship != 'other'", in: nested).isEmpty)
        #expect(try typeErrors("item.relationship != 'othr'", in: nested).map(\.kind) == [.choice])
        #expect(try typeErrors("count(answers.benefits, item.x)").map(\.kind) == [.unknownReference])
    }

    @Test func operandsOfTheWrongTypeAreRejected() throws {
        let cases: [(String, Int, String)] = [
            ("answers.dateOfDeath >= '2026-01-01'", 21, "never compared with a date"),
            ("answers.dateOfDeath == '2026-01-01'", 21, "never compared with a date"),
            ("answers.insurance and true", 1, "'and' joins booleans"),
            ("not answers.membersAged15OrOver", 5, "'not' needs a boolean"),
            ("1 + 'a'", 3, "'+' works on two numbers"),
            ("1 + answers.dateOfDeath", 3, "'+' works on two numbers"),
            ("-answers.insurance", 2, "'-' needs a number"),
            ("answers.membersAged15OrOver == 'two'", 29, "same type"),
            ("answers.insurance < 'b'", 19, "two numbers or two dates"),
            ("answers.insurance in answers.heirs", 22, "use any("),
            ("answers.insurance in 'kokuho'", 22, "must be a list"),
            ("1 in ['a']", 3, "the left of 'in'"),
            ("[1, 'a'] == [1]", 5, "must all have one type"),
            ("date('2026-02-30') > today()", 6, "not a real date"),
            ("date(answers.insurance) > today()", 6, "written out"),
            ("age(answers.insurance) > 1", 5, "argument 1 of age"),
            ("count(answers.insurance) > 1", 7, "must be a list"),
            ("any(answers.heirs, item.name)", 20, "condition of any must be a boolean"),
        ]
        for (text, offset, english) in cases {
            let errors = try typeErrors(text)
            #expect(errors.count == 1, "\(text): \(errors)")
            #expect(errors.first?.offset == offset, "\(text): \(errors)")
            #expect(errors.first?.message.en.contains(english) == true, "\(text): \(errors)")
        }
        #expect(try typeErrors("date('2026-02-30')").first?.kind == .invalidDate)
    }

    @Test func typeCheckingReportsEveryErrorInOffsetOrder() throws {
        let errors = try typeErrors("answers.insurence == 'x' or item.a or answers.insurance == 'kokho' or date('2026-13-01') > today()")
        #expect(errors.map(\.kind) == [.unknownReference, .itemOutsideCondition, .choice, .invalidDate])
        #expect(errors.map(\.offset) == errors.map(\.offset).sorted())
    }

    @Test func typeCheckingChecksTheTypeThePlaceNeeds() throws {
        let expression = try Expression.parse("age(identity.birthDate)")
        #expect((try? expression.typeCheck(in: okuyamiSymbols, expecting: .number).get()) == .number)
        guard case .failure(let errors) = expression.typeCheck(in: okuyamiSymbols, expecting: .boolean) else {
            Issue.record("a number was accepted where a boolean is needed")
            return
        }
        #expect(errors.errors.first?.message.en == "this expression gives a number, but a boolean is needed here.")
    }

    // MARK: property tests

    @Test func randomTokenSoupsParseOrFailInsideTheText() {
        let pool = [
            "answers.x", "answers.insurance", "identity.birthDate", "item.y", "computed.z", "1", "2.5", "007", "'a'",
            "'b\\'c'", "'世帯主'", "true", "false", "null", "and", "or", "not", "in", "==", "!=", "<", "<=", ">", ">=",
            "+", "-", "(", ")", "[", "]", ",", ".", "today", "date", "age", "count", "any", "all", "x", "'", "\\", "=",
            "!", "&", "世", " ", "\n", "1.", "answers", "'2026-01-05'", "\u{3000}", "\u{0}",
        ]
        var symbols = okuyamiSymbols
        symbols.define("answers.x", as: .boolean)
        let environment = ExpressionValues(today: date("2026-01-05"), values: logicValues)
        var random = SeededGenerator(state: 2026)
        var parsed = 0
        for _ in 0..<5_000 {
            let count = Int.random(in: 0...12, using: &random)
            let text = (0..<count).map { _ in
                pool.randomElement(using: &random)! + (Bool.random(using: &random) ? " " : "")
            }.joined()
            let length = text.unicodeScalars.count
            do throws(ExpressionError) {
                let expression = try Expression.parse(text)
                parsed += 1
                #expect((try? Expression.parse(expression.description)) == expression, "\(text) → \(expression)")
                if case .failure(let errors) = expression.typeCheck(in: symbols) {
                    #expect(errors.errors.allSatisfy { (1...length + 1).contains($0.offset) })
                }
                _ = expression.evaluate(in: environment)
            } catch {
                #expect((1...max(1, length + 1)).contains(error.offset), "\(text): \(error)")
            }
        }
        #expect(parsed > 100)
    }

    @Test func printedRandomExpressionsParseBackToTheSameTree() throws {
        var random = SeededGenerator(state: 99)
        func leaf() -> String {
            [
                "answers.a", "identity.sex.code", "item.b", "computed.c", "12", "0.25", "'x'", "'it\\'s'", "true", "null",
                "today()", "date('2026-01-05')",
            ].randomElement(using: &random)!
        }
        func generate(_ depth: Int) -> String {
            guard depth > 0, Int.random(in: 0..<4, using: &random) != 0 else { return leaf() }
            switch Int.random(in: 0..<9, using: &random) {
            case 0: return "not " + generate(depth - 1)
            case 1: return "-(" + generate(depth - 1) + ")"
            case 2: return "(" + generate(depth - 1) + ")"
            case 3:
                let function = ["count", "any", "all", "age"].randomElement(using: &random)!
                return "\(function)(\(generate(depth - 1)), \(generate(depth - 1)))"
            case 4: return "[" + (0..<Int.random(in: 0...3, using: &random)).map { _ in generate(depth - 1) }.joined(separator: ",") + "]"
            default:
                let op = ["or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "+", "-"].randomElement(using: &random)!
                let comparison = ["==", "!=", "<", "<=", ">", ">=", "in"].contains(op)
                let left = generate(depth - 1)
                let right = generate(depth - 1)
                switch op {
                case "or", "and": return "\(left) \(op) \(right)"
                default: return comparison || Bool.random(using: &random) ? "(\(left)) \(op) (\(right))" : "(\(left)) \(op) \(leaf())"
                }
            }
        }
        for _ in 0..<2_000 {
            let text = generate(5)
            let expression = try Expression.parse(text)
            let printed = expression.description
            let reparsed = try Expression.parse(printed)
            #expect(reparsed == expression, "\(text) → \(printed)")
            #expect(reparsed.description == printed)
        }
    }
}
