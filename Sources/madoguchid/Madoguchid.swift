import ArgumentParser
import Foundation
import Logging
import MadoguchiConfig
import MadoguchiCore
import ServiceLifecycle

/// `madoguchid`: the kiosk daemon.
///
/// Until the kiosk runtime lands it runs one service, the reader watcher, under
/// swift-service-lifecycle: SIGTERM and SIGINT end it gracefully.
@main
struct Madoguchid: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchid",
        abstract: "窓口端末のデーモン / The Madoguchi kiosk daemon.",
        version: MadoguchiVersion.string)

    @Option(name: .long, help: "設定ファイル / Configuration file (default: $MADOGUCHI_CONFIG or /etc/madoguchi/madoguchi.toml).")
    var config: String?

    @Flag(name: .long, help: "端末に人が読める形で表示 / Show what happens on this terminal, for people.")
    var terminal = false

    func run() async throws {
        let terminal = self.terminal
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = terminal ? .warning : .info
            return handler
        }
        let logger = Logger(label: "madoguchid")
        let configPath = ConfigurationFile.path(option: config, environment: ProcessInfo.processInfo.environment)
        logger.info("starting", metadata: ["version": "\(MadoguchiVersion.string)", "config.path": "\(configPath)"])
        if terminal {
            say("madoguchid \(MadoguchiVersion.string)")
            say(BilingualText(ja: "Ctrl+C で終了します。", en: "Press Ctrl+C to stop."))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: ReaderEventService(terminal: terminal, logger: logger))],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        if terminal { say(BilingualText(ja: "終了しました。", en: "Stopped.")) }
    }
}

/// Writes one line to standard output at once (unbuffered), for the terminal mode.
func say(_ text: some CustomStringConvertible) {
    FileHandle.standardOutput.write(Data("\(text)\n".utf8))
}
