import Contracts
import Foundation
import MadoguchiConfig
import MadoguchiCore

/// What the daemon takes from `madoguchi.toml` to start the kiosk: the whole file read and
/// checked by `KioskConfiguration` (every table, every problem at once with its place),
/// then the files it names checked on this machine.
struct DaemonSettings {
    let configuration: KioskConfiguration

    var kioskId: String { configuration.kiosk.id }
    var form: String? { configuration.kiosk.forms?.first }
    var formsDirectory: String { configuration.kiosk.formsDirectory }
    var mode: KioskMode { configuration.mode.defaultMode }
    var terminalRenderer: Bool { configuration.display.renderer == .terminal }
    var displayDevice: String { configuration.display.device }
    var console: String? { configuration.display.console }
    var readerMatch: String { configuration.reader.match }
    var allowVirtualReader: Bool { configuration.reader.allowVirtual }
    var cupsServer: String? { configuration.printer.cupsServer }
    var a4Queue: String? { configuration.printer.a4?.queue }
    var receiptQueue: String? { configuration.printer.receipt?.queue }
    var language: String { configuration.languages.defaultLanguage.rawValue }
    var idleSeconds: Int { configuration.timeouts.idleSeconds }
    var idleWarningSeconds: Int { configuration.timeouts.idleWarningSeconds }
    var printJobSeconds: Int { configuration.timeouts.printJobSeconds }
    var timeouts: TimeoutSettings { configuration.timeouts }
    var staff: StaffSettings { configuration.staff }
    var metricsEnabled: Bool { configuration.metrics.enabled }
    var metricsHost: String { configuration.metrics.host }
    var metricsPort: Int { configuration.metrics.port }
    var outbox: OutboxSettings { configuration.outbox }
    var backoffice: BackofficeSettings { configuration.backoffice }

    /// Reads and checks the file and what it names; every problem at once, each with its place.
    /// `outsideService`: checked by hand, where systemd has handed over no credentials.
    static func load(path: String, environment: [String: String], outsideService: Bool = false) -> Result<DaemonSettings, ConfigurationError> {
        switch KioskConfiguration.load(path: path) {
        case .failure(let error):
            return .failure(error)
        case .success(let configuration):
            let problems = configuration.checkFiles(environment: environment, outsideService: outsideService)
            return problems.isEmpty ? .success(DaemonSettings(configuration: configuration)) : .failure(ConfigurationError(problems))
        }
    }
}
