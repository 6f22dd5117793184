public import Contracts
import Foundation
import MadoguchiCore

/// The `[outbox]` table of `madoguchi.toml` (docs/contracts/configuration.md): where the
/// queue lives, where its key comes from, and what it refuses to grow past.
public struct OutboxSettings: Sendable, Hashable {
    /// The SQLite database.
    public var path = "/var/lib/madoguchi/outbox.sqlite"
    /// The 0600 key file made by `madoguchi keys init`.
    public var keyFile = "/etc/madoguchi/outbox.key"
    /// A systemd credential name; wins over `keyFile` when set.
    public var keyCredential: String?
    /// Diagnostics warn when more submissions than this wait.
    public var warnPending = 1000
    /// The most submissions kept at once (waiting and dead letters); more are refused.
    public var maxPending = 20_000
    /// New submissions are refused when the database's file system has less free space.
    public var minFreeMegabytes = 64
    /// Dead letters are kept this long, then securely deleted.
    public var deadLetterRetentionDays = 180

    /// The defaults.
    public init() {}

    /// Reads `[outbox]` from a whole configuration document (`DataLoader.load`). A missing
    /// table gives the defaults; every wrong key is reported, with its place, and never
    /// its value beyond the key's own name.
    public static func read(_ document: DataNode) -> Result<OutboxSettings, OutboxSettingsError> {
        var settings = OutboxSettings()
        guard let table = document["outbox"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(OutboxSettingsError([ConfigTable.notATable(table, "outbox")]))
        }
        var reader = ConfigTable("outbox")
        for member in members {
            let key = member.key
            let value = member.value
            switch key {
            case "path":
                if let text = reader.absolutePath(value, key) { settings.path = text }
            case "keyFile":
                if let text = reader.absolutePath(value, key) { settings.keyFile = text }
            case "keyCredential":
                if let text = reader.credentialName(value, key) { settings.keyCredential = text }
            case "warnPending":
                if let number = reader.integer(value, key, 1...1_000_000) { settings.warnPending = number }
            case "maxPending":
                if let number = reader.integer(value, key, 1...1_000_000) { settings.maxPending = number }
            case "minFreeMegabytes":
                if let number = reader.integer(value, key, 0...1_048_576) { settings.minFreeMegabytes = number }
            case "deadLetterRetentionDays":
                if let number = reader.integer(value, key, 1...3650) { settings.deadLetterRetentionDays = number }
            case "key":
                reader.secretInFile(member, what: ("鍵", "the key"), file: "keyFile", credential: "keyCredential")
            default:
                reader.unknown(member, known: known)
            }
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(OutboxSettingsError(reader.problems))
    }

    static let known = [
        "path", "keyFile", "keyCredential", "warnPending", "maxPending", "minFreeMegabytes", "deadLetterRetentionDays",
    ]
}

/// Every problem found in `[outbox]`, in file order.
public struct OutboxSettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [SchemaViolation]

    public init(_ problems: [SchemaViolation]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
