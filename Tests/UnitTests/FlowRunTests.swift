import Contracts
import Flows
import Foundation
import MadoguchiCore
import Testing

/// The runner: questions in order, answers checked, back and skip, modes, and outcomes;
/// with property tests over random answer sequences.
@Suite("Flows: running a flow")
struct FlowRunTests {
    static let identity = ExpressionValue.object([
        "name": .text("見本 花子"), "address": .text("東京都千代田区霞が関一丁目1番1号"), "birth": .text("19800401"),
        "birthWareki": .text("昭和55年4月1日"), "birthDate": .date(CalendarDate(iso: "1980-04-01")!), "sex": .object(["code": .text("2")]),
    ])
    static let today = CalendarDate(iso: "2026-01-09")!

    static func bundle(_ relative: String) throws -> FormBundle {
        try FormBundleLoader.load(try FlowBundleTests.files(relative)).get().bundle
    }

    static func minimal() throws -> FormBundle {
        try FormBundleLoader.load(try FlowBundleTests.files(FlowBundleTests.corpus + "/_base", as: "Forms/minimal")).get().bundle
    }

    @Test func questionsComeInOrderAndWhenSkipsThoseThatDoNotApply() throws {
        var run = try FlowRun(bundle: try Self.minimal(), mode: .staff, today: Self.today, identity: Self.identity)
        #expect(run.current?.id == "hasChildren")
        try run.answer(.boolean(false))
        #expect(run.current?.id == "insurance")  // childCount's when is false
        #expect(run.unanswered("childCount") == .null)
        try run.answer(.choice("shaho"))
        #expect(run.isFinished)
        let outcome = run.outcome()
        #expect(outcome.procedures.map(\.result) == [.doesNotApply, .doesNotApply])
        #expect(outcome.print == ["checklist"])
        #expect(outcome.computed.map(\.name) == ["manyChildren"] && outcome.computed.first?.value == .null)
    }

    @Test func residentModeLeavesStaffQuestionsToTheCounter() throws {
        var run = try FlowRun(bundle: try Self.minimal(), mode: .resident, today: Self.today, identity: Self.identity)
        try run.answer(.boolean(true))
        try run.answer(.number(3))
        #expect(run.isFinished)  // insurance is a staff question
        #expect(run.unanswered("insurance") == .unknown)
        let outcome = run.outcome()
        #expect(outcome.procedures[0].result == .applies)
        #expect(outcome.procedures[0].dueDate == CalendarDate(iso: "2026-01-23"))
        #expect(outcome.procedures[0].documents == ["jidou-teate"])
        #expect(outcome.procedures[1].result == .counterWillConfirm)
        #expect(outcome.procedures[1].waitingFor == ["insurance"])
        #expect(outcome.print == ["checklist", "jidou-teate"])
        #expect(outcome.visits.map(\.counter) == ["counter.kodomo", "counter.hoken"])
        #expect(outcome.visits.map(\.procedures) == [["childAllowance"], ["insuranceChange"]])
        let data = try #require(outcome.documentData.first { $0.document == "jidou-teate" })
        #expect(data.values.map(\.path) == ["identity.name", "answers.childCount"])
        #expect(data.values.map(\.value) == [.text("見本 花子"), .number(3)])
    }

    @Test func refusedAnswersLeaveTheRunAsItWas() throws {
        var run = try FlowRun(bundle: try Self.minimal(), mode: .staff, today: Self.today, identity: Self.identity)
        try run.answer(.boolean(true))
        let before = run
        for wrong: AnswerValue in [.number(0), .number(11), .number(2.5), .text("2"), .boolean(true)] {
            #expect(throws: AnswerError.self) { try run.answer(wrong) }
            #expect(run == before)
        }
        let error = try #require(throwsError { try run.answer(.number(11)) })
        #expect(error.kind == .outOfRange && error.message.en.contains("from 1 to 10"))
        #expect(throws: AnswerError.self) { try run.skip() }  // not optional
    }

    @Test func aRequiredCardMustBeRead() throws {
        #expect(throws: AnswerError.self) { try FlowRun(bundle: try Self.minimal(), mode: .staff, today: Self.today) }
    }

