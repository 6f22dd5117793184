import ArgumentParser
import CLISupport
import Contracts
import Foundation
import MadoguchiConfig
import MadoguchiCore
import Outbox
import OutboxStore

/// `madoguchi keys …` and `madoguchi queue …` (the helper `madoguchi-outbox`): the outbox
/// key and the queue of submissions, for technicians and staff. Nothing here prints a
/// submission's content: ids, states, forms, counts and times only.
@main
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi",
        abstract: "送信待ちキューと鍵 / The outbox queue and its key.",
        version: MadoguchiVersion.string,
        subcommands: [KeysCommand.self, QueueCommand.self])
}

/// The options every outbox command shares: where the configuration, the database and the
/// key are.
struct OutboxOptions: ParsableArguments {
    @Option(help: "設定ファイル / The configuration file (default $MADOGUCHI_CONFIG or /etc/madoguchi/madoguchi.toml).")
    var config: String?

    @Option(help: "送信待ちキューのデータベース / The outbox database (default [outbox] path).")
    var database: String?

    @Option(name: .customLong("key-file"), help: "鍵ファイル / The key file (default [outbox] keyCredential or keyFile).")
    var keyFile: String?

    @Option(help: "メッセージの言語 / Message language: ja, en or both.")
    var lang: Language = .both

    /// `[outbox]` from the configuration file. A missing file at the default place gives
    /// the defaults (a technician's laptop); a missing file that was named is an error.
    func settings() throws(ExitCode) -> OutboxSettings {
        let environment = ProcessInfo.processInfo.environment
        let path = ConfigurationFile.path(option: config, environment: environment)
        let named = config != nil || !(environment[ConfigurationFile.environmentVariable] ?? "").isEmpty
        guard FileManager.default.fileExists(atPath: path) else {
            if !named { return OutboxSettings() }
            lang.error(BilingualText(
                ja: "設定ファイル \(path) がありません。パスを確認してください。",
                en: "The configuration file \(path) does not exist. Check the path."))
            throw ExitCode(2)
        }
        let document: DataNode
        do {
            document = try DataLoader.load(contentsOf: path)
        } catch {
            printLines(error.line(in:))
            throw ExitCode(2)
        }
        switch OutboxSettings.read(document) {
        case .success(let settings):
            return settings
        case .failure(let error):
            for problem in error.problems { printLines(problem.line(in:)) }
            throw ExitCode(2)
        }
    }

    /// The database path: the option, else the configuration.
    func databasePath(_ settings: OutboxSettings) -> String { database ?? settings.path }

    /// Where the key comes from: the option, else the configuration's credential or file.
    func keySource(_ settings: OutboxSettings) -> OutboxKeySource {
        if let keyFile { return .file(keyFile) }
        return .configured(
            keyFile: settings.keyFile, keyCredential: settings.keyCredential, environment: ProcessInfo.processInfo.environment)
    }

    /// Prints a located error on standard error in the chosen languages.
    func printLines(_ line: (MessageLanguage) -> String) {
        switch lang {
        case .ja: Output.error(line(.japanese))
        case .en: Output.error(line(.english))
        case .both:
            Output.error(line(.japanese))
            Output.error(line(.english))
        }
    }

    /// Prints an outbox error and gives the exit code for it.
    func fail(_ error: OutboxError) -> ExitCode {
        lang.error(error.text)
        switch error {
        case .notFound, .wrongState: return ExitCode(1)
        case .notCreated: return ExitCode(3)
        default: return ExitCode(1)
        }
    }
}
