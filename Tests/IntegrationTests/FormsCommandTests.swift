import Foundation
import Testing

/// `madoguchi forms …` as a clerk or technician runs it: lint with exit codes, unattended
/// and interactive runs, the graph, and publishing a version.
@Suite("madoguchi forms, run as a user would")
struct FormsCommandTests {
    static let root = ServicesEnvironment.packageRoot.path

    /// A scratch Forms/ folder holding a copy of the corpus base as `minimal`.
    static func scratchForms() throws -> String {
        let folder = NSTemporaryDirectory() + "madoguchi-forms-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/Tests/Fixtures/broken-bundles/_base", toPath: folder + "/minimal")
        return folder
    }

    @Test func lintOfTheShippedBundlesPassesAndRunsTheirGoldenExamples() async throws {
        let result = try await ProgramRunner.run("madoguchi", ["forms", "lint", Self.root + "/Forms", Self.root + "/Benchmarks/flows", Self.root + "/Tests/Fixtures/forms", "--strict", "--lang", "en"])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("checked 5 bundles: 0 errors, 0 warnings."))
    }

    @Test func lintOfABrokenBundleExitsOneWithLocatedLinesInBothLanguages() async throws {
        let forms = try Self.scratchForms()
        defer { try? FileManager.default.removeItem(atPath: forms) }
        let flow = forms + "/minimal/flow.yaml"
        let text = try String(contentsOfFile: flow, encoding: .utf8).replacingOccurrences(of: "type: boolean", with: "type: yesno")
        try text.write(toFile: flow, atomically: true, encoding: .utf8)
        let result = try await ProgramRunner.run("madoguchi-forms", ["lint", forms, "--lang", "both"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("\(forms)/minimal/flow.yaml:11:11: error: 質問「hasChildren」の type「yesno」はありません。"))
        #expect(result.standardOutput.contains("\(forms)/minimal/flow.yaml:11:11: error: question \"hasChildren\" has type \"yesno\""))
        let nothing = try await ProgramRunner.run("madoguchi-forms", ["lint", forms + "/nowhere"])
        #expect(nothing.status == 2 && nothing.standardError.contains("flow.yaml"))
    }

    @Test func aGoldenMismatchNamesThePlaceButNeverShowsPersonalValues() async throws {
        let folder = NSTemporaryDirectory() + "madoguchi-golden-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.root + "/Tests/Fixtures/forms/okuyami", toPath: folder + "/okuyami")
        let expected = folder + "/okuyami/examples/expected/resident-kouki.json"
        try String(contentsOfFile: expected, encoding: .utf8).replacingOccurrences(of: "見本 一郎", with: "見本 二郎")
            .write(toFile: expected, atomically: true, encoding: .utf8)
        let result = try await ProgramRunner.run("madoguchi-forms", ["lint", folder, "--lang", "both"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("/documentData/setainushi-henko/answers.deceasedName (values not shown: personal data)"))
        #expect(!result.standardOutput.contains("見本"))
    }

    @Test func anAnswerFileRunsUnattendedToTheGoldenJSON() async throws {
        let example = Self.root + "/Tests/Fixtures/forms/okuyami/examples/resident-kouki.json"
        let result = try await ProgramRunner.run("madoguchi", ["forms", "run", Self.root + "/Tests/Fixtures/forms/okuyami", "--answers", example, "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.root + "/Tests/Fixtures/forms/okuyami/examples/expected/resident-kouki.json"))) as? NSDictionary
        let actual = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? NSDictionary
        #expect(expected != nil && actual == expected)
        let summary = try await ProgramRunner.run("madoguchi-forms", ["run", Self.root + "/Tests/Fixtures/forms/okuyami", example])
        #expect(summary.standardOutput.contains("? 窓口で確認します / the counter will confirm: 年金受給権者死亡届"))
        // Personal data from the answers never reaches the messages.
        #expect(!summary.standardError.contains("見本"))
    }

    @Test func anInteractiveRunAsksGoesBackAndRefusesBadAnswersWithAReason() async throws {
        let forms = try Self.scratchForms()
        defer { try? FileManager.default.removeItem(atPath: forms) }
        let identity = Self.root + "/schemas/examples/card-read/valid/mihon-hanako.json"
        // yes; 0 children (refused); back; no; 1 = kokuho
        let input = "はい\n0\n<\nいいえ\n1\n"
        let result = try await ProgramRunner.run(
            "madoguchi-forms", ["run", "minimal", "--forms", forms, "--identity", identity, "--today", "2026-04-01", "--json"], input: input)
        #expect(result.status == 0, "\(result.standardError)\n\(result.standardOutput)")
        #expect(result.standardOutput.contains("✗ 質問「childCount」: 1〜10 の数にしてください。"))
        #expect(result.standardOutput.contains("\"id\": \"insuranceChange\", \"result\": \"doesNotApply\""))
        #expect(result.standardOutput.contains("\"id\": \"childAllowance\", \"result\": \"doesNotApply\""))
        let stopped = try await ProgramRunner.run("madoguchi-forms", ["run", "minimal", "--forms", forms, "--identity", identity], input: "")
        #expect(stopped.status == 130)
        let noCard = try await ProgramRunner.run("madoguchi-forms", ["run", "minimal", "--forms", forms], input: "")
        #expect(noCard.status == 2 && noCard.standardError.contains("My Number Card"))
    }

    @Test func theGraphIsGraphvizDotNamingEveryProcedure() async throws {
        let result = try await ProgramRunner.run("madoguchi", ["forms", "graph", Self.root + "/Tests/Fixtures/forms/okuyami"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("digraph \"okuyami\" {"))
        #expect(result.standardOutput.contains("\"p:pensionDeathReport\""))
    }

    @Test func aPublishedVersionThatChangesFailsLintUntilItsVersionIsRaised() async throws {
        let forms = try Self.scratchForms()
        defer { try? FileManager.default.removeItem(atPath: forms) }
        let published = try await ProgramRunner.run("madoguchi-forms", ["publish", "minimal", "--forms", forms])
        #expect(published.status == 0, "\(published.standardError)")
        #expect(try String(contentsOfFile: forms + "/versions.lock", encoding: .utf8).contains("minimal 1 sha256:"))
        let ja = forms + "/minimal/strings/ja.yaml"
        try (String(contentsOfFile: ja, encoding: .utf8).replacingOccurrences(of: "子育ての手続き", with: "子育ての手続きのご案内"))
            .write(toFile: ja, atomically: true, encoding: .utf8)
        let changed = try await ProgramRunner.run("madoguchi-forms", ["lint", forms, "--lang", "en"])
        #expect(changed.status == 1)
        #expect(changed.standardOutput.contains("version 1 of \"minimal\" has been published and may not change; raise version to 2"))
        let flow = forms + "/minimal/flow.yaml"
        try (String(contentsOfFile: flow, encoding: .utf8).replacingOccurrences(of: "version: 1", with: "version: 2"))
            .write(toFile: flow, atomically: true, encoding: .utf8)
        let raised = try await ProgramRunner.run("madoguchi-forms", ["lint", forms])
        #expect(raised.status == 0, "\(raised.standardOutput)")
    }
}

/// `madoguchi forms preview`: a clerk draws a form's documents before it goes live.
@Suite("madoguchi forms preview")
struct FormsPreviewTests {
    static let root = ServicesEnvironment.packageRoot.path

    @Test func previewWritesAPDFAndAPNGPerPageForEachDocumentTheOutcomePrints() async throws {
        let out = NSTemporaryDirectory() + "madoguchi-preview-\(UUID().uuidString)/new"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try await ProgramRunner.run(
            "madoguchi", ["forms", "preview", Self.root + "/Tests/Fixtures/forms/okuyami", "--answers", Self.root + "/Tests/Fixtures/forms/okuyami/examples/resident-kouki.json",
                          "--out", out, "--language", "en", "--dpi", "50"])
        #expect(result.status == 0, "\(result.standardError)")
        for file in ["okuyami-checklist.pdf", "okuyami-checklist-1.png", "setainushi-henko.pdf", "setainushi-henko-1.png"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        #expect(result.standardOutput.contains("Checklist of procedures after a death — A4 210×297 mm × 1"))
        #expect(result.standardError.isEmpty)
        let png = try Data(contentsOf: URL(fileURLWithPath: out + "/setainushi-henko-1.png"))
        // 210 mm at 50 dpi is 413 pixels: the IHDR width, big-endian, at byte 16.
        #expect(png[16..<20].reduce(0) { $0 << 8 | Int($1) } == 413)
    }

    @Test func previewWarnsAboutAFieldNoFontCanDrawWithoutShowingTheValue() async throws {
        let folder = NSTemporaryDirectory() + "madoguchi-preview-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let answers = try String(contentsOfFile: Self.root + "/Tests/Fixtures/forms/okuyami/examples/resident-kouki.json", encoding: .utf8)
            .replacingOccurrences(of: "\"deceasedName\": \"見本 一郎\"", with: "\"deceasedName\": \"見本 \u{10FFFD}郎\"")
        try answers.write(toFile: folder + "/answers.json", atomically: true, encoding: .utf8)
        let result = try await ProgramRunner.run(
            "madoguchi-forms", ["preview", Self.root + "/Tests/Fixtures/forms/okuyami", "--answers", folder + "/answers.json", "--out", folder + "/out", "--lang", "en"])
        #expect(result.status == 0)
        #expect(result.standardError.contains("/Tests/Fixtures/forms/okuyami/documents/setainushi-henko.yaml:33:5: warning: setainushi-henko page 1 item 17 (answers.deceasedName): a character no installed font has"), "\(result.standardError)")
        #expect(result.standardError.contains("1 field(s) need checking."))
        #expect(!result.standardError.contains("見本"))
    }

    @Test func previewRefusesBadArgumentsAndBadAnswersWithAReason() async throws {
        let answers = Self.root + "/Tests/Fixtures/forms/okuyami/examples/resident-kouki.json"
        let dpi = try await ProgramRunner.run("madoguchi-forms", ["preview", "okuyami", "--answers", answers, "--out", "/tmp/x", "--dpi", "5"])
        #expect(dpi.status == 64 && dpi.standardError.contains("--dpi must be from 36 to 600"))
        let language = try await ProgramRunner.run("madoguchi-forms", ["preview", "okuyami", "--answers", answers, "--out", "/tmp/x", "--language", "fr"])
        #expect(language.status == 64 && language.standardError.contains("--language must be ja, en or ja-easy"))
        let missing = try await ProgramRunner.run(
            "madoguchi-forms", ["preview", Self.root + "/Tests/Fixtures/forms/okuyami", "--answers", "/nonexistent/answers.json", "--out", "/tmp/x"])
        #expect(missing.status == 1 && missing.standardError.contains("/nonexistent/answers.json"))
    }
}
