import ArgumentParser
import CLISupport
import Contracts
import Flows
import Foundation
import MadoguchiCore

/// `madoguchi forms …` (the helper `madoguchi-forms`): check, run and draw form bundles.
@main
struct FormsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi forms",
        abstract: "フォーム(質問の流れ)を確認・実行・図示します / Check, run and draw form bundles.",
        version: MadoguchiVersion.string,
        subcommands: [Lint.self, Run.self, Preview.self, Graph.self, Publish.self])
}

/// Diagnostics in the chosen language(s), one line each.
extension Language {
    func lines(_ diagnostic: FlowDiagnostic) -> [String] {
        switch self {
        case .ja: [diagnostic.line(in: .japanese)]
        case .en: [diagnostic.line(in: .english)]
        case .both: [diagnostic.line(in: .japanese), diagnostic.line(in: .english)]
        }
    }
}

/// What `forms run` and `forms preview` share: a bundle, an answer file, where Forms/ is,
/// the session date and the message language; loading both, with every error printed.
struct BundleAnswerOptions: ParsableArguments {
    @Argument(help: "フォームの id か フォルダー / A bundle id or folder.")
    var bundle: String

    @Argument(help: "回答ファイル(JSON) / An answer file (JSON).")
    var answersFile: String?

    @Option(name: .customLong("answers"), help: "回答ファイル(位置引数と同じ) / An answer file (as the positional argument).")
    var answersOption: String?

    @Option(help: "Forms/ フォルダー / The Forms/ folder.")
    var forms: String?

    @Option(help: "今日の日付 YYYY-MM-DD(回答ファイルの today が優先) / The session date, YYYY-MM-DD (an answer file's today wins).")
    var today: String?

    @Option(help: "メッセージの言語 / Message language: ja, en or both.")
    var lang: Language = .both

    /// The answer file, however it was given.
    var answers: String? { answersOption ?? answersFile }

    /// The loaded bundle; prints its errors and exits 1 when it does not load.
    func loadBundle() throws -> LoadedBundle {
        switch Bundles.load(Bundles.folder(bundle, forms: Bundles.formsDirectory(forms))) {
        case .success(let result): return result
        case .failure(let failure):
            failure.diagnostics.flatMap(lang.lines).forEach(Output.error)
            throw ExitCode(1)
        }
    }

    /// `--today`, or today in Japan; prints why and exits 2 when it is no date.
    func sessionDate() throws -> CalendarDate {
        guard let today else { return Bundles.todayInJapan() }
        guard let date = CalendarDate(iso: today) else {
            Output.error(lang.text(BilingualText(
                ja: "--today は YYYY-MM-DD の日付にしてください(例: 2026-01-09)。", en: "--today must be a YYYY-MM-DD date (e.g. 2026-01-09).")))
            throw ExitCode(2)
        }
        return date
    }

    /// The answer file at `path` run through `bundle`; prints errors (exit 1) and warnings.
    func run(_ path: String, _ bundle: FormBundle, today: CalendarDate) throws -> (outcome: Outcome, run: FlowRun) {
        guard let node = Bundles.node(path) else { throw ExitCode(1) }
        let file: AnswerFile
        switch AnswerFile.decode(node) {
        case .success(let decoded): file = decoded
        case .failure(let failure):
            failure.diagnostics.flatMap(lang.lines).forEach(Output.error)
            throw ExitCode(1)
        }
        switch file.run(bundle, fileName: path, defaultToday: today) {
        case .failure(let failure):
            failure.diagnostics.flatMap(lang.lines).forEach(Output.error)
            throw ExitCode(1)
        case .success(let result):
            result.warnings.flatMap(lang.lines).forEach(Output.error)
            return (result.outcome, result.run)
        }
    }
}

/// Finding bundles on disk.
enum Bundles {
    /// The `Forms/` folder: the option, `$MADOGUCHI_FORMS`, `./Forms`, or the installed one.
    static func formsDirectory(_ option: String?) -> String {
        if let option { return option }
        if let environment = ProcessInfo.processInfo.environment["MADOGUCHI_FORMS"], !environment.isEmpty { return environment }
        if FileManager.default.fileExists(atPath: "Forms") { return "Forms" }
        return "/usr/share/madoguchi/Forms"
    }

    /// The folder of a bundle named by path or by id.
    static func folder(_ argument: String, forms: String) -> String {
        if FileManager.default.fileExists(atPath: argument + "/flow.yaml") { return argument }
        return forms + "/" + argument
    }

    /// Loads one bundle folder (and the base it extends, from beside it).
    static func load(_ folder: String) -> Result<LoadedBundle, FlowLoadError> { FormBundleLoader.load(folder: folder) }

