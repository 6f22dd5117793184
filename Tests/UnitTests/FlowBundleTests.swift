import Contracts
import Flows
import Foundation
import MadoguchiCore
import Testing

/// Loading and checking bundles: the shipped ones load clean, every kind of mistake in the
/// broken-bundle corpus is reported with its sentence and place, and the loader agrees
/// with the schemas on the contract's examples.
@Suite("Flows: loading and checking bundles")
struct FlowBundleTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func files(_ relative: String, as display: String? = nil) throws -> BundleFiles {
        try BundleFiles.read(directory: root + "/" + relative, displayPath: display ?? relative)
    }

    static let corpus = "Tests/Fixtures/broken-bundles"

    static var corpusCases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + corpus)) ?? []).filter { !$0.hasPrefix("_") }.sorted()
    }

    /// The base bundle with a case's files laid over it, named `Forms/minimal`.
    static func corpusBundle(_ name: String) throws -> BundleFiles {
        var files = try self.files(corpus + "/_base", as: "Forms/minimal")
        let caseFolder = root + "/" + corpus + "/" + name
        let enumerator = FileManager.default.enumerator(atPath: caseFolder)
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".yaml"), let data = FileManager.default.contents(atPath: caseFolder + "/" + path) else { continue }
            files.texts[path] = String(decoding: data, as: UTF8.self)
        }
        return files
    }

    static func load(_ files: BundleFiles) -> [FlowDiagnostic] {
        switch FormBundleLoader.load(files) {
        case .success(let loaded): loaded.warnings
        case .failure(let failure): failure.diagnostics
        }
    }

    @Test func theCorpusBaseLoadsWithoutAnyDiagnostic() throws {
        let result = FormBundleLoader.load(try Self.files(Self.corpus + "/_base", as: "Forms/minimal"))
        let loaded = try result.get()
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        #expect(loaded.bundle.questions.map(\.id) == ["hasChildren", "childCount", "insurance"])
    }

    @Test func theCorpusHasACaseForEveryKindOfMistakeTheIssueNames() {
        let required = [
            "unknown-reference", "type-mismatch", "when-uses-later-question", "computed-cycle", "condition-never-true",
            "value-not-a-choice", "number-outside-range", "missing-document", "string-missing-in-en",
            "english-same-as-japanese", "easy-japanese-kanji-without-ruby",
        ]
        for name in required { #expect(Self.corpusCases.contains(name), "missing corpus case \(name)") }
        #expect(Self.corpusCases.count >= 25)
    }

    @Test(arguments: corpusCases)
    func eachBrokenBundleLintsWithItsExpectedSentencesAndPlaces(_ name: String) throws {
        let diagnostics = Self.load(try Self.corpusBundle(name))
        let expectedText = try String(contentsOfFile: Self.root + "/" + Self.corpus + "/" + name + "/expected.txt", encoding: .utf8)
        let expected = expectedText.split(separator: "\n").map(String.init)
        let actual = diagnostics.flatMap { [$0.line(in: .japanese), $0.line(in: .english)] }
        #expect(!actual.isEmpty, "case \(name) found nothing")
        #expect(actual == expected, "case \(name):\n\(actual.joined(separator: "\n"))")
        // Every place is a real line and column of a bundle file.
        for diagnostic in diagnostics {
            #expect(diagnostic.location.file.hasPrefix("Forms/minimal/"))
            #expect((diagnostic.location.line ?? 0) >= 1 && (diagnostic.location.column ?? 0) >= 1)
        }
    }

    @Test func everyShippedBundleLoadsWithoutErrorsOrWarnings() throws {
        var catalog = FormCatalog()
        catalog.load(directory: Self.root + "/Forms", displayPath: "Forms")
        catalog.load(directory: Self.root + "/Benchmarks/flows", displayPath: "Benchmarks/flows")
        #expect(catalog.errors.isEmpty, "\(catalog.errors)")
        #expect(catalog.warnings.isEmpty, "\(catalog.warnings)")
        #expect(catalog.ids.contains("okuyami"))
        #expect(catalog.bundleCount == catalog.ids.count)
    }

    @Test func everyShippedExampleRunsToItsGoldenOutcome() throws {
        var checked = 0
        for parent in ["Forms", "Benchmarks/flows"] {
            for name in FormCatalog.bundleFolders(in: Self.root + "/" + parent) {
                let bundle = try FormBundleLoader.load(try Self.files(parent + "/" + name)).get().bundle
                let examples = Self.root + "/" + parent + "/" + name + "/examples"
                for file in ((try? FileManager.default.contentsOfDirectory(atPath: examples)) ?? []).sorted() where file.hasSuffix(".json") {
                    let answers = try AnswerFile.decode(try DataLoader.load(contentsOf: examples + "/" + file)).get()
                    let result = try answers.run(bundle, fileName: file, defaultToday: CalendarDate(iso: "2026-01-09")!).get()
                    let expected = try DataLoader.load(contentsOf: examples + "/expected/" + file)
                    let actual = try DataLoader.loadYAML(result.outcome.json, file: "outcome")
                    #expect(expected.jsonEquals(actual), "\(parent)/\(name)/examples/\(file):\n\(result.outcome.json)")
                    #expect(result.warnings.isEmpty, "\(result.warnings)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 3)
    }

    @Test func theLoaderAgreesWithTheSchemaOnTheContractExamples() throws {
        let folder = Self.root + "/schemas/examples/form-flow"
        for kind in ["valid", "invalid"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder + "/" + kind) where name.hasSuffix(".yaml") {
                let text = try String(contentsOfFile: folder + "/" + kind + "/" + name, encoding: .utf8)
                let id = (try? DataLoader.loadYAML(text, file: name))?["id"].flatMap { node -> String? in
                    if case .string(let id) = node.value { id } else { nil }
                } ?? "x"
                let (part, diagnostics) = FormBundleLoader.part(
                    BundleFiles(directory: "Forms/" + id, texts: ["flow.yaml": text, "strings/ja.yaml": "language: ja\nstrings: {}\n"]))
                let errors = diagnostics.filter { $0.severity == .error && $0.check != .layout }
                if kind == "valid" {
                    #expect(part != nil && errors.isEmpty, "\(name): \(errors)")
                } else {
                    #expect(!errors.isEmpty, "\(name) should be refused")
                }
            }
        }
    }

    @Test func bundlesAreReadWithTheYAMLCoreSchema() throws {
        let node = try DataLoader.loadYAML("a: yes\nb: 012\nc: 0x1F\nd: true\ne: off\nf: -3\ng: 1_000\n", file: "x.yaml")
        #expect(node["a"]?.value == .string("yes"))
        #expect(node["b"]?.value == .number(12))
        #expect(node["c"]?.value == .string("0x1F"))
        #expect(node["d"]?.value == .bool(true))
        #expect(node["e"]?.value == .string("off"))
        #expect(node["f"]?.value == .number(-3))
        #expect(node["g"]?.value == .string("1_000"))
    }

    @Test func aBundleWithoutFlowOrJapaneseStringsSaysWhatIsMissing() {
        let diagnostics = Self.load(BundleFiles(directory: "Forms/empty", texts: [:]))
        #expect(diagnostics.map(\.check) == [.layout])
        #expect(diagnostics.first?.message.en.contains("flow.yaml") == true)
        let noStrings = Self.load(BundleFiles(directory: "Forms/minimal", texts: ["flow.yaml": "id: minimal\nversion: 1\ntitle: t\nquestions: []\nprocedures: []\n"]))
        #expect(noStrings.contains { $0.message.en.contains("strings/ja.yaml") })
    }

    @Test func garbageNeverTrapsTheLoader() throws {
        var random = SeededGenerator(state: 7)
        let base = try Self.files(Self.corpus + "/_base", as: "Forms/minimal")
        let flow = Array(base.texts["flow.yaml", default: ""].unicodeScalars)
        let alphabet = Array("{}[]:,-'\"#&*!|>?\n  \tabcXYZ019.".unicodeScalars)
        for _ in 0..<300 {
            var scalars = flow
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let position = Int.random(in: 0..<scalars.count, using: &random)
                if Bool.random(using: &random) {
                    scalars[position] = alphabet.randomElement(using: &random)!
                } else {
                    scalars.remove(at: position)
                }
            }
            var files = base
            files.texts["flow.yaml"] = String(String.UnicodeScalarView(scalars))
            for diagnostic in Self.load(files) {
                #expect(!diagnostic.message.ja.isEmpty && !diagnostic.message.en.isEmpty)
            }
        }
    }
}

/// Extending a shared bundle, and published versions.
@Suite("Flows: extends, overrides and versions")
struct FlowExtendsTests {
    static func base() throws -> BundleFiles {
        try FlowBundleTests.files(FlowBundleTests.corpus + "/_base", as: "Forms/minimal")
    }

    static func town(_ flow: String, strings: String? = nil) -> BundleFiles {
        var texts = ["flow.yaml": flow]
        if let strings { texts["strings/ja.yaml"] = strings }
        return BundleFiles(directory: "Forms/minimal-kasumi", texts: texts)
    }

    static func loadTown(_ town: BundleFiles) throws -> Result<LoadedBundle, FlowLoadError> {
        let basePart = try #require(FormBundleLoader.part(try base()).part)
        return FormBundleLoader.load(town, base: basePart)
    }

    @Test func aTownBundleReplacesAddsAndRemovesItemsAndMergesStrings() throws {
        let town = Self.town(
            """
            id: minimal-kasumi
            version: 3
            extends: minimal
            questions:
              - id: childCount
                type: number
                answeredBy: resident
                text: q.childCount.text
                when: "answers.hasChildren"
                minimum: 1
                maximum: 12
              - id: schoolChildren
                type: boolean
                answeredBy: resident
                text: q.schoolChildren.text
                after: hasChildren
            remove:
              procedures: [insuranceChange]
            """,
            strings: """
                language: ja
                strings:
                  q.schoolChildren.text: 小学生はいますか?
                  counter.kodomo: 子育て支援課 1番窓口
                """)
        let loaded = try Self.loadTown(town).get()
        let bundle = loaded.bundle
        #expect(bundle.id == "minimal-kasumi" && bundle.version == 3)
        #expect(bundle.base?.id == "minimal" && bundle.base?.version == 1)
        #expect(bundle.questions.map(\.id) == ["hasChildren", "schoolChildren", "childCount", "insurance"])
        if case .number(_, let maximum, _, _) = bundle.question("childCount")?.kind { #expect(maximum == 12) } else { Issue.record("childCount") }
        #expect(bundle.procedures.map(\.id) == ["childAllowance"])
        #expect(bundle.text("counter.kodomo") == "子育て支援課 1番窓口")
        #expect(bundle.text("q.hasChildren.text") == "18歳未満のお子さんはいますか?")
        #expect(bundle.documents.keys.sorted() == ["checklist", "jidou-teate"])
        #expect(bundle.question("schoolChildren")?.location.file == "Forms/minimal-kasumi/flow.yaml")
    }

    @Test func removingAnItemThatIsStillUsedIsAnErrorNamingTheUse() throws {
        let town = Self.town("id: minimal-kasumi\nversion: 1\nextends: minimal\nremove:\n  questions: [insurance]\n")
        let failure = try #require(Self.loadTown(town).failure)
        #expect(failure.diagnostics.contains { $0.check == .expression && $0.message.en.contains("answers.insurance") })
    }

    @Test func removingAnUnknownItemAndAnchoringAfterAnUnknownOneAreErrors() throws {
        let town = Self.town(
            """
            id: minimal-kasumi
            version: 1
            extends: minimal
            questions:
              - {id: extra, type: boolean, answeredBy: resident, text: q.hasChildren.text, after: nowhere}
            remove:
              computed: [nothingLikeThis]
            """)
        let failure = try #require(Self.loadTown(town).failure)
        let checks = failure.diagnostics.filter { $0.severity == .error }.map(\.check)
        #expect(checks.filter { $0 == .extends }.count == 2, "\(failure)")
    }

    @Test func aBaseThatItselfExtendsIsRefusedAndAMissingBaseIsNamed() throws {
        var chained = try Self.base()
        chained.texts["flow.yaml"] = "id: minimal\nversion: 1\nextends: other\n"
        let basePart = try #require(FormBundleLoader.part(chained).part)
        let town = Self.town("id: minimal-kasumi\nversion: 1\nextends: minimal\n")
        let refused = try #require(FormBundleLoader.load(town, base: basePart).failure)
        #expect(refused.diagnostics.contains { $0.check == .extends && $0.message.en.contains("may not extend") })
        let missing = try #require(FormBundleLoader.load(town, base: nil).failure)
        #expect(missing.diagnostics.contains { $0.check == .extends && $0.message.en.contains("Forms/minimal/") })
    }

    @Test func aRunInProgressFinishesOnTheVersionItStartedWith() throws {
        var catalog = FormCatalog()
        var version1 = try Self.base()
        catalog.load([version1])
        let first = try #require(catalog.latest("minimal"))
        var run = try FlowRun(bundle: first, mode: .staff, today: CalendarDate(iso: "2026-04-01")!, identity: FlowRunTests.identity)
        try run.answer(.boolean(true))

        // Version 2 drops the allowance and asks the child count only up to 5.
        version1.texts["flow.yaml"] = try #require(version1.texts["flow.yaml"])
            .replacingOccurrences(of: "version: 1", with: "version: 2")
            .replacingOccurrences(of: "maximum: 10", with: "maximum: 5")
        catalog.load([version1])
        #expect(catalog.latest("minimal")?.version == 2)
        #expect(catalog.bundle("minimal", version: 1) == first)

        try run.answer(.number(8))  // allowed in version 1 only
        try run.answer(.choice("kokuho"))
        #expect(run.isFinished)
        #expect(run.outcome().version == 1)
        var newer = try FlowRun(bundle: try #require(catalog.latest("minimal")), mode: .staff, today: run.today, identity: FlowRunTests.identity)
        try newer.answer(.boolean(true))
        #expect(throws: AnswerError.self) { try newer.answer(.number(8)) }
    }

    @Test func aPublishedVersionMayNotChange() throws {
        let text = "# published\nminimal 1 sha256:" + String(repeating: "a", count: 64) + "\n"
        let lock = try VersionLock.parse(text, file: "Forms/versions.lock").get()
        let place = FilePosition(file: "Forms/minimal/flow.yaml", line: 1, column: 1)
        #expect(lock.check(id: "minimal", version: 1, digest: "sha256:" + String(repeating: "a", count: 64), at: place) == nil)
        let changed = try #require(lock.check(id: "minimal", version: 1, digest: "sha256:" + String(repeating: "b", count: 64), at: place))
        #expect(changed.check == .version && changed.message.en.contains("raise version to 2"))
        #expect(lock.check(id: "minimal", version: 2, digest: "sha256:00", at: place) == nil)
        #expect(try VersionLock.parse(lock.text, file: "x").get() == lock)
        let broken = try #require(VersionLock.parse("minimal one sha256:zz\n", file: "Forms/versions.lock").failure)
        #expect(broken.diagnostics.first?.location.line == 1)
        // The digest covers the bundle's files, not its examples.
        var files = try Self.base()
        let before = VersionLock.digestInput(files)
        files.texts["strings/en.yaml"]? += "  extra.key: more\n"
        #expect(VersionLock.digestInput(files) != before)
    }
}

extension Result {
    /// The error, or nil.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
