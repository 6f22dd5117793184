public import Contracts
import Foundation
import MadoguchiCore

/// The whole of `madoguchi.toml` (docs/contracts/configuration.md), read and checked at
/// start-up: every table's settings, or every problem of every table at once.
///
/// `read` checks what the file says; `checkFiles` then checks what it names on this
/// machine (profiles, key files and their permissions, credentials).
public struct KioskConfiguration: Sendable {
    public var kiosk: KioskSettings
    public var mode = ModeSettings()
    public var display = DisplaySettings()
    public var input = InputSettings()
    public var reader = ReaderSettings()
    public var printer = PrinterSettings()
    public var outbox = OutboxSettings()
    public var backoffice = BackofficeSettings()
    public var timeouts = TimeoutSettings()
    public var languages = LanguageSettings()
    public var staff = StaffSettings()
    public var metrics = MetricsSettings()
    /// The file it was read from, as named (problems found by `checkFiles` are located in it).
    public var file: String
    /// Where each key written in the file stands, by JSON pointer (`/outbox/keyFile`).
    var positions: [String: FilePosition] = [:]

    /// The configuration of a kiosk with this id and the defaults for everything else.
    public init(kiosk: KioskSettings, file: String = ConfigurationFile.defaultPath) {
        self.kiosk = kiosk
        self.file = file
    }

    /// The tables a configuration may have, in the order the contract lists them.
    public static let sections = [
        "kiosk", "mode", "display", "input", "reader", "printer", "outbox", "backoffice", "timeouts", "languages", "staff", "metrics",
    ]

    /// The largest configuration file read (a real one is a few kilobytes).
    static let maximumFileSize = 1 << 20

    // MARK: Reading

    /// Reads a whole configuration document (`DataLoader.loadTOML`). Every problem of
    /// every table, unknown sections included, comes at once, in file order; messages
    /// name the table and key and never repeat a value.
    public static func read(_ document: DataNode) -> Result<KioskConfiguration, ConfigurationError> {
        guard case .object(let members) = document.value else {
            return .failure(
                ConfigurationError([
                    SchemaViolation(
                        instancePath: "", location: document.location, keyword: "type",
                        message: BilingualText(
                            ja: "[kiosk] などのセクションを並べた TOML の表にしてください。", en: "must be a TOML table of sections such as [kiosk]."))
                ]))
        }
        var problems: [SchemaViolation] = []
        for member in members where !sections.contains(member.key) {
            problems.append(unknownSection(member))
        }
        func take<T>(_ result: Result<T, ConfigurationError>) -> T? {
            switch result {
            case .success(let value): return value
            case .failure(let error):
                problems += error.problems
                return nil
            }
        }
        let kiosk = take(KioskSettings.read(document))
        let mode = take(ModeSettings.read(document))
        let display = take(DisplaySettings.read(document))
        let input = take(InputSettings.read(document))
        let reader = take(ReaderSettings.read(document))
        let printer = take(PrinterSettings.read(document))
        let outbox = take(OutboxSettings.read(document).mapError { ConfigurationError($0.problems) })
        let backoffice = take(BackofficeSettings.read(document))
        let timeouts = take(TimeoutSettings.read(document))
        let languages = take(LanguageSettings.read(document))
        let staff = take(StaffSettings.read(document))
        let metrics = take(MetricsSettings.read(document))
        guard problems.isEmpty, let kiosk, let mode, let display, let input, let reader, let printer, let outbox, let backoffice,
            let timeouts, let languages, let staff, let metrics
        else {
            return .failure(ConfigurationError(inFileOrder(problems.map { located($0, in: document) })))
        }
        var configuration = KioskConfiguration(kiosk: kiosk, file: document.location.file)
        configuration.mode = mode
        configuration.display = display
        configuration.input = input
        configuration.reader = reader
        configuration.printer = printer
        configuration.outbox = outbox
        configuration.backoffice = backoffice
        configuration.timeouts = timeouts
        configuration.languages = languages
        configuration.staff = staff
        configuration.metrics = metrics
        configuration.positions = positions(of: document)
        return .success(configuration)
    }

