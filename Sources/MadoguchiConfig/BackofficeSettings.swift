public import Contracts
import Foundation
import MadoguchiCore

/// The `[backoffice]` table of `madoguchi.toml` (schemas/config.schema.json): where
/// submissions are sent and how the kiosk proves who it is. Without `url` nothing is sent
/// and submissions wait in the outbox.
public struct BackofficeSettings: Sendable, Hashable {
    public enum Authentication: String, Sendable, Hashable, CaseIterable {
        /// A per-kiosk bearer token (`tokenFile` or `tokenCredential`).
        case bearer
        /// A per-kiosk client certificate (`clientCertificate` and its key).
        case mtls
    }

    /// The receiver's base URL; nil: nothing is sent.
    public var url: String?
    public var auth = Authentication.bearer
    public var tokenFile: String?
    public var tokenCredential: String?
    public var clientCertificate: String?
    public var clientKeyFile: String?
    public var clientKeyCredential: String?
    /// Trust only this CA bundle for the receiver; nil: the system's.
    public var caFile: String?
    public var retryInitialSeconds = 5
    public var retryMaxSeconds = 900

    /// The defaults: nothing is sent.
    public init() {}

    static let known = [
        "url", "auth", "tokenFile", "tokenCredential", "clientCertificate", "clientKeyFile", "clientKeyCredential", "caFile",
        "retryInitialSeconds", "retryMaxSeconds",
    ]

    /// Reads `[backoffice]` from a whole configuration document. A missing table gives the
    /// defaults; every wrong key is reported with its place, and no value is repeated.
    public static func read(_ document: DataNode) -> Result<BackofficeSettings, ConfigurationError> {
        var settings = BackofficeSettings()
        guard let table = document["backoffice"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(ConfigurationError([ConfigTable.notATable(table, "backoffice")]))
        }
        var reader = ConfigTable("backoffice")
        for member in members {
            let key = member.key
            let value = member.value
            switch key {
            case "url":
                guard let text = reader.string(value, key) else { continue }
                if isAllowedURL(text) {
                    settings.url = text
                } else {
                    reader.add(
                        value.location, key, "pattern",
                        ja: "https:// で始めてください(http:// は試験用の localhost / 127.0.0.1 / [::1] だけ)。",
                        en: "must start with https:// (http:// only for localhost, 127.0.0.1 or [::1] in tests).")
                }
            case "auth":
                if let auth = reader.choice(value, key, Authentication.allCases, noun: ("認証方式", "an authentication method")) {
                    settings.auth = auth
                }
            case "tokenFile": settings.tokenFile = reader.absolutePath(value, key)
            case "tokenCredential": settings.tokenCredential = reader.credentialName(value, key)
            case "clientCertificate": settings.clientCertificate = reader.absolutePath(value, key)
            case "clientKeyFile": settings.clientKeyFile = reader.absolutePath(value, key)
            case "clientKeyCredential": settings.clientKeyCredential = reader.credentialName(value, key)
            case "caFile": settings.caFile = reader.absolutePath(value, key)
            case "retryInitialSeconds":
                if let number = reader.integer(value, key, 1...3600) { settings.retryInitialSeconds = number }
            case "retryMaxSeconds":
                if let number = reader.integer(value, key, 1...86400) { settings.retryMaxSeconds = number }
            case "token":
                reader.secretInFile(member, what: ("トークン", "the token"), file: "tokenFile", credential: "tokenCredential")
            case "clientKey":
                reader.secretInFile(member, what: ("秘密鍵", "a private key"), file: "clientKeyFile", credential: "clientKeyCredential")
            default:
                reader.unknown(member, known: known)
            }
        }
        if reader.problems.isEmpty, settings.url != nil || settings.auth == .mtls {
            switch settings.auth {
            case .bearer where settings.tokenFile == nil && settings.tokenCredential == nil:
                reader.add(
                    table.location, nil, "anyOf", ja: "bearer 認証には tokenFile か tokenCredential が要ります。",
                    en: "bearer authentication needs tokenFile or tokenCredential.")
            case .mtls where settings.clientCertificate == nil || (settings.clientKeyFile == nil && settings.clientKeyCredential == nil):
                reader.add(
                    table.location, nil, "required", ja: "mtls 認証には clientCertificate と、clientKeyFile か clientKeyCredential が要ります。",
                    en: "mtls authentication needs clientCertificate, and clientKeyFile or clientKeyCredential.")
            default: break
            }
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(ConfigurationError(reader.problems))
    }

    /// https to anywhere; http only to this machine (tests).
    static func isAllowedURL(_ text: String) -> Bool {
        guard text.utf8.count <= 500, let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil, components.user == nil, components.password == nil
        else { return false }
        switch components.scheme {
        case "https": return true
        case "http": return ["localhost", "127.0.0.1", "[::1]", "::1"].contains(host)
        default: return false
        }
    }

    /// Where a secret named by a `*Credential` key is: `$CREDENTIALS_DIRECTORY/<name>`.
    public static func credentialPath(_ name: String, environment: [String: String]) -> String? {
        guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else { return nil }
        return directory + "/" + name
    }
}

/// Every problem found in a table of the configuration, in file order.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [SchemaViolation]

    public init(_ problems: [SchemaViolation]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
