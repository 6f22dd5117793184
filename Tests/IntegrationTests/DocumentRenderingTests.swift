import Contracts
import Documents
import Flows
import Foundation
import Rendering
import Testing

/// Documents drawn for real with Cairo, Pango and HarfBuzz and the fonts the product
/// names, read back by outside tools: pdftotext for the text, zbarimg for the QR code,
/// committed PNG snapshots for the look.
@Suite("Drawing documents with Cairo/Pango")
struct DocumentRenderingTests {
    static let root = ServicesEnvironment.packageRoot.path
    static let submissionID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    static let bundle: FormBundle = try! FormBundleLoader.load(try! BundleFiles.read(directory: root + "/Tests/Fixtures/forms/okuyami", displayPath: "Tests/Fixtures/forms/okuyami"))
        .get().bundle

    /// The okuyami example answers as a finished run, with `edit` applied to the JSON text.
    static func input(language: BundleLanguage = .ja, _ edit: (String) -> String = { $0 }) throws -> DocumentInput {
        let text = try String(contentsOfFile: root + "/Tests/Fixtures/forms/okuyami/examples/resident-kouki.json", encoding: .utf8)
        let file = try AnswerFile.decode(try DataLoader.load(edit(text), file: "resident-kouki.json")).get()
        let run = try file.run(bundle, fileName: "resident-kouki.json", defaultToday: CalendarDate(iso: "2026-01-09")!).get().run
        return DocumentInput(run: run, submissionID: submissionID, createdAt: "2026-01-09T10:00:00+09:00", language: language)
    }