    @Test func answersAreCheckedAgainstEachQuestionType() throws {
        let bundle = try Self.bundle("Tests/Fixtures/forms/okuyami")
        var run = try FlowRun(bundle: bundle, mode: .staff, today: Self.today, identity: Self.identity)
        try run.answer(.identity(addressChanged: true, newAddress: " 東京都千代田区霞が関二丁目2番2号 "))
        #expect(run.answers["applicant"] == .identity(addressChanged: true, newAddress: "東京都千代田区霞が関二丁目2番2号"))
        #expect(throws: AnswerError.self) { try run.answer(.text(String(repeating: "あ", count: 51))) }
        #expect(throws: AnswerError.self) { try run.answer(.text("   ")) }
        try run.answer(.text("見本 一郎"))
        // dateOfDeath: latest today()
        let late = try #require(throwsError { try run.answer(.date(CalendarDate(iso: "2026-01-10")!)) })
        #expect(late.kind == .tooLate && late.message.en.contains("2026-01-09"))
        try run.answer(.date(CalendarDate(iso: "2026-01-05")!))
        // deceasedBirthDate: latest is the date of death, a personal date the message must not show
        let after = try #require(throwsError { try run.answer(.date(CalendarDate(iso: "2026-01-06")!)) })
        #expect(after.kind == .tooLate && !after.message.en.contains("2026-01-05") && !after.message.ja.contains("2026-01-05"))
    }

    @Test func multipleChoiceAnswersFollowChoiceOrderAndExclusiveChoicesStandAlone() throws {
        let flow = """
            id: mc
            version: 1
            title: t.title
            questions:
              - id: benefits
                type: multipleChoice
                answeredBy: resident
                text: t.q
                maxSelected: 2
                choices:
                  - {value: pension, text: t.a}
                  - {value: child, text: t.b}
                  - {value: care, text: t.c}
                  - {value: none, text: t.d, exclusive: true}
            procedures:
              - {id: pensionReport, title: t.p, counter: t.k, applies: "'pension' in answers.benefits"}
            """
        let strings = "language: ja\nstrings:\n" + ["title", "q", "a", "b", "c", "d", "p", "k"].map { "  t.\($0): テキスト\($0)\n" }.joined()
        let bundle = try FormBundleLoader.load(BundleFiles(directory: "Forms/mc", texts: ["flow.yaml": flow, "strings/ja.yaml": strings])).get().bundle
        var run = try FlowRun(bundle: bundle, mode: .resident, today: Self.today)
        let refusals: [([String], AnswerError.Kind)] = [
            (["none", "child"], .exclusiveWithOthers), (["pension", "child", "care"], .tooManySelected), ([], .tooFewSelected),
            (["pensoin"], .notAChoice),
        ]
        for (choices, kind) in refusals {
            #expect(throwsError { try run.answer(.choices(choices)) }?.kind == kind)
        }
        try run.answer(.choices(["child", "pension"]))
        #expect(run.answers["benefits"] == .choices(["pension", "child"]))
        #expect(run.outcome().procedures.first?.result == .applies)
    }

    @Test func backThenTheSameAnswerReturnsTheSameState() throws {
        var random = SeededGenerator(state: 11)
        for path in ["Forms/okuyami", "Forms/certificates", "Forms/moving", "Benchmarks/flows/kosodate"] {
            let bundle = try Self.bundle(path)
            for mode in KioskMode.allCases {
                for _ in 0..<20 {
                    var run = try FlowRun(bundle: bundle, mode: mode, today: Self.today, identity: Self.identity)
                    while !run.isFinished {
                        let question = try #require(run.current)
                        let value = AnswerGenerator.answer(for: question, in: run, using: &random)
                        let before = run
                        do {
                            try run.answer(value)
                        } catch {
                            #expect(run == before)
                            try run.skip()
                            continue
                        }
                        let after = run
                        let wentBack = run.back()
                        #expect(wentBack)
                        #expect(run.current == question)
                        #expect(run.answers == before.answers)
                        #expect(run.suggestedAnswer(for: question) != nil)
                        try run.answer(value)
                        #expect(run == after)
                    }
                }
            }
        }
    }