    /// The session date in Japan time (UTC+9, no daylight saving).
    static func todayInJapan() -> CalendarDate {
        CalendarDate.inJapan(secondsSince1970: Int(Date().timeIntervalSince1970)) ?? CalendarDate(iso: "2026-01-01")!
    }

    /// Reads a JSON or YAML file into a node, or prints why not.
    static func node(_ path: String) -> DataNode? {
        do throws(SyntaxError) {
            return try DataLoader.load(contentsOf: path)
        } catch {
            Output.error(error.description)
            return nil
        }
    }
}

// MARK: - lint

extension FormsCommand {
    /// `madoguchi forms lint [PATH…]`
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "フォームの誤りを探します / Find the mistakes in form bundles.",
            discussion: """
                PATH は Forms/ フォルダーか、その中のフォーム一つ(既定: Forms)。examples/ と cases/ の回答ファイルを実行し、\
                examples/expected/ と cases/expected/ の結果と比べます。Forms/versions.lock があれば、公開済みの版が変わっていないか確かめます。
                PATH is a Forms/ folder or one bundle in it (default: Forms). Runs the answer files in examples/ and cases/ and \
                compares them with examples/expected/ and cases/expected/; with Forms/versions.lock, checks that published versions did not change.
                Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 bad arguments.
                """,
            aliases: ["check"])

        @Argument(help: "Forms/ か Forms/<id> / A Forms/ folder or a bundle folder.")
        var paths: [String] = []

        @Option(help: "メッセージの言語 / Message language: ja, en or both.")
        var lang: Language = .ja

        @Flag(help: "警告も失敗にします / Fail on warnings too.")
        var strict = false

        func run() throws {
            let targets = paths.isEmpty ? [Bundles.formsDirectory(nil)] : paths
            var errors: [FlowDiagnostic] = []
            var warnings: [FlowDiagnostic] = []
            var checked = 0
            for target in targets {
                let isBundle = FileManager.default.fileExists(atPath: target + "/flow.yaml")
                let folders = isBundle ? [target] : FormCatalog.bundleFolders(in: target).map { target + "/" + $0 }
                if folders.isEmpty {
                    Output.error(lang.text(BilingualText(
                        ja: "「\(target)」にフォームがありません(flow.yaml のあるフォルダーを指定してください)。",
                        en: "there are no bundles in \"\(target)\"; give a folder holding flow.yaml, or one holding such folders.")))
                    throw ExitCode(2)
                }
                let lockPath = (isBundle ? parent(of: target) : target) + "/versions.lock"
                let lock = readLock(lockPath, errors: &errors)
                for folder in folders {
                    checked += 1
                    switch Bundles.load(folder) {
                    case .success(let loaded):
                        warnings += loaded.warnings
                        errors += Examples.check(loaded.bundle, folder: folder)
                        if let lock, let files = try? BundleFiles.read(directory: folder),
                            let problem = lock.check(
                                id: loaded.bundle.id, version: loaded.bundle.version, digest: Digest.of(files),
                                at: FilePosition(file: folder + "/flow.yaml", line: 1, column: 1))
                        {
                            errors.append(problem)
                        }
                    case .failure(let failure):
                        errors += failure.diagnostics.filter { $0.severity == .error }
                        warnings += failure.diagnostics.filter { $0.severity == .warning }
                    }
                }
            }
            for diagnostic in FlowDiagnostic.sorted(errors + warnings) {
                lang.lines(diagnostic).forEach { Output.line($0) }
            }
            Output.line(lang.text(BilingualText(
                ja: "フォーム \(checked) 個を確認しました: エラー \(errors.count)、警告 \(warnings.count)。",
                en: "checked \(checked) bundle\(checked == 1 ? "" : "s"): \(errors.count) error\(errors.count == 1 ? "" : "s"), \(warnings.count) warning\(warnings.count == 1 ? "" : "s").")))
            if !errors.isEmpty || (strict && !warnings.isEmpty) { throw ExitCode(1) }
        }

        private func parent(of path: String) -> String {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            return parts.isEmpty ? "." : parts.joined(separator: "/")
        }

        private func readLock(_ path: String, errors: inout [FlowDiagnostic]) -> VersionLock? {
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            switch VersionLock.parse(String(decoding: data, as: UTF8.self), file: path) {
            case .success(let lock): return lock
            case .failure(let failure):
                errors += failure.diagnostics
                return nil
            }
        }
    }
}

/// Golden examples and cases: every `examples/<name>.json` runs, and its outcome must equal
/// `examples/expected/<name>.json`; every `cases/<name>.json` runs, and its outcome must
/// agree with `cases/expected/<name>.json` on every member that file names (a case states the
/// decisions it tests — procedures, due dates, what prints — and may leave out `visits`,
/// `documentData` and the values inside `computed`).
enum Examples {
    static func check(_ bundle: FormBundle, folder: String) -> [FlowDiagnostic] {
        check(bundle, directory: folder + "/examples", kind: "examples", partial: false)
            + check(bundle, directory: folder + "/cases", kind: "cases", partial: true)
    }