    static func compose(_ id: String, _ input: DocumentInput, with renderer: DocumentRenderer) throws -> ComposedDocument {
        renderer.compose(try DocumentTemplate(try #require(bundle.documents[id])), input)
    }

    static func scratch(_ name: String) -> String { NSTemporaryDirectory() + "madoguchi-\(UUID().uuidString)-\(name)" }

    /// Runs an outside tool to completion and returns what it printed on standard output.
    static func tool(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The answer file with the card holder's name replaced (the first "name" is the card's).
    static func withName(_ name: String) -> (String) -> String {
        { text in
            let range = text.range(of: "\"name\": \"見本 花子\"")!
            return text.replacingCharacters(in: range, with: "\"name\": \"\(name)\"")
        }
    }

    /// Pixels per millimetre at `dpi`.
    static func px(_ millimetres: Double, dpi: Double = 100) -> Int { Int((millimetres * dpi / 25.4).rounded()) }

    @Test func pdftotextReadsThePrefilledFieldsOfBothDocuments() throws {
        let renderer = DocumentRenderer()
        let input = try Self.input()
        let form = Self.scratch("form.pdf"), checklist = Self.scratch("checklist.pdf")
        defer { try? FileManager.default.removeItem(atPath: form); try? FileManager.default.removeItem(atPath: checklist) }
        let report = try renderer.writePDF(try Self.compose("setainushi-henko", input, with: renderer), to: form)
        #expect(report.pages == 1 && report.flags.isEmpty)
        try renderer.writePDF(try Self.compose("okuyami-checklist", input, with: renderer), to: checklist)

        let formText = try Self.tool("/usr/bin/pdftotext", [form, "-"]).output
        for expected in ["世帯主変更届", "令和8年1月9日", "見本 花子", "東京都千代田区霞が関一丁目1番1号", "55", "見本 一郎", "令和8年1月5日"] {
            #expect(formText.contains(expected), "\(expected)")
        }
        let checklistText = try Self.tool("/usr/bin/pdftotext", [checklist, "-"]).output
        for expected in ["おくやみ手続きのご案内", "世帯主変更届", "市民課 2番窓口", "窓口で確認します", "令和8年1月18日", "見本 太郎"] {
            #expect(checklistText.contains(expected), "\(expected)")
        }
        #expect(!checklistText.contains("国民健康保険の資格喪失届"))
        // The title in the PDF's metadata is the document's, never the resident's name.
        let info = try Self.tool("/usr/bin/pdfinfo", [form]).output
        #expect(info.contains("Title:           世帯主変更届") && !info.contains("見本"))
    }

    @Test func theQRCodeDecodesToTheSubmissionIDWithAnOutsideReader() throws {
        let renderer = DocumentRenderer()
        let png = Self.scratch("qr.png")
        defer { try? FileManager.default.removeItem(atPath: png) }
        try renderer.writePNG(try Self.compose("setainushi-henko", try Self.input(), with: renderer), page: 0, dpi: 150, to: png)
        let result = try Self.tool("/usr/bin/zbarimg", ["-q", "--raw", png])
        #expect(result.status == 0)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == Self.submissionID)
    }

    @Test func aSeventyCharacterAddressShrinksToFitAndNeverLeavesItsBox() throws {
        let address = String(("東京都千代田区霞が関一丁目1番1号" + String(repeating: "見本ハイツ南棟", count: 9)).prefix(70))
        #expect(address.count == 70)
        let renderer = DocumentRenderer()
        let input = try Self.input { $0.replacingOccurrences(of: "\"東京都千代田区霞が関一丁目1番1号\"", with: "\"\(address)\"") }
        let document = try Self.compose("setainushi-henko", input, with: renderer)
        let fields = document.pages[0].marks.compactMap { mark -> TextMark? in
            if case .text(let text) = mark, text.field?.path == "identity.address" { text } else { nil }
        }
        let field = try #require(fields.first)
        #expect(field.plainText == address && field.width == 120 && field.height == 10)
        var measure = renderer.measure
        #expect(measure.height(of: field) <= 10)

        let (image, report) = try renderer.image(document, page: 0, dpi: 100)
        #expect(report.flags.isEmpty)
        // Ink inside the box (x 60–180, y 64–74 mm); none right of it before the frame at
        // x 190, and none in the gap below it before the birth-date row at y 79.
        #expect(image.hasInk(x: Self.px(60), y: Self.px(64), width: Self.px(120), height: Self.px(10)))
        #expect(image.hasInk(x: Self.px(60), y: Self.px(70), width: Self.px(120), height: Self.px(4)))
        #expect(!image.hasInk(x: Self.px(180.5), y: Self.px(63), width: Self.px(9), height: Self.px(12)))
        #expect(!image.hasInk(x: Self.px(60), y: Self.px(74.5), width: Self.px(120), height: Self.px(4)))
        // The same address at the field's own size would have passed the box.
        var unfitted = field
        unfitted.height = nil
        #expect(measure.height(of: unfitted) > 10)
    }

    @Test func aNameTooLongForItsLineShrinksAndOnlyFlagsBelowReadableSize() throws {
        let renderer = DocumentRenderer()
        for (length, flagged) in [(30, false), (70, true)] {
            let name = String(String(repeating: "見本", count: 40).prefix(length))
            let document = try Self.compose("setainushi-henko", try Self.input(Self.withName(name)), with: renderer)
            let (image, report) = try renderer.image(document, page: 0, dpi: 100)
            #expect(report.flags.map(\.reason) == (flagged ? [.tooSmall] : []))
            // Never past the field's right edge (x 180) into the frame's margin.
            #expect(!image.hasInk(x: Self.px(180.5), y: Self.px(51), width: Self.px(9), height: Self.px(8)))
        }
    }

    @Test func aNameWithRareKanjiAndAVariationSequenceIsShapedWithTheRightGlyphs() throws {
        let renderer = DocumentRenderer()
        // 𠮷 (U+20BB7) is in IPAmj Mincho but not in BIZ UD; 葛󠄀 (U+845B U+E0100) is a
        // variation sequence BIZ UD Mincho has and this IPAmj Mincho lacks.
        let yoshi = try #require(renderer.glyph(family: "IPAmjMincho", "\u{20BB7}"))
        let kuzuVariant = try #require(renderer.glyph(family: "BIZ UDMincho", "\u{845B}", selector: "\u{E0100}"))
        let kuzuPlain = try #require(renderer.glyph(family: "BIZ UDMincho", "\u{845B}"))
        #expect(renderer.glyph(family: "BIZ UDMincho", "\u{20BB7}") == nil)
        #expect(renderer.glyph(family: "IPAmjMincho", "\u{845B}", selector: "\u{E0100}") == nil)
        #expect(kuzuVariant != kuzuPlain)
        let shaped = try renderer.glyphs("𠮷田 葛\u{E0100}城", family: "IPAmj明朝")
        let expected: [(String, UInt32)] = [
            ("IPAmjMincho", yoshi), ("IPAmjMincho", try #require(renderer.glyph(family: "IPAmjMincho", "田"))),
            ("IPAmjMincho", try #require(renderer.glyph(family: "IPAmjMincho", " "))), ("BIZ UDMincho", kuzuVariant),
            ("IPAmjMincho", try #require(renderer.glyph(family: "IPAmjMincho", "城"))),
        ]
        #expect(shaped.map(\.family) == expected.map(\.0))
        #expect(shaped.map(\.glyph) == expected.map(\.1))
        // In a Gothic document the variant comes from BIZ UD Gothic, and 𠮷 still from IPAmj.
        let gothic = try renderer.glyphs("葛\u{E0100}𠮷", family: "BIZ UDGothic")
        #expect(gothic.map(\.family) == ["BIZ UDGothic", "IPAmjMincho"])
    }

    @Test(arguments: [("見本 \u{10FFFD}子", RenderFlag.Reason.missingGlyph), ("見本 花\u{E01EE}子", .missingVariant)])
    func aCharacterNoFontHasIsFlaggedForStaffWithoutItsValue(_ name: String, _ reason: RenderFlag.Reason) throws {
        let renderer = DocumentRenderer()
        let document = try Self.compose("setainushi-henko", try Self.input(Self.withName(name)), with: renderer)
        let pdf = Self.scratch("flag.pdf")
        defer { try? FileManager.default.removeItem(atPath: pdf) }
        let report = try renderer.writePDF(document, to: pdf)
        #expect(report.flags == [RenderFlag(field: FieldReference(document: "setainushi-henko", item: 6, path: "identity.name"), page: 1, reason: reason)])
        #expect(!report.flags.description.contains("見本"))
    }

    @Test func aDocumentNamingAFontThatIsNotInstalledIsRefusedByName() throws {
        let renderer = DocumentRenderer()
        var document = try Self.compose("setainushi-henko", try Self.input(), with: renderer)
        for index in document.pages[0].marks.indices {
            if case .text(var mark) = document.pages[0].marks[index] {
                mark.style.family = "Nonexistent Mincho"
                document.pages[0].marks[index] = .text(mark)
            }
        }
        #expect {
            _ = try renderer.image(document, page: 0, dpi: 50)
        } throws: { error in
            "\(error)".contains("Nonexistent Mincho") && "\(error)".contains("not installed")
        }
    }

    @Test func boxesLinesMarksAndImagesLandWhereThePageSaysAndNowhereElse() throws {
        let renderer = DocumentRenderer()
        let logo = Self.scratch("logo.png")
        defer { try? FileManager.default.removeItem(atPath: logo) }
        let black = ComposedDocument(
            id: "logo", title: "logo", page: PageSize(width: 20, height: 20), language: .ja,
            pages: [ComposedPage(marks: [.rectangle(PageRect(x: 0, y: 0, width: 20, height: 20), lineWidth: 40)])])
        try renderer.writePNG(black, page: 0, dpi: 72, to: logo)
        let marks: [Mark] = [
            .rectangle(PageRect(x: 10, y: 10, width: 30, height: 20), lineWidth: 0.5),
            .line(x1: 10, y1: 50, x2: 90, y2: 50, lineWidth: 0.5),
            .mark(.check, PageRect(x: 10, y: 60, width: 10, height: 10)),
            .mark(.cross, PageRect(x: 30, y: 60, width: 10, height: 10)),
            .mark(.circle, PageRect(x: 50, y: 60, width: 10, height: 10)),
            .image(path: logo, PageRect(x: 70, y: 10, width: 20, height: 20)),
        ]
        let document = ComposedDocument(
            id: "shapes", title: "shapes", page: PageSize(width: 100, height: 100), language: .ja, pages: [ComposedPage(marks: marks)])
        let image = try renderer.image(document, page: 0, dpi: 100).image
        #expect(image.hasInk(x: Self.px(10), y: Self.px(9.8), width: Self.px(30), height: Self.px(0.5)))  // the box's top edge
        #expect(!image.hasInk(x: Self.px(12), y: Self.px(12), width: Self.px(26), height: Self.px(16)))  // its inside
        #expect(image.hasInk(x: Self.px(10), y: Self.px(49.7), width: Self.px(80), height: Self.px(0.6)))
        for x in [10.0, 30, 50] { #expect(image.hasInk(x: Self.px(x), y: Self.px(60), width: Self.px(10), height: Self.px(10))) }
        #expect(!image.hasInk(x: Self.px(52.5), y: Self.px(62.5), width: Self.px(5), height: Self.px(5)))  // a ring, not a dot
        #expect(image.hasInk(x: Self.px(75), y: Self.px(15), width: Self.px(10), height: Self.px(10)))  // the image, scaled in
        #expect(!image.hasInk(x: 0, y: Self.px(75), width: Self.px(100), height: Self.px(25)))
        let missing = ComposedDocument(
            id: "x", title: "x", page: PageSize(width: 50, height: 50), language: .ja,
            pages: [ComposedPage(marks: [.image(path: "/nonexistent/logo.png", PageRect(x: 0, y: 0, width: 5, height: 5))])])
        #expect { _ = try renderer.image(missing, page: 0, dpi: 50) } throws: { "\($0)".contains("/nonexistent/logo.png") }
    }

    @Test func furiganaStandAboveTheirBaseOnlyWhereTheItemAsksForRuby() throws {
        let renderer = DocumentRenderer()
        let document = try Self.compose("okuyami-checklist", try Self.input(language: .jaEasy), with: renderer)
        let heading = try #require(document.pages[0].marks.compactMap { mark -> TextMark? in
            if case .text(let text) = mark, text.showsRuby { text } else { nil }
        }.first)
        #expect(heading.pieces.contains(.ruby(base: "家族", reading: "かぞく")))
        var measure = renderer.measure
        var plain = heading
        plain.showsRuby = false
        #expect(measure.height(of: heading) > measure.height(of: plain) * 1.3)
        let pdf = Self.scratch("ruby.pdf")
        defer { try? FileManager.default.removeItem(atPath: pdf) }
        try renderer.writePDF(document, to: pdf)
        let text = try Self.tool("/usr/bin/pdftotext", [pdf, "-"]).output
        #expect(text.contains("かぞく") && text.contains("家族"))
        // The form is Japanese with no ruby: its strings' readings are not printed.
        let form = try Self.compose("setainushi-henko", try Self.input(language: .jaEasy), with: renderer)
        #expect(!form.pages[0].marks.contains { if case .text(let text) = $0 { text.showsRuby } else { false } })
    }

    // MARK: snapshots

    /// Committed references, drawn at 72 dpi. Set MADOGUCHI_UPDATE_SNAPSHOTS=1 to rewrite
    /// them after a deliberate change, and look at the new files before committing.
    static let snapshots = root + "/Tests/Fixtures/snapshots"
    /// Pixels that may differ (by more than a quarter of the grey range): anti-aliasing
    /// noise only; one changed character of a name differs in far more.
    static let tolerance = 8

    @Test(arguments: [("okuyami-checklist", BundleLanguage.ja), ("okuyami-checklist", .en), ("okuyami-checklist", .jaEasy), ("setainushi-henko", .ja)])
    func eachPageMatchesItsCommittedSnapshot(_ id: String, _ language: BundleLanguage) throws {
        let renderer = DocumentRenderer()
        let document = try Self.compose(id, try Self.input(language: language), with: renderer)
        for page in document.pages.indices {
            let name = "\(id)-\(document.language.rawValue)-\(page + 1).png"
            let reference = Self.snapshots + "/" + name
            if ProcessInfo.processInfo.environment["MADOGUCHI_UPDATE_SNAPSHOTS"] == "1" {
                try FileManager.default.createDirectory(atPath: Self.snapshots, withIntermediateDirectories: true)
                try renderer.writePNG(document, page: page, dpi: 72, to: reference)
                continue
            }
            let drawn = try renderer.image(document, page: page, dpi: 72).image
            let differing = drawn.differingPixels(from: try RasterImage(png: reference))
            if differing.map({ $0 > Self.tolerance }) ?? true {
                let actual = NSTemporaryDirectory() + name.replacingOccurrences(of: ".png", with: ".actual.png")
                _ = try? renderer.writePNG(document, page: page, dpi: 72, to: actual)
                Issue.record("\(name) differs from its snapshot in \(differing.map(String.init) ?? "size, not") pixels; the drawing is in \(actual)")
            }
        }
    }

    @Test func theSnapshotComparisonNoticesOneChangedCharacter() throws {
        let renderer = DocumentRenderer()
        let document = try Self.compose("setainushi-henko", try Self.input { $0.replacingOccurrences(of: "\"deceasedName\": \"見本 一郎\"", with: "\"deceasedName\": \"見本 二郎\"") }, with: renderer)
        let drawn = try renderer.image(document, page: 0, dpi: 72).image
        let differing = try #require(drawn.differingPixels(from: try RasterImage(png: Self.snapshots + "/setainushi-henko-ja-1.png")))
        #expect(differing > Self.tolerance * 2, "\(differing)")
        #expect(differing < 400)
    }
}
