import Contracts
import Documents
import Flows
import Foundation
import MadoguchiCore
import Testing

/// Filling in documents without fonts: formats, reading descriptions (and refusing
/// garbage), and composing pages from a finished run, measured with a fixed estimate.
@Suite("Documents: formats, templates and composition")
struct DocumentTests {
    /// Every line 6 mm, whatever its text: pure page-flow logic.
    struct FixedMeasure: TextMeasuring {
        var line = 6.0
        mutating func height(of mark: TextMark) -> Double { line }
    }

    static let bundle: FormBundle = try! FlowRunTests.bundle("Tests/Fixtures/forms/okuyami")

    /// The okuyami example answers as a finished run, with `edit` applied to the JSON text.
    static func run(_ edit: (String) -> String = { $0 }) throws -> FlowRun {
        let text = try String(contentsOfFile: FlowBundleTests.root + "/Tests/Fixtures/forms/okuyami/examples/resident-kouki.json", encoding: .utf8)
        let node = try DataLoader.load(edit(text), file: "resident-kouki.json")
        let file = try AnswerFile.decode(node).get()
        return try file.run(bundle, fileName: "resident-kouki.json", defaultToday: FlowRunTests.today).get().run
    }

    static func template(_ id: String) throws -> DocumentTemplate {
        try DocumentTemplate(try #require(bundle.documents[id]))
    }

    static func texts(_ page: ComposedPage) -> [String] {
        page.marks.compactMap { if case .text(let mark) = $0 { mark.plainText } else { nil } }
    }

    @Test(arguments: [
        (FieldFormat.warekiDate, ExpressionValue.date(CalendarDate(iso: "2026-01-05")!), "令和8年1月5日"),
        (.warekiDate, .date(CalendarDate(iso: "2019-05-01")!), "令和元年5月1日"),
        (.warekiDate, .date(CalendarDate(iso: "1989-01-07")!), "昭和64年1月7日"),
        (.westernDate, .date(CalendarDate(iso: "2026-01-05")!), "2026年1月5日"),
        (.isoDate, .text("2026-01-05T09:00:00+09:00"), "2026-01-05"),
        (.warekiEra, .date(CalendarDate(iso: "1980-04-01")!), "昭和"),
        (.warekiYear, .date(CalendarDate(iso: "2019-05-01")!), "元"),
        (.year, .date(CalendarDate(iso: "2026-01-05")!), "2026"),
        (.month, .date(CalendarDate(iso: "2026-01-05")!), "1"),
        (.day, .date(CalendarDate(iso: "2026-01-05")!), "5"),
        (.number, .number(1234), "1,234"),
        (.number, .number(-1234567.5), "-1,234,567.5"),
        (.yesNo, .boolean(true), "はい"),
        (.text, .boolean(false), "いいえ"),
        (.sex, .object(["code": .text("9")]), "適用不能"),
        (.text, .list([.text("a"), .text("b")]), "a、b"),
    ])
    func formatsWriteValuesAsTheContractShows(_ format: FieldFormat, _ value: ExpressionValue, _ expected: String) {
        #expect(format.write(value, language: .ja) == expected)
    }

    @Test func englishDocumentsWriteDatesAndAnswersInEnglish() {
        let date = ExpressionValue.date(CalendarDate(iso: "2026-01-05")!)
        #expect(FieldFormat.warekiDate.write(date, language: .en) == "5 January 2026 (Reiwa 8)")
        #expect(FieldFormat.westernDate.write(date, language: .en) == "5 January 2026")
        #expect(FieldFormat.yesNo.write(.boolean(false), language: .en) == "No")
        #expect(FieldFormat.sex.write(.object(["code": .text("2")]), language: .en) == "Female")
        #expect(FieldFormat.text.write(.list([.text("a"), .text("b")]), language: .en) == "a, b")
    }

    @Test func formatsPrintNothingForMissingOrMismatchedValues() {
        for format in FieldFormat.allCases {
            #expect(format.write(.null, language: .ja) == nil)
            #expect(format.write(.unknown, language: .ja) == nil)
        }
        #expect(FieldFormat.warekiDate.write(.text("not a date"), language: .ja) == nil)
        #expect(FieldFormat.number.write(.text("12"), language: .ja) == nil)
        #expect(FieldFormat.warekiDate.write(.date(CalendarDate(iso: "1800-01-01")!), language: .ja) == nil)
    }

    @Test func choiceTextWritesTheChoiceInTheDocumentLanguage() throws {
        let run = try Self.run()
        var composer = DocumentComposer(measure: FixedMeasure())
        let ja = composer.compose(try Self.template("okuyami-checklist"), DocumentInput(run: run, submissionID: "id", createdAt: "2026-01-09", language: .ja))
        let en = composer.compose(try Self.template("okuyami-checklist"), DocumentInput(run: run, submissionID: "id", createdAt: "2026-01-09", language: .en))
        #expect(Self.texts(ja.pages[0]).filter { $0 == "子" }.count == 2)
        #expect(Self.texts(en.pages[0]).filter { $0 == "Child" }.count == 2)
        #expect(en.title == "Checklist of procedures after a death")
        // An official form stays Japanese whatever the session's language.
        let form = composer.compose(try Self.template("setainushi-henko"), DocumentInput(run: run, submissionID: "id", createdAt: "2026-01-09", language: .en))
        #expect(form.language == .ja && Self.texts(form.pages[0]).contains("届出人の氏名"))
    }

    @Test func theApplicationIsFilledFromIdentityAnswersAndSubmission() throws {
        var composer = DocumentComposer(measure: FixedMeasure())
        let document = composer.compose(
            try Self.template("setainushi-henko"),
            DocumentInput(run: try Self.run(), submissionID: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", createdAt: "2026-01-09T10:00:00+09:00", language: .ja))
        let texts = Self.texts(document.pages[0])
        for expected in ["令和8年1月9日", "見本 花子", "東京都千代田区霞が関一丁目1番1号", "55", "4", "1", "見本 一郎", "令和8年1月5日"] {
            #expect(texts.contains(expected), "\(expected)")
        }
        let marks = document.pages[0].marks
        #expect(marks.contains(.qr("3f2504e0-4f89-11d3-9a0c-0305e82c3301", PageRect(x: 165, y: 165, width: 25, height: 25))))
        // Born in 昭和: only the 昭和 circle of the two is drawn.
        let circles = marks.compactMap { if case .mark(.circle, let rect) = $0 { rect.x } else { nil } }
        #expect(circles == [82.8])
        let name = marks.compactMap { if case .text(let mark) = $0, mark.field?.path == "identity.name" { mark } else { nil } }.first
        #expect(name?.field == FieldReference(document: "setainushi-henko", item: 6, path: "identity.name"))
        #expect(name?.fit == .shrink && name?.width == 120 && name?.style.family == "IPAmj明朝" && name?.style.size == 14)
    }

    @Test func theChecklistListsWhatAppliesAndWhatTheCounterWillConfirm() throws {
        var composer = DocumentComposer(measure: FixedMeasure())
        let document = composer.compose(
            try Self.template("okuyami-checklist"), DocumentInput(run: try Self.run(), submissionID: "id", createdAt: "2026-01-09", language: .ja))
        let texts = Self.texts(document.pages[0])
        let titles = ["世帯主変更届", "後期高齢者医療の資格喪失届・保険証の返却", "年金受給権者死亡届"].map { title in texts.firstIndex(of: title) }
        #expect(titles.allSatisfy { $0 != nil } && titles.map { $0! } == titles.map { $0! }.sorted())
        #expect(!texts.contains("国民健康保険の資格喪失届"))  // does not apply
        #expect(texts.filter { $0 == "※ 窓口で確認します" }.count == 2)
        #expect(texts.contains("期限: 令和8年1月18日(亡くなった日から14日以内)"))
        #expect(texts.contains("窓口: 市民課 2番窓口"))
    }

    @Test func aLongChecklistContinuesOnAnotherPageInsideTheMargins() throws {
        var composer = DocumentComposer(measure: FixedMeasure(line: 14))
        let document = composer.compose(
            try Self.template("okuyami-checklist"), DocumentInput(run: try Self.run(), submissionID: "id", createdAt: "2026-01-09", language: .ja))
        #expect(document.pages.count == 2)
        let continued = document.pages[1].marks.compactMap { if case .text(let mark) = $0 { mark } else { nil } }
        #expect(continued.first?.y == DocumentComposer<FixedMeasure>.margin)
        for page in document.pages {
            for case .text(let mark) in page.marks { #expect(mark.y + 14 <= 297 - 15 || mark.y >= 230, "\(mark.plainText)") }
        }
        #expect(Self.texts(document.pages[1]).contains("固定資産税の相続人代表者指定届"))
    }

    @Test func moreHeirsThanTableRowsPrintAnotherCopyOfTheDocument() throws {
        let heirs = (1...8).map { #"{"name": "見本 \#($0)郎", "relationship": "child", "livedTogether": false}"# }.joined(separator: ", ")
        let run = try Self.run { text in
            let start = text.range(of: #""heirs": ["#)!.upperBound
            let end = text[start...].range(of: "]\n")!.lowerBound
            return text.replacingCharacters(in: start..<end, with: heirs)
        }
        var composer = DocumentComposer(measure: FixedMeasure())
        let document = composer.compose(
            try Self.template("okuyami-checklist"), DocumentInput(run: run, submissionID: "id", createdAt: "2026-01-09", language: .ja))
        #expect(document.pages.count == 2)
        #expect(Self.texts(document.pages[0]).contains("見本 5郎") && !Self.texts(document.pages[0]).contains("見本 6郎"))
        #expect(Self.texts(document.pages[1]).contains("見本 6郎") && Self.texts(document.pages[1]).contains("見本 8郎"))
        #expect(!Self.texts(document.pages[1]).contains("見本 1郎"))
        #expect(Self.texts(document.pages[1]).contains("世帯主変更届"))  // each copy is the whole document
    }

    @Test func anItemWhoseWhenIsFalseIsNotDrawn() throws {
        let run = try Self.run { $0.replacingOccurrences(of: #"{"name": "見本 花子", "relationship": "child", "livedTogether": true},"#, with: "")
            .replacingOccurrences(of: #"{"name": "見本 太郎", "relationship": "child", "livedTogether": false}"#, with: "") }
        var composer = DocumentComposer(measure: FixedMeasure())
        let document = composer.compose(
            try Self.template("okuyami-checklist"), DocumentInput(run: run, submissionID: "id", createdAt: "2026-01-09", language: .ja))
        #expect(document.pages.count == 1)
        #expect(!document.pages[0].marks.contains { if case .text(let mark) = $0 { mark.y >= 230 && mark.y < 265 } else { false } })
    }

    @Test func aRollIsAsLongAsItsContent() throws {
        let node = try DataLoader.load("""
            id: ticket
            title: doc.checklist.title
            page: {size: receipt80}
            font: {family: BIZ UDGothic, size: 10}
            items:
              - {type: text, x: 5, y: 5, text: doc.checklist.heading}
              - {type: qr, x: 5, y: 20, size: 30, bind: submission.id}
            """, file: "ticket.yaml")
        var composer = DocumentComposer(measure: FixedMeasure())
        let document = composer.compose(
            try DocumentTemplate(node: node, conditions: []), DocumentInput(run: try Self.run(), submissionID: "id", createdAt: "2026-01-09", language: .ja))
        #expect(document.page.width == 80 && document.page.height == 55)
    }

    @Test(arguments: [
        ("page: {size: A9}", "page.size"),
        ("page: {width: 5, height: 100}", "width"),
        ("items: [{type: star, x: 1, y: 1}]", "item 1"),
        ("items: [{type: box, x: 1, y: 1, width: -3, height: 4}]", "width"),
        ("items: [{type: field, x: 1, y: 1, bind: identity.name, fit: squeeze}]", "fit"),
        ("items: [{type: table, x: 1, y: 1, bind: answers.heirs, rows: 2, rowHeight: 5, columns: []}]", "columns"),
        ("items: [{type: text, x: one, y: 1, text: a.b}]", "x"),
        ("items: 7", "items"),
    ])
    func aDescriptionThatCannotBeDrawnIsRefusedWithWhereAndWhat(_ change: String, _ named: String) throws {
        var lines = ["id: broken", "title: doc.x", "page: {size: A4}", "font: {family: BIZ UDGothic, size: 10}", "items: [{type: box, x: 1, y: 1, width: 5, height: 5}]"]
        let key = String(change.prefix { $0 != ":" })
        lines[lines.firstIndex { $0.hasPrefix(key + ":") }!] = change
        let node = try DataLoader.load(lines.joined(separator: "\n"), file: "broken.yaml")
        #expect {
            _ = try DocumentTemplate(node: node, conditions: [])
        } throws: { error in
            guard let error = error as? DocumentError else { return false }
            return error.location.file == "broken.yaml" && error.location.line != nil && error.message.en.contains(named)
        }
    }

    @Test func randomlyDamagedDescriptionsNeverCrashTheReader() throws {
        let document = try #require(Self.bundle.documents["setainushi-henko"])
        var random = SeededGenerator(state: 8)
        let garbage: [DataNode.Value] = [.null, .bool(true), .number(-1), .number(1e9), .string(""), .string("A4"), .array([]), .object([])]
        var refused = 0
        for _ in 0..<2000 {
            var node = document.node
            Self.damage(&node, with: garbage.randomElement(using: &random)!, using: &random)
            do {
                _ = try DocumentTemplate(node: node, conditions: document.conditions)
            } catch {
                refused += 1
                #expect(!error.description.contains("見本"))
            }
        }
        #expect(refused > 500)
    }

    /// Replaces one random node of the tree with `value`.
    static func damage(_ node: inout DataNode, with value: DataNode.Value, using random: inout SeededGenerator) {
        switch node.value {
        case .object(var members) where !members.isEmpty && Int.random(in: 0..<4, using: &random) > 0:
            let index = Int.random(in: members.indices, using: &random)
            damage(&members[index].value, with: value, using: &random)
            node.value = .object(members)
        case .array(var items) where !items.isEmpty && Int.random(in: 0..<4, using: &random) > 0:
            let index = Int.random(in: items.indices, using: &random)
            damage(&items[index], with: value, using: &random)
            node.value = .array(items)
        default:
            node.value = value
        }
    }
}