    @Test func everyAcceptedAnswerSequenceEndsInACompleteOutcome() throws {
        var random = SeededGenerator(state: 23)
        for path in ["Forms/okuyami", "Forms/certificates", "Forms/moving", "Benchmarks/flows/kosodate", FlowBundleTests.corpus + "/_base"] {
            let bundle = path.hasSuffix("_base") ? try Self.minimal() : try Self.bundle(path)
            for round in 0..<60 {
                let mode = KioskMode.allCases[round % 3]
                var run = try FlowRun(bundle: bundle, mode: mode, today: Self.today, identity: Self.identity)
                var steps = 0
                while !run.isFinished {
                    steps += 1
                    #expect(steps < 2_000, "the run did not end")
                    if steps >= 2_000 { break }
                    let roll = Int.random(in: 0..<10, using: &random)
                    if roll == 0 {
                        run.back()
                        continue
                    }
                    let question = try #require(run.current)
                    if roll == 1, question.optional {
                        try run.skip()
                        continue
                    }
                    let value = roll == 2 ? AnswerGenerator.garbage(using: &random) : AnswerGenerator.answer(for: question, in: run, using: &random)
                    do {
                        try run.answer(value)
                    } catch {
                        if question.optional { try run.skip() }
                    }
                }
                let outcome = run.outcome()
                #expect(outcome.form == bundle.id && outcome.version == bundle.version && outcome.mode == mode)
                #expect(outcome.procedures.map(\.id) == bundle.procedures.map(\.id))
                #expect(outcome.computed.count == bundle.computed.count)
                for procedure in outcome.procedures {
                    if mode != .resident { #expect(procedure.result != .counterWillConfirm) }
                    #expect((procedure.result == .counterWillConfirm) == !procedure.waitingFor.isEmpty)
                    if procedure.result == .doesNotApply { #expect(procedure.documents.isEmpty && procedure.dueDate == nil) }
                    for id in procedure.waitingFor { #expect(bundle.question(id)?.answeredBy == .staff) }
                }
                if let checklist = bundle.checklist { #expect(outcome.print.first == checklist) }
                #expect(Set(outcome.print).count == outcome.print.count)
                // The JSON form is what the schema describes and reads back the same.
                let node = try DataLoader.loadYAML(outcome.json, file: "outcome.json")
                #expect(node["procedures"].map { if case .array(let items) = $0.value { items.count } else { -1 } } == bundle.procedures.count)
            }
        }
    }

    @Test func answerFilesAreCheckedBeforeTheyRun() throws {
        let bundle = try Self.minimal()
        func run(_ json: String) -> Result<(outcome: Outcome, run: FlowRun, warnings: [FlowDiagnostic]), FlowLoadError> {
            guard let node = try? DataLoader.loadYAML(json, file: "answers.json") else { return .failure(FlowLoadError([])) }
            switch AnswerFile.decode(node) {
            case .success(let file): return file.run(bundle, fileName: "answers.json", defaultToday: Self.today)
            case .failure(let error): return .failure(error)
            }
        }
        let identity = #""identity": {"name": "見本 花子", "address": "東京都千代田区霞が関一丁目1番1号", "birth": "19800401", "birthDate": "1980-04-01", "birthWareki": "昭和55年4月1日", "sex": {"code": "2", "meaning": {"ja": "女", "en": "female"}}}"#
        let wrongVersion = try #require(run(#"{"form": "minimal", "version": 2, "mode": "staff", \#(identity), "answers": {}}"#).failure)
        #expect(wrongVersion.diagnostics.first?.message.en.contains("version 2") == true)
        let staffInResident = try #require(run(#"{"form": "minimal", "version": 1, "mode": "resident", \#(identity), "answers": {"hasChildren": false, "insurance": "kokuho"}}"#).failure)
        #expect(staffInResident.diagnostics.first?.message.en.contains("staff question") == true)
        #expect(staffInResident.diagnostics.first?.location.line == 1)
        let typo = try #require(run(#"{"form": "minimal", "version": 1, "mode": "staff", \#(identity), "answers": {"hasChildrn": true}}"#).failure)
        #expect(typo.diagnostics.contains { $0.message.en.contains("did you mean \"hasChildren\"") })
        let missing = try #require(run(#"{"form": "minimal", "version": 1, "mode": "staff", \#(identity), "answers": {"hasChildren": true}}"#).failure)
        #expect(missing.diagnostics.first?.message.en.contains("no answer to question \"childCount\"") == true)
        let badBirth = identity.replacingOccurrences(of: "\"birth\": \"19800401\"", with: "\"birth\": \"19800402\"")
        #expect(run(#"{"form": "minimal", "version": 1, "mode": "staff", \#(badBirth), "answers": {}}"#).failure != nil)
        let ignored = try run(#"{"form": "minimal", "version": 1, "mode": "staff", \#(identity), "answers": {"hasChildren": false, "childCount": 2, "insurance": "shaho"}}"#).get()
        #expect(ignored.warnings.count == 1 && ignored.warnings[0].message.en.contains("childCount"))
    }

    @Test func theGraphShowsQuestionsComputedValuesAndProceduresWithTheirLinks() throws {
        let dot = FlowGraph.dot(try Self.minimal())
        #expect(dot.hasPrefix("digraph \"minimal\" {"))
        #expect(dot.contains("\"q:hasChildren\" [shape=box"))
        #expect(dot.contains("\"q:insurance\" [shape=box") && dot.contains("fillcolor=\"#fff2b3\""))
        #expect(dot.contains("\"c:manyChildren\" [shape=ellipse"))
        #expect(dot.contains("\"q:childCount\" -> \"c:manyChildren\""))
        #expect(dot.contains("\"q:hasChildren\" -> \"q:childCount\" [color=\"#3366aa\", label=\"when: answers.hasChildren\"]"))
        #expect(dot.contains("\"c:manyChildren\" -> \"p:insuranceChange\""))
        #expect(dot.hasSuffix("}\n"))
    }

    /// The error a throwing call throws, if it is an `AnswerError`.
    func throwsError(_ body: () throws -> Void) -> AnswerError? {
        do {
            try body()
            return nil
        } catch {
            return error as? AnswerError
        }
    }
}

/// Answers that fit a question (for property tests), and garbage.
enum AnswerGenerator {
    static func answer(for question: Question, in run: FlowRun, using random: inout SeededGenerator) -> AnswerValue {
        switch question.kind {
        case .boolean: return .boolean(Bool.random(using: &random))
        case .singleChoice(let choices): return .choice(choices.randomElement(using: &random)?.value ?? "")
        case .multipleChoice(let choices, let minimum, let maximum):
            if let exclusive = choices.first(where: \.exclusive), Bool.random(using: &random) { return .choices([exclusive.value]) }
            let plain = choices.filter { !$0.exclusive }.map(\.value)
            let upper = min(maximum ?? plain.count, plain.count)
            let count = Int.random(in: min(max(minimum, 1), upper)...upper, using: &random)
            return .choices(Array(plain.shuffled(using: &random).prefix(count)))
        case .number(let minimum, let maximum, _, _):
            return .number(Double(Int.random(in: Int(minimum)...Int(maximum), using: &random)))
        case .date(_, let earliest, let latest):
            let environment = run.environment
            var low = CalendarDate(iso: "1930-01-01")!.daysSinceEpoch
            var high = run.today.daysSinceEpoch
            if let earliest, case .date(let bound) = earliest.expression.evaluate(in: environment) { low = max(low, bound.daysSinceEpoch) }
            if let latest, case .date(let bound) = latest.expression.evaluate(in: environment) { high = min(high, bound.daysSinceEpoch) }
            return .date(CalendarDate(daysSinceEpoch: Int.random(in: min(low, high)...high, using: &random))!)
        case .text(let maxLength, let kind):
            let text: String = switch kind {
            case .any: ["見本 一郎", "見本 花子", "ミホン", "Mihon"].randomElement(using: &random)!
            case .katakana: "ミホン タロウ"
            case .hiragana: "みほん たろう"
            case .digits: "12345"
            case .phone: "03-1234-5678"
            case .postalCode: "100-0013"
            }
            return .text(String(text.prefix(maxLength)))
        case .confirmIdentity(_, let allow):
            return allow && Bool.random(using: &random)
                ? .identity(addressChanged: true, newAddress: "東京都千代田区霞が関二丁目2番2号") : .identity(addressChanged: false, newAddress: nil)
        case .repeatGroup(let nested, _, _, let minItems, let maxItems):
            let count = Int.random(in: minItems...min(maxItems, minItems + 3), using: &random)
            return .items((0..<count).map { _ in
                Dictionary(uniqueKeysWithValues: nested.map { ($0.id, answer(for: $0, in: run, using: &random)) })
            })
        }
    }

    static func garbage(using random: inout SeededGenerator) -> AnswerValue {
        [
            .number(-1e300), .number(.nan), .text(""), .text(String(repeating: "長", count: 600)), .choice("noSuchChoice"),
            .choices(["a", "a"]), .items([["unknownKey": .boolean(true)]]), .date(CalendarDate(iso: "9999-12-31")!),
            .identity(addressChanged: true, newAddress: String(repeating: "住", count: 300)),
        ].randomElement(using: &random)!
    }
}
