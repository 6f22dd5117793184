import ArgumentParser
import CLISupport
import Contracts
import Foundation
import MadoguchiConfig
import MadoguchiCore
import Outbox
import OutboxStore

/// `madoguchi keys …`, `madoguchi queue …` and `madoguchi staff …` (the helper
/// `madoguchi-outbox`): the outbox key, the queue of submissions and the staff passcode,
/// for technicians and staff. Nothing here prints a
/// submission's content: ids, states, forms, counts and times only.
@main
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi",
        abstract: "送信待ちキュー、その鍵、職員の暗証番号 / The outbox queue, its key, the staff passcode.",
        version: MadoguchiVersion.string,
        subcommands: [KeysCommand.self, QueueCommand.self, StaffCommand.self])
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
        try read(OutboxSettings()) { document in
            switch OutboxSettings.read(document) {
            case .success(let settings): (settings, [])
            case .failure(let error): (nil, error.problems)
            }
        }
    }

    /// `[staff]` from the configuration file, as `settings()` reads `[outbox]`.
    func staffSettings() throws(ExitCode) -> StaffSettings {
        try read(StaffSettings()) { document in
            switch StaffSettings.read(document) {
            case .success(let settings): (settings, [])
            case .failure(let error): (nil, error.problems)
            }
        }
    }

    /// One table of the configuration file; `defaults` when there is no file at the default place.
    private func read<Settings>(
        _ defaults: Settings, _ table: (DataNode) -> (Settings?, [SchemaViolation])
    ) throws(ExitCode) -> Settings {
        let environment = ProcessInfo.processInfo.environment
        let path = ConfigurationFile.path(option: config, environment: environment)
        let named = config != nil || !(environment[ConfigurationFile.environmentVariable] ?? "").isEmpty
        guard FileManager.default.fileExists(atPath: path) else {
            if !named { return defaults }
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
        let (settings, problems) = table(document)
        guard let settings else {
            for problem in problems { printLines(problem.line(in:)) }
            throw ExitCode(2)
        }
        return settings
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