    private static func check(_ bundle: FormBundle, directory: String, kind: String, partial: Bool) -> [FlowDiagnostic] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        var problems: [FlowDiagnostic] = []
        for name in names {
            let path = directory + "/" + name
            let expectedPath = directory + "/expected/" + name
            guard let node = loadNode(path, into: &problems) else { continue }
            let file: AnswerFile
            switch AnswerFile.decode(node) {
            case .success(let decoded): file = decoded
            case .failure(let failure):
                problems += failure.diagnostics
                continue
            }
            switch file.run(bundle, fileName: path, defaultToday: Bundles.todayInJapan()) {
            case .failure(let failure):
                problems += failure.diagnostics
            case .success(let result):
                guard FileManager.default.fileExists(atPath: expectedPath) else {
                    problems.append(FlowDiagnostic(
                        partial ? .error : .warning, .missing, at: FilePosition(file: path, line: 1, column: 1), BilingualText(
                            ja: "期待する結果 \(kind)/expected/\(name) がありません。madoguchi forms run の --json の出力を確かめて置いてください。",
                            en: "there is no expected outcome \(kind)/expected/\(name); check the output of madoguchi forms run --json and save it there.")))
                    continue
                }
                guard let expected = loadNode(expectedPath, into: &problems),
                    let actual = try? DataLoader.loadYAML(result.outcome.json, file: "outcome")
                else { continue }
                if let difference = OutcomeDifference.first(expected: expected, actual: actual, partial: partial) {
                    // Bound document values are personal data: name the place, never the values.
                    let message = difference.pointer.hasPrefix("/documentData")
                        ? BilingualText(
                            ja: "\(kind)/\(name) の結果が期待と違います: \(difference.pointer) の値が違います(個人の情報なので値は表示しません)。",
                            en: "the outcome of \(kind)/\(name) differs from the expected one at \(difference.pointer) (values not shown: personal data).")
                        : BilingualText(
                            ja: "\(kind)/\(name) の結果が期待と違います: \(difference.pointer) は \(difference.expected) のはずが \(difference.actual) になりました。",
                            en: "the outcome of \(kind)/\(name) differs from the expected one: \(difference.pointer) should be \(difference.expected) but is \(difference.actual).")
                    problems.append(FlowDiagnostic(.error, .structure, at: difference.location, message))
                }
            }
        }
        return problems
    }

    private static func loadNode(_ path: String, into problems: inout [FlowDiagnostic]) -> DataNode? {
        do throws(SyntaxError) {
            return try DataLoader.load(contentsOf: path)
        } catch {
            problems.append(FlowDiagnostic(.error, .syntax, at: error.location, BilingualText(
                ja: "書式の誤りで読めません(\(error.reason))。", en: "cannot be read: \(error.reason).")))
            return nil
        }
    }
}

/// The first place two JSON values differ. Outcomes hold personal data only under
/// `documentData`, whose values the caller hides. With `partial`, members of an object that
/// `expected` leaves out are not compared (arrays are still compared item by item and whole).
enum OutcomeDifference {
    static func first(expected: DataNode, actual: DataNode, pointer: String = "", partial: Bool = false)
        -> (pointer: String, expected: String, actual: String, location: FilePosition)?
    {
        switch (expected.value, actual.value) {
        case let (.object(left), .object(right)):
            for member in left {
                let path = JSONPointer.appending(pointer, member.key)
                guard let other = right.first(where: { $0.key == member.key }) else {
                    return (path, show(member.value), "(none)", member.keyLocation)
                }
                if let found = first(expected: member.value, actual: other.value, pointer: path, partial: partial) { return found }
            }
            for member in right where !partial && !left.contains(where: { $0.key == member.key }) {
                return (JSONPointer.appending(pointer, member.key), "(none)", show(member.value), expected.location)
            }
            return nil
        case let (.array(left), .array(right)):
            for (index, pair) in zip(left, right).enumerated() {
                if let found = first(expected: pair.0, actual: pair.1, pointer: pointer + "/\(index)", partial: partial) { return found }
            }
            if left.count != right.count {
                return (pointer, "\(left.count) items", "\(right.count) items", expected.location)
            }
            return nil
        default:
            return expected.jsonEquals(actual) ? nil : (pointer.isEmpty ? "/" : pointer, show(expected), show(actual), expected.location)
        }
    }

    static func show(_ node: DataNode) -> String {
        switch node.value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let text): "\"\(text)\""
        case .array(let items): "[\(items.map(show).joined(separator: ", "))]"
        case .object: "{…}"
        }
    }
}
