import ArgumentParser
import CLISupport
import Diagnostics
import Foundation
import MadoguchiConfig
import MadoguchiCore

/// `madoguchi diag …` (the helper `madoguchi-diag`): the one-pass check (the default
/// subcommand) and the interactive checks, each in its own file (docs/diagnostics.md).
@main
struct DiagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi diag",
        abstract: "端末の診断 / Check this kiosk and explain: system, readers, card, printer, display, outbox, back office.",
        discussion: """
            サブコマンドなしで check(全体の診断)を実行します。check の各行は ✓(正常)⚠(注意)✗(異常)–(未設定)、\
            終了コードは 0 すべて正常、1 注意あり、2 異常あり。--json で JSON を出力します。
            Without a subcommand it runs check: each line is ✓ (ok), ⚠ (warning), ✗ (failure) or – (not configured). \
            Exit status: 0 all ok, 1 a warning, 2 a failure. --json prints JSON. See docs/diagnostics.md.
            """,
        version: MadoguchiVersion.string,
        subcommands: [Check.self, CardWatch.self, PrintCheck.self, TouchCalibrationCommand.self],
        defaultSubcommand: Check.self)
}

/// `madoguchi diag [check] [--json] [--config PATH]`: one pass over the kiosk's parts, each
/// line ✓ / ⚠ / ✗ / – with the next step (docs/diagnostics.md). It reads no personal data
/// beyond what `madoguchi card status` shows, and prints none.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "端末の診断 / Check this kiosk and explain: system, readers, card, printer, display, outbox, back office.",
        discussion: """
            各行は ✓(正常)⚠(注意)✗(異常)–(未設定)。⚠ と ✗ には次の手順を示します。\
            終了コード: 0 すべて正常、1 注意あり、2 異常あり。個人情報は表示しません。
            Each line is ✓ (ok), ⚠ (warning), ✗ (failure) or – (not configured); ⚠ and ✗ say what to do next. \
            Exit status: 0 all ok, 1 a warning, 2 a failure. Never prints personal data. See docs/diagnostics.md.
            """)

    @Flag(help: "JSON で出力 / Print JSON (schemas/diag.schema.json).")
    var json = false

    @Option(help: "設定ファイル / The configuration file (default $MADOGUCHI_CONFIG or /etc/madoguchi/madoguchi.toml).")
    var config: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let path = ConfigurationFile.path(option: config, environment: environment)
        let daemon = SystemChecks.daemon()
        var sections: [DiagnosticSection] = []
        switch KioskConfiguration.load(path: path) {
        case .failure(let error):
            sections.append(SystemChecks.section(configuration: nil, file: SystemChecks.unreadable(path, error), daemon: daemon))
        case .success(let configuration):
            sections.append(SystemChecks.section(configuration: configuration, file: SystemChecks.readable(path, configuration), daemon: daemon))
            let readers = ReaderChecks.run(configuration)
            sections.append(readers.section)
            sections.append(CardChecks.section(reader: readers.chosen, daemon: daemon.status))
            sections.append(await PrinterChecks.section(configuration.printer))
            sections.append(DisplayChecks.section(configuration))
            sections.append(OutboxChecks.section(configuration.outbox, environment: environment))
            sections.append(await BackofficeChecks.section(configuration.backoffice, kiosk: configuration.kiosk.id, environment: environment))
        }
        let report = DiagnosticReport(sections: sections)
        if json {
            Output.line(report.json())
        } else {
            for line in report.lines() { Output.line(line) }
        }
        throw ExitCode(report.exitStatus)
    }
}
