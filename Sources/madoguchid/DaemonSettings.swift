import Contracts
import Flows
import Foundation
import MadoguchiConfig
import MadoguchiCore

/// What the daemon takes from `madoguchi.toml` to start the kiosk.
struct DaemonSettings {
    var kioskId: String
    var form: String?
    var formsDirectory = "/usr/share/madoguchi/forms"
    var stateDirectory = "/var/lib/madoguchi"
    var mode = KioskMode.resident
    var terminalRenderer = false
    var displayDevice = "/dev/fb0"
    var readerMatch = ""
    var allowVirtualReader = false
    var cupsServer: String?
    var a4Queue: String?
    var receiptQueue: String?
    var language = "ja"
    var idleSeconds = 90
    var idleWarningSeconds = 30
    var printJobSeconds = 120
    var metricsEnabled = true
    var metricsHost = "127.0.0.1"
    var metricsPort = 9464
    var outbox = OutboxSettings()
    var backoffice = BackofficeSettings()

    /// Reads and checks the file; every problem at once, each with its place.
    static func load(path: String) -> Result<DaemonSettings, ConfigurationError> {
        let document: DataNode
        do throws(SyntaxError) {
            document = try DataLoader.load(contentsOf: path)
        } catch {
            return .failure(ConfigurationError([SchemaViolation(
                instancePath: "", location: error.location, keyword: "syntax",
                message: BilingualText(ja: "書式の誤りで読めません(\(error.reason))。この箇所を直してください。", en: "cannot be read: \(error.reason). Fix the text at this place."))]))
        }
        var problems: [SchemaViolation] = []
        var settings = DaemonSettings(kioskId: "")
        func text(_ table: String, _ key: String) -> String? {
            if case .string(let value)? = document[table]?[key]?.value { return value }
            return nil
        }
        func nested(_ table: String, _ inner: String, _ key: String) -> String? {
            if case .string(let value)? = document[table]?[inner]?[key]?.value { return value }
            return nil
        }
        func integer(_ table: String, _ key: String) -> Int? {
            if case .number(let value)? = document[table]?[key]?.value, value.rounded() == value, abs(value) < 1e9 { return Int(value) }
            return nil
        }
        if let id = text("kiosk", "id") {
            settings.kioskId = id
        } else {
            problems.append(SchemaViolation(
                instancePath: "/kiosk/id", location: document.location, keyword: "required",
                message: BilingualText(ja: "[kiosk] id がありません。端末の id を書いてください(例 kasumi-honcho-01)。", en: "[kiosk] id is missing; give the kiosk's id (e.g. kasumi-honcho-01).")))
        }
        if case .array(let forms)? = document["kiosk"]?["forms"]?.value, case .string(let first)? = forms.first?.value { settings.form = first }
        settings.formsDirectory = text("kiosk", "formsDirectory") ?? settings.formsDirectory
        settings.stateDirectory = text("kiosk", "stateDirectory") ?? settings.stateDirectory
        if let mode = text("mode", "default").flatMap(KioskMode.init(rawValue:)) { settings.mode = mode }
        settings.terminalRenderer = text("display", "renderer") == "terminal"
        settings.displayDevice = text("display", "device") ?? settings.displayDevice
        settings.readerMatch = text("reader", "match") ?? ""
        if case .bool(let allow)? = document["reader"]?["allowVirtual"]?.value { settings.allowVirtualReader = allow }
        settings.cupsServer = text("printer", "cupsServer")
        settings.a4Queue = nested("printer", "a4", "queue")
        settings.receiptQueue = nested("printer", "receipt", "queue")
        settings.language = text("languages", "default") ?? "ja"
        settings.idleSeconds = integer("timeouts", "idleSeconds") ?? 90
        settings.idleWarningSeconds = integer("timeouts", "idleWarningSeconds") ?? 30
        settings.printJobSeconds = integer("timeouts", "printJobSeconds") ?? 120
        if case .bool(let enabled)? = document["metrics"]?["enabled"]?.value { settings.metricsEnabled = enabled }
        if let listen = text("metrics", "listen"), let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) {
            settings.metricsHost = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            settings.metricsPort = port
        }
        switch OutboxSettings.read(document) {
        case .success(let outbox): settings.outbox = outbox
        case .failure(let error): problems += error.problems
        }
        switch BackofficeSettings.read(document) {
        case .success(let backoffice): settings.backoffice = backoffice
        case .failure(let error): problems += error.problems
        }
        return problems.isEmpty ? .success(settings) : .failure(ConfigurationError(problems))
    }
}