    /// Reads and checks the file at `path` as TOML, whatever its name ends with. A file
    /// that is missing, unreadable or not TOML is one problem located at the path (and, for
    /// TOML, the line); `path` is how every message names the file.
    public static func load(path: String) -> Result<KioskConfiguration, ConfigurationError> {
        func problem(_ location: FilePosition, _ keyword: String, ja: String, en: String) -> Result<KioskConfiguration, ConfigurationError> {
            .failure(ConfigurationError([SchemaViolation(instancePath: "", location: location, keyword: keyword, message: BilingualText(ja: ja, en: en))]))
        }
        let here = FilePosition(file: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return problem(
                here, "file", ja: "設定ファイルがありません。パスを確かめるか、--config か MADOGUCHI_CONFIG で指定してください。",
                en: "the configuration file does not exist; check the path, or name the file with --config or MADOGUCHI_CONFIG.")
        }
        guard !isDirectory.boolValue else {
            return problem(here, "file", ja: "ファイルではなくディレクトリです。", en: "is a directory, not the configuration file.")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumFileSize else {
            return problem(here, "file", ja: "設定ファイルが大きすぎます(1 MiB まで)。", en: "the configuration file is too large (at most 1 MiB).")
        }
        guard FileManager.default.isReadableFile(atPath: path), let data = FileManager.default.contents(atPath: path) else {
            return problem(
                here, "file", ja: "設定ファイルを読めません。この利用者に読む権限があるか確かめてください。",
                en: "the configuration file cannot be read; check that this user may read it.")
        }
        guard data.count <= maximumFileSize else {
            return problem(here, "file", ja: "設定ファイルが大きすぎます(1 MiB まで)。", en: "the configuration file is too large (at most 1 MiB).")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return problem(here, "file", ja: "UTF-8 のテキストではありません。", en: "is not UTF-8 text.")
        }
        let document: DataNode
        do {
            document = try DataLoader.loadTOML(text, file: path)
        } catch {
            return problem(
                error.location, "syntax", ja: "TOML の書式の誤りで読めません(\(error.reason))。この箇所を直してください。",
                en: "not valid TOML: \(error.reason). Fix the text at this place.")
        }
        return read(document)
    }

    /// `[printers]: unknown section; did you mean [printer]?`, or a key written above every
    /// section.
    static func unknownSection(_ member: DataNode.Member) -> SchemaViolation {
        let name = ConfigTable.shown(member.key)
        let pointer = JSONPointer.appending("", member.key)
        guard case .object = member.value.value else {
            let home = sections.first { section in knownKeys(of: section).contains(member.key) }
            let message =
                home.map {
                    BilingualText(
                        ja: "\(name): どのセクションにも入っていません。[\($0)] の下に書いてください。",
                        en: "\(name): written outside every section; move it below [\($0)].")
                }
                ?? BilingualText(
                    ja: "\(name): どのセクションにも入っていない、不明な設定です。", en: "\(name): an unknown setting, outside every section.")
            return SchemaViolation(instancePath: pointer, location: member.keyLocation, keyword: "additionalProperties", message: message)
        }
        let message =
            ConfigTable.nearMiss(member.key, among: sections).map {
                BilingualText(ja: "[\(name)]: 不明なセクションです。[\($0)] ではありませんか?", en: "[\(name)]: unknown section; did you mean [\($0)]?")
            }
            ?? BilingualText(
                ja: "[\(name)]: 不明なセクションです。使えるのは \(sections.map { "[\($0)]" }.joined(separator: "、")) です。",
                en: "[\(name)]: unknown section; the sections are \(sections.map { "[\($0)]" }.joined(separator: ", ")).")
        return SchemaViolation(instancePath: pointer, location: member.keyLocation, keyword: "additionalProperties", message: message)
    }

    static func knownKeys(of section: String) -> [String] {
        switch section {
        case "kiosk": KioskSettings.known
        case "mode": ModeSettings.known
        case "display": DisplaySettings.known
        case "input": InputSettings.known
        case "reader": ReaderSettings.known
        case "printer": PrinterSettings.known
        case "outbox": OutboxSettings.known
        case "backoffice": BackofficeSettings.known
        case "timeouts": TimeoutSettings.known
        case "languages": LanguageSettings.known
        case "staff": StaffSettings.known
        case "metrics": MetricsSettings.known
        default: []
        }
    }

    /// A problem the TOML reader could not place gets the first line of what it is about.
    /// (A table made only by dotted keys or by deeper headers, `a.b = 1` or `[a.b]` without
    /// `[a]`, has no line of its own.)
    static func located(_ problem: SchemaViolation, in document: DataNode) -> SchemaViolation {
        guard problem.location.line == nil else { return problem }
        var pointer = problem.instancePath
        var node = document.node(at: pointer)
        while node == nil, let slash = pointer.lastIndex(of: "/") {
            pointer = String(pointer[..<slash])
            node = document.node(at: pointer)
        }
        var pending = node.map { [$0] } ?? []
        var first: Int?
        while let next = pending.popLast() {
            if let line = next.location.line { first = min(first ?? line, line) }
            switch next.value {
            case .object(let members): pending += members.map(\.value)
            case .array(let items): pending += items
            default: break
            }
        }
        guard let first else { return problem }
        var moved = problem
        moved.location = FilePosition(file: problem.location.file, line: first, column: 1)
        return moved
    }

    /// Problems by line (those without a line last), keeping the order of equals.
    static func inFileOrder(_ problems: [SchemaViolation]) -> [SchemaViolation] {
        problems.enumerated().sorted { a, b in
            let lineA = a.element.location.line ?? .max
            let lineB = b.element.location.line ?? .max
            return lineA != lineB ? lineA < lineB : a.offset < b.offset
        }.map(\.element)
    }

    /// Where each table and each key of the document stands.
    static func positions(of document: DataNode) -> [String: FilePosition] {
        var positions: [String: FilePosition] = [:]
        func walk(_ node: DataNode, _ pointer: String, depth: Int) {
            guard depth < 3, case .object(let members) = node.value else { return }
            for member in members {
                let child = JSONPointer.appending(pointer, member.key)
                positions[child] = member.value.location.line == nil ? member.keyLocation : member.value.location
                walk(member.value, child, depth: depth + 1)
            }
        }
        walk(document, "", depth: 0)
        return positions
    }

    // MARK: What the file names

    /// The checks the schema cannot make, on this machine: the display, reader and printer
    /// profiles exist in the devices directory; the files the configuration will use exist
    /// and can be read; secret files (the outbox key, the back-office token or client key,
    /// the staff passcode hash) are private (mode 0600 or stricter). A secret named by a
    /// `*Credential` key is looked for in `$CREDENTIALS_DIRECTORY` (`environment`) and wins
    /// over its file, as the daemon reads them: the outbox key only from the credential once
    /// `keyCredential` is set, the back-office secrets from the file when the credential is
    /// not there. Messages name keys, never paths or contents, except a default path the
    /// file did not write.
    ///
    /// `outsideService`: checked by hand (`madoguchid --check-config`) rather than by the
    /// service, where systemd has not made `$CREDENTIALS_DIRECTORY`: credentials are then
    /// not checked (systemd hands them over only when it starts the unit) and files are.
    public func checkFiles(environment: [String: String], outsideService: Bool = false) -> [SchemaViolation] {
        // Outside the service and without a credentials folder, there is nothing to look in.
        let environment = outsideService && environment["CREDENTIALS_DIRECTORY", default: ""].isEmpty ? nil : environment
        var problems: [SchemaViolation] = []
        checkProfiles(&problems)

        var outboxTable = ConfigTable("outbox")
        if let credential = outbox.keyCredential {
            checkCredential(credential, key: "keyCredential", fallback: nil, in: &outboxTable, environment: environment)
        } else {
            checkFile(outbox.keyFile, key: "keyFile", default: OutboxSettings().keyFile, secret: true, in: &outboxTable,
                hint: ("madoguchi keys init で作ってください。", "make it with `madoguchi keys init`."))
        }
        problems += outboxTable.problems

        var backofficeTable = ConfigTable("backoffice")
        if backoffice.url != nil {
            switch backoffice.auth {
            case .bearer:
                checkSecret(
                    credential: backoffice.tokenCredential, credentialKey: "tokenCredential", file: backoffice.tokenFile, fileKey: "tokenFile",
                    in: &backofficeTable, environment: environment)
            case .mtls:
                if let certificate = backoffice.clientCertificate {
                    checkFile(certificate, key: "clientCertificate", default: nil, secret: false, in: &backofficeTable)
                }
                checkSecret(
                    credential: backoffice.clientKeyCredential, credentialKey: "clientKeyCredential", file: backoffice.clientKeyFile,
                    fileKey: "clientKeyFile", in: &backofficeTable, environment: environment)
            }
            if let caFile = backoffice.caFile { checkFile(caFile, key: "caFile", default: nil, secret: false, in: &backofficeTable) }
        }
        problems += backofficeTable.problems

        if staff.enabled {
            var staffTable = ConfigTable("staff")
            checkFile(staff.passcodeHashFile, key: "passcodeHashFile", default: StaffSettings().passcodeHashFile, secret: true, in: &staffTable)
            problems += staffTable.problems
        }
        return Self.inFileOrder(problems)
    }

    /// Where `pointer` stands in the file, or the file itself when the key was not written.
    func position(_ pointer: String) -> FilePosition { positions[pointer] ?? FilePosition(file: file) }

    func checkProfiles(_ problems: inout [SchemaViolation]) {
        let wanted: [(table: String, pointer: String, folder: String, name: String?)] = [
            ("display", "/display/profile", "displays", display.profile),
            ("reader", "/reader/profile", "readers", reader.profile),
            ("printer.a4", "/printer/a4/profile", "printers", printer.a4?.profile),
            ("printer.receipt", "/printer/receipt/profile", "printers", printer.receipt?.profile),
        ]
        guard wanted.contains(where: { $0.name != nil }) else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: kiosk.devicesDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            var table = ConfigTable("kiosk")
            let defaulted = positions["/kiosk/devicesDirectory"] == nil
            table.add(
                position("/kiosk/devicesDirectory"), "devicesDirectory", "file",
                ja: "デバイスのプロファイルのディレクトリがありません\(defaulted ? "(既定値 \(kiosk.devicesDirectory))" : "")。",
                en: "the device profile directory does not exist\(defaulted ? " (the default, \(kiosk.devicesDirectory))" : "").")
            problems += table.problems
            return
        }
        for entry in wanted {
            guard let name = entry.name else { continue }
            let path = kiosk.devicesDirectory + "/" + entry.folder + "/" + name + ".toml"
            guard !FileManager.default.isReadableFile(atPath: path) else { continue }
            var table = ConfigTable(entry.table, pointer: String(entry.pointer.dropLast("/profile".count)))
            table.add(
                position(entry.pointer), "profile", "file",
                ja: "そのプロファイルは devicesDirectory の \(entry.folder)/ にありません(名前.toml)。名前を確かめてください。",
                en: "no such profile in \(entry.folder)/ of devicesDirectory (name.toml); check the name.")
            problems += table.problems
        }
    }

