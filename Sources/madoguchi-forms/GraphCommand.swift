import ArgumentParser
import CLISupport
import Crypto
import Flows
import Foundation
import MadoguchiCore

extension FormsCommand {
    /// `madoguchi forms graph ID`
    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "フォームの論理を Graphviz の dot で出力します / Write a form's logic as Graphviz dot.",
            discussion: "例 / e.g.: madoguchi forms graph okuyami | dot -Tsvg > okuyami.svg")

        @Argument(help: "フォームの id か フォルダー / A bundle id or folder.")
        var bundle: String

        @Option(help: "Forms/ フォルダー / The Forms/ folder.")
        var forms: String?

        @Option(help: "ラベルの言語 / Label language: ja, en or ja-easy.")
        var lang: String = "ja"

        func run() throws {
            guard let language = BundleLanguage(rawValue: lang) else {
                Output.error("--lang は ja、en、ja-easy のどれかにしてください / --lang must be ja, en or ja-easy.")
                throw ExitCode(2)
            }
            switch Bundles.load(Bundles.folder(bundle, forms: Bundles.formsDirectory(forms))) {
            case .success(let loaded):
                FileHandle.standardOutput.write(Data(FlowGraph.dot(loaded.bundle, language: language).utf8))
            case .failure(let failure):
                failure.diagnostics.flatMap(Language.both.lines).forEach(Output.error)
                throw ExitCode(1)
            }
        }
    }

    /// `madoguchi forms publish ID`
    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "フォームの今の版を公開済みとして Forms/versions.lock に記録します / Record a bundle's current version as published in Forms/versions.lock.",
            discussion: "公開した版は変更できません。変更するときは version を上げます。 / A published version never changes; raise version to change the bundle.")

        @Argument(help: "フォームの id か フォルダー / A bundle id or folder.")
        var bundle: String

        @Option(help: "Forms/ フォルダー / The Forms/ folder.")
        var forms: String?

        func run() throws {
            let formsDirectory = Bundles.formsDirectory(forms)
            let folder = Bundles.folder(bundle, forms: formsDirectory)
            let loaded: LoadedBundle
            switch Bundles.load(folder) {
            case .success(let result): loaded = result
            case .failure(let failure):
                failure.diagnostics.flatMap(Language.both.lines).forEach(Output.error)
                Output.error("誤りのあるフォームは公開できません / A bundle with errors cannot be published.")
                throw ExitCode(1)
            }
            let lockPath = formsDirectory + "/versions.lock"
            var lock = VersionLock()
            if let data = FileManager.default.contents(atPath: lockPath) {
                switch VersionLock.parse(String(decoding: data, as: UTF8.self), file: lockPath) {
                case .success(let parsed): lock = parsed
                case .failure(let failure):
                    failure.diagnostics.flatMap(Language.both.lines).forEach(Output.error)
                    throw ExitCode(1)
                }
            }
            let files = try BundleFiles.read(directory: folder)
            let digest = Digest.of(files)
            let id = loaded.bundle.id
            let version = loaded.bundle.version
            if let problem = lock.check(id: id, version: version, digest: digest, at: .init(file: folder + "/flow.yaml", line: 1, column: 1)) {
                Language.both.lines(problem).forEach(Output.error)
                throw ExitCode(1)
            }
            if lock.digests[id]?[version] == digest {
                Output.line("「\(id)」のバージョン \(version) は公開済みです / Version \(version) of \"\(id)\" is already published.")
                return
            }
            lock.digests[id, default: [:]][version] = digest
            do {
                try Data(lock.text.utf8).write(to: URL(fileURLWithPath: lockPath), options: .atomic)
            } catch {
                Output.error("\(lockPath) に書けません / Cannot write \(lockPath): \(error.localizedDescription)")
                throw ExitCode(73)  // EX_CANTCREAT
            }
            Output.line("「\(id)」のバージョン \(version) を公開済みにしました / Published version \(version) of \"\(id)\".")
        }
    }
}

/// The digest recorded in `versions.lock`.
enum Digest {
    static func of(_ files: BundleFiles) -> String {
        "sha256:" + SHA256.hash(data: VersionLock.digestInput(files)).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
