public import Contracts
import MadoguchiCore

/// The `[timeouts]` table of `madoguchi.toml`: time limits, in seconds, each within the
/// range docs/contracts/configuration.md gives.
public struct TimeoutSettings: Sendable, Hashable {
    /// No touch for this long asks 「まだご利用ですか?」 (15–1800).
    public var idleSeconds = 90
    /// Then the session ends and its data is dropped (5–300).
    public var idleWarningSeconds = 30
    /// A session never lasts longer (60–14400).
    public var sessionMaxSeconds = 1800
    /// Time to type the PIN (10–600).
    public var pinEntrySeconds = 60
    /// One card operation, verify and read (2–120).
    public var cardReadSeconds = 20
    /// A print job not finished by then counts as failed (10–1800).
    public var printJobSeconds = 120
    /// How long 「N枚受け取りましたか?」 waits (5–600).
    public var printConfirmSeconds = 60
    /// One HTTP request to the back office (1–600).
    public var syncRequestSeconds = 30

    /// The defaults.
    public init() {}

    static let known = [
        "idleSeconds", "idleWarningSeconds", "sessionMaxSeconds", "pinEntrySeconds", "cardReadSeconds", "printJobSeconds",
        "printConfirmSeconds", "syncRequestSeconds",
    ]

    /// The allowed range of each key.
    static func range(of key: String) -> ClosedRange<Int>? {
        switch key {
        case "idleSeconds": 15...1800
        case "idleWarningSeconds": 5...300
        case "sessionMaxSeconds": 60...14400
        case "pinEntrySeconds": 10...600
        case "cardReadSeconds": 2...120
        case "printJobSeconds": 10...1800
        case "printConfirmSeconds": 5...600
        case "syncRequestSeconds": 1...600
        default: nil
        }
    }

    /// Reads `[timeouts]` from a whole configuration document; a missing table gives the defaults.
    public static func read(_ document: DataNode) -> Result<TimeoutSettings, ConfigurationError> {
        var settings = TimeoutSettings()
        guard let table = document["timeouts"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(ConfigurationError([ConfigTable.notATable(table, "timeouts")]))
        }
        var reader = ConfigTable("timeouts")
        for member in members {
            let key = member.key
            guard let range = range(of: key) else {
                reader.unknown(member, known: known)
                continue
            }
            guard let seconds = reader.integer(member.value, key, range) else { continue }
            switch key {
            case "idleSeconds": settings.idleSeconds = seconds
            case "idleWarningSeconds": settings.idleWarningSeconds = seconds
            case "sessionMaxSeconds": settings.sessionMaxSeconds = seconds
            case "pinEntrySeconds": settings.pinEntrySeconds = seconds
            case "cardReadSeconds": settings.cardReadSeconds = seconds
            case "printJobSeconds": settings.printJobSeconds = seconds
            case "printConfirmSeconds": settings.printConfirmSeconds = seconds
            default: settings.syncRequestSeconds = seconds
            }
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(ConfigurationError(reader.problems))
    }
}

/// The `[languages]` table of `madoguchi.toml`: the screen languages.
public struct LanguageSettings: Sendable, Hashable {
    /// A screen language.
    public enum Language: String, Sendable, Hashable, CaseIterable {
        case ja
        case en
        /// やさしい日本語.
        case jaEasy = "ja-easy"
    }

    /// When furigana are shown.
    public enum Furigana: String, Sendable, Hashable, CaseIterable {
        /// In ja-easy only.
        case auto
        /// In ja and ja-easy.
        case always
        case never
    }

    /// `default`: the language a session starts in.
    public var defaultLanguage = Language.ja
    /// The language button's choices, in order; includes `defaultLanguage`.
    public var offered: [Language] = [.ja, .en, .jaEasy]
    public var furigana = Furigana.auto

    /// The defaults: Japanese first, all three offered.
    public init() {}

    static let known = ["default", "offered", "furigana"]

    /// Reads `[languages]` from a whole configuration document; a missing table gives the
    /// defaults. `offered` must include `default`.
    public static func read(_ document: DataNode) -> Result<LanguageSettings, ConfigurationError> {
        var settings = LanguageSettings()
        guard let table = document["languages"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(ConfigurationError([ConfigTable.notATable(table, "languages")]))
        }
        var reader = ConfigTable("languages")
        var offeredNode: DataNode?
        var defaultNode: DataNode?
        for member in members {
            let key = member.key
            let value = member.value
            switch key {
            case "default":
                defaultNode = value
                if let language = reader.choice(value, key, Language.allCases, noun: ("言語", "a language")) { settings.defaultLanguage = language }
            case "offered":
                offeredNode = value
                if let languages = reader.list(value, key, item: { $0.choice($1, key, Language.allCases, noun: ("言語", "a language")) }) {
                    settings.offered = languages
                }
            case "furigana":
                if let furigana = reader.choice(value, key, Furigana.allCases, noun: ("ふりがなの指定", "a furigana setting")) {
                    settings.furigana = furigana
                }
            default:
                reader.unknown(member, known: known)
            }
        }
        if reader.problems.isEmpty, !settings.offered.contains(settings.defaultLanguage) {
            if let offeredNode {
                reader.add(
                    offeredNode.location, "offered", "contains", ja: "default の言語(書かなければ ja)を含めてください。",
                    en: "must include the default language (ja unless default says otherwise).")
            } else if let defaultNode {
                reader.add(defaultNode.location, "default", "contains", ja: "offered にある言語にしてください。", en: "must be one of the languages offered.")
            }
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(ConfigurationError(reader.problems))
    }
}

/// The `[staff]` table of `madoguchi.toml`: staff mode on this kiosk.
public struct StaffSettings: Sendable, Hashable {
    /// Staff can switch this kiosk to staff mode.
    public var enabled = true
    /// A 0600 file with a crypt(3) SHA-512 hash (`$6$…`) of the staff passcode.
    public var passcodeHashFile = "/etc/madoguchi/staff-passcode.hash"
    /// Staff mode returns to the default mode after this many idle seconds (30–7200).
    public var lockAfterSeconds = 300
    /// Staff see the diagnostics screen.
    public var diagnostics = true

