import Contracts
import Foundation
import MadoguchiConfig
import Testing

/// `[backoffice]` of madoguchi.toml: the shipped examples read as the schema says, and bad
/// values are located without repeating them.
@Suite struct BackofficeSettingsTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../schemas/examples/config").standardized.path

    static func read(_ toml: String) throws -> Result<BackofficeSettings, ConfigurationError> {
        BackofficeSettings.read(try DataLoader.loadTOML(toml, file: "madoguchi.toml"))
    }

    @Test func theShippedValidExamplesReadAndTheMtlsOneNamesItsFiles() throws {
        let directory = Self.examples + "/valid"
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".toml") {
            let document = try DataLoader.load(contentsOf: directory + "/" + name)
            #expect(throws: Never.self, "\(name)") { try BackofficeSettings.read(document).get() }
        }
        let vehicle = try BackofficeSettings.read(DataLoader.load(contentsOf: directory + "/vehicle-mtls.toml")).get()
        #expect(vehicle.auth == .mtls && vehicle.url == "https://backoffice.example.lg.jp/madoguchi")
        #expect(vehicle.clientCertificate == "/etc/madoguchi/tls/kiosk.crt" && vehicle.clientKeyCredential == "kiosk.key")
        #expect(vehicle.retryInitialSeconds == 5 && vehicle.retryMaxSeconds == 900)
        #expect(try BackofficeSettings.read(DataLoader.loadTOML("[kiosk]\nid = \"a\"\n", file: "m.toml")).get() == BackofficeSettings())
    }

    @Test func theShippedInvalidBackofficeExamplesFailAtThePlaceTheirExpectFileNames() throws {
        let directory = Self.examples + "/invalid"
        var checked = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".expect") {
            let expected = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "at: ", with: "")
            guard expected.hasPrefix("/backoffice") else { continue }
            let document = try DataLoader.load(contentsOf: directory + "/" + name.replacingOccurrences(of: ".expect", with: ".toml"))
            guard case .failure(let error) = BackofficeSettings.read(document) else {
                Issue.record("\(name): accepted")
                continue
            }
            #expect(error.problems.map(\.instancePath).contains(expected), "\(name): \(error)")
            #expect(!error.description.contains("s3cr3t"))
            checked += 1
        }
        #expect(checked == 3)
    }

    @Test func eachBadValueIsReportedAtItsLine() throws {
        guard
            case .failure(let error) = try Self.read(
                """
                [backoffice]
                url = "ftp://backoffice.example.lg.jp"
                auth = "password"
                tokenFile = "token.txt"
                retryMaxSeconds = 0
                clientKey = "-----BEGIN PRIVATE KEY-----"
                proxy = "x"
                """)
        else {
            Issue.record("accepted a bad [backoffice]")
            return
        }
        let lines = error.problems.map { $0.line(in: .english) }
        #expect(lines.count == 6, "\(lines)")
        #expect(lines[0].hasPrefix("madoguchi.toml:2:") && lines[0].contains("[backoffice] url: must start with https://"))
        #expect(lines[1].hasPrefix("madoguchi.toml:3:") && lines[1].contains("[backoffice] auth: not an authentication method; use bearer or mtls"))
        #expect(lines[2].hasPrefix("madoguchi.toml:4:") && lines[2].contains("[backoffice] tokenFile: must be an absolute path"))
        #expect(lines[3].hasPrefix("madoguchi.toml:5:") && lines[3].contains("[backoffice] retryMaxSeconds: must be a whole number from 1 to 86400"))
        #expect(lines[4].hasPrefix("madoguchi.toml:6:") && lines[4].contains("[backoffice] clientKey: never write a private key in this file"))
        #expect(lines[5].hasPrefix("madoguchi.toml:7:") && lines[5].contains("[backoffice] proxy: unknown setting"))
        #expect(!error.description.contains("BEGIN PRIVATE"))
        guard case .failure(let mtls) = try Self.read("[backoffice]\nurl = \"https://b.example\"\nauth = \"mtls\"\nclientCertificate = \"/k.crt\"\n")
        else {
            Issue.record("accepted mtls without a key")
            return
        }
        #expect(mtls.problems.first?.message.en.contains("clientKeyFile or clientKeyCredential") == true)
    }
}