    /// A back-office secret: the credential when it is there, else the file.
    func checkSecret(
        credential: String?, credentialKey: String, file: String?, fileKey: String, in table: inout ConfigTable, environment: [String: String]?
    ) {
        if let credential, let environment, let path = BackofficeSettings.credentialPath(credential, environment: environment),
            FileManager.default.fileExists(atPath: path)
        {
            return
        }
        if let file {
            checkFile(file, key: fileKey, default: nil, secret: true, in: &table)
        } else if let credential {
            checkCredential(credential, key: credentialKey, fallback: fileKey, in: &table, environment: environment)
        }
    }

    /// A credential that must be in `$CREDENTIALS_DIRECTORY`; not checked without an
    /// `environment` (outside the service).
    func checkCredential(_ name: String, key: String, fallback: String?, in table: inout ConfigTable, environment: [String: String]?) {
        guard let environment else { return }
        let pointer = table.pointer(key)
        guard let path = BackofficeSettings.credentialPath(name, environment: environment) else {
            table.add(
                position(pointer), key, "file",
                ja: "サービスが資格情報なしで起動されました(CREDENTIALS_DIRECTORY がありません)。unit の LoadCredential=(または LoadCredentialEncrypted=)を確かめてください\(fallback.map { "(または \($0) を使ってください)" } ?? "")。",
                en: "the service was started without credentials (no CREDENTIALS_DIRECTORY); check LoadCredential= (or LoadCredentialEncrypted=) in the unit\(fallback.map { " (or use \($0))" } ?? "").")
            return
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            table.add(
                position(pointer), key, "file",
                ja: "この資格情報が $CREDENTIALS_DIRECTORY にありません。unit の LoadCredential=(または LoadCredentialEncrypted=)を確かめてください\(fallback.map { "(または \($0) を使ってください)" } ?? "")。",
                en: "this credential is not in $CREDENTIALS_DIRECTORY; check LoadCredential= (or LoadCredentialEncrypted=) in the unit\(fallback.map { " (or use \($0))" } ?? "").")
            return
        }
    }