    /// The defaults.
    public init() {}

    static let known = ["enabled", "passcodeHashFile", "lockAfterSeconds", "diagnostics"]

    /// Reads `[staff]` from a whole configuration document; a missing table gives the
    /// defaults. A passcode written in the file is refused and never repeated.
    public static func read(_ document: DataNode) -> Result<StaffSettings, ConfigurationError> {
        var settings = StaffSettings()
        guard let table = document["staff"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(ConfigurationError([ConfigTable.notATable(table, "staff")]))
        }
        var reader = ConfigTable("staff")
        for member in members {
            let key = member.key
            let value = member.value
            switch key {
            case "enabled":
                if let flag = reader.boolean(value, key) { settings.enabled = flag }
            case "passcodeHashFile":
                if let text = reader.absolutePath(value, key) { settings.passcodeHashFile = text }
            case "lockAfterSeconds":
                if let seconds = reader.integer(value, key, 30...7200) { settings.lockAfterSeconds = seconds }
            case "diagnostics":
                if let flag = reader.boolean(value, key) { settings.diagnostics = flag }
            case "passcode":
                reader.secretInFile(member, what: ("パスコード", "the passcode"), file: "passcodeHashFile", credential: nil)
            default:
                reader.unknown(member, known: known)
            }
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(ConfigurationError(reader.problems))
    }
}

/// The `[metrics]` table of `madoguchi.toml`: the daemon's aggregate Prometheus metrics
/// (counts and durations, never personal data), served on this machine only.
public struct MetricsSettings: Sendable, Hashable {
    /// Serve the metrics.
    public var enabled = true
    /// A loopback host: `127.0.0.1`, `::1` or `localhost`.
    public var host = "127.0.0.1"
    /// 1–65535.
    public var port = 9464

    /// The defaults: served on 127.0.0.1:9464.
    public init() {}

    /// `HOST:PORT` as written in the file (`[::1]:9464` for IPv6).
    public var listen: String { host == "::1" ? "[::1]:\(port)" : "\(host):\(port)" }

    static let known = ["enabled", "listen"]

    /// Reads `[metrics]` from a whole configuration document; a missing table gives the
    /// defaults. `listen` must be a loopback address: metrics never leave the machine.
    public static func read(_ document: DataNode) -> Result<MetricsSettings, ConfigurationError> {
        var settings = MetricsSettings()
        guard let table = document["metrics"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(ConfigurationError([ConfigTable.notATable(table, "metrics")]))
        }
        var reader = ConfigTable("metrics")
        for member in members {
            let key = member.key
            let value = member.value
            switch key {
            case "enabled":
                if let flag = reader.boolean(value, key) { settings.enabled = flag }
            case "listen":
                guard let text = reader.string(value, key) else { continue }
                switch parseListen(text) {
                case .success(let address):
                    settings.host = address.host
                    settings.port = address.port
                case .failure(.notLoopback):
                    reader.add(
                        value.location, key, "pattern",
                        ja: "ホストは 127.0.0.1、[::1]、localhost のどれかにしてください。メトリクスはこの機械の外には出しません。",
                        en: "the host must be 127.0.0.1, [::1] or localhost: metrics never leave this machine.")
                case .failure(.malformed):
                    reader.add(
                        value.location, key, "pattern",
                        ja: "ホスト:ポート の形にしてください(例 127.0.0.1:9464、[::1]:9464。ポートは 1 から 65535)。",
                        en: "must be HOST:PORT (e.g. 127.0.0.1:9464 or [::1]:9464; the port from 1 to 65535).")
                }
            default:
                reader.unknown(member, known: known)
            }
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(ConfigurationError(reader.problems))
    }

    enum ListenProblem: Error { case malformed, notLoopback }

    /// `127.0.0.1:P`, `localhost:P` or `[::1]:P` with P 1–65535 (decimal, no leading zero).
    static func parseListen(_ text: String) -> Result<(host: String, port: Int), ListenProblem> {
        let host: String
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return .failure(.malformed) }
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = text[text.index(close, offsetBy: 2)...]
            guard host == "::1" else { return .failure(.notLoopback) }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return .failure(.malformed) }
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else { return .failure(.malformed) }  // IPv6 is written [::1]:PORT
        }
        guard let first = portText.unicodeScalars.first, first != "0", portText.unicodeScalars.count <= 5,
            portText.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), let port = Int(portText), (1...65535).contains(port)
        else { return .failure(.malformed) }
        guard ["127.0.0.1", "localhost", "::1"].contains(host) else { return .failure(host.isEmpty ? .malformed : .notLoopback) }
        return .success((host, port))
    }
}