    /// A file that must exist and be readable; a secret one must also be private.
    func checkFile(
        _ path: String, key: String, default defaultPath: String?, secret: Bool, in table: inout ConfigTable,
        hint: (ja: String, en: String) = ("", "")
    ) {
        let pointer = table.pointer(key)
        let defaulted = positions[pointer] == nil && path == defaultPath
        let note = defaulted ? ("(既定値 \(path))", " (the default, \(path))") : ("", "")
        let location = position(pointer)
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved) else {
            table.add(
                location, key, "file", ja: "ファイルがありません\(note.0)。\(hint.ja)",
                en: "the file does not exist\(note.1)" + (hint.en.isEmpty ? "." : "; \(hint.en)"))
            return
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            table.add(location, key, "file", ja: "通常のファイルではありません\(note.0)。", en: "is not a regular file\(note.1).")
            return
        }
        guard FileManager.default.isReadableFile(atPath: resolved) else {
            table.add(
                location, key, "file", ja: "ファイルを読めません\(note.0)。この利用者に読む権限があるか確かめてください。",
                en: "the file cannot be read\(note.1); check that this user may read it.")
            return
        }
        if secret, let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            let octal = String(mode & 0o7777, radix: 8)
            let shown = String(repeating: "0", count: max(0, 4 - octal.count)) + octal
            table.add(
                location, key, "file",
                ja: "秘密のファイルが他の利用者にも開かれています(モード \(shown))\(note.0)。chmod 600 で所有者だけが読めるようにしてください。",
                en: "the secret file is open to other users (mode \(shown))\(note.1); run chmod 600 on it so only its owner can read it.")
        }
    }
}
