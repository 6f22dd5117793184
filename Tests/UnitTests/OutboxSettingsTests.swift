import Contracts
import MadoguchiConfig
import Testing

/// `[outbox]` of madoguchi.toml: defaults, every key, and located errors for bad values.
@Suite struct OutboxSettingsTests {
    static func read(_ toml: String) throws -> Result<OutboxSettings, OutboxSettingsError> {
        OutboxSettings.read(try DataLoader.loadTOML(toml, file: "madoguchi.toml"))
    }

    @Test func aConfigurationWithoutAnOutboxTableGivesTheDefaults() throws {
        let settings = try Self.read("[kiosk]\nid = \"kasumi-honcho-01\"\n").get()
        #expect(settings == OutboxSettings())
        #expect(settings.path == "/var/lib/madoguchi/outbox.sqlite" && settings.keyFile == "/etc/madoguchi/outbox.key")
        #expect(settings.maxPending == 20_000 && settings.minFreeMegabytes == 64 && settings.keyCredential == nil)
    }

    @Test func everyOutboxKeyIsRead() throws {
        let settings = try Self.read(
            """
            [outbox]
            path = "/srv/madoguchi/queue.sqlite"
            keyCredential = "outbox.key"
            keyFile = "/etc/madoguchi/other.key"
            warnPending = 50
            maxPending = 500
            minFreeMegabytes = 0
            deadLetterRetentionDays = 30
            """
        ).get()
        #expect(settings.path == "/srv/madoguchi/queue.sqlite" && settings.keyCredential == "outbox.key")
        #expect(settings.keyFile == "/etc/madoguchi/other.key" && settings.warnPending == 50)
        #expect(settings.maxPending == 500 && settings.minFreeMegabytes == 0 && settings.deadLetterRetentionDays == 30)
    }

    @Test func eachBadValueIsReportedAtItsLineAndNeverEchoed() throws {
        let result = try Self.read(
            """
            [outbox]
            path = "relative/outbox.sqlite"
            keyCredential = "../secret"
            maxPending = 0
            warnPending = 1.5
            key = "c2VjcmV0LWtleS1tYXRlcmlhbA=="
            colour = "blue"
            """)
        guard case .failure(let error) = result else {
            Issue.record("accepted a bad [outbox]")
            return
        }
        let lines = error.problems.map { $0.line(in: .english) }
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("madoguchi.toml:2:") && lines[0].contains("[outbox] path: must be an absolute path"))
        #expect(lines[1].hasPrefix("madoguchi.toml:3:") && lines[1].contains("[outbox] keyCredential: must be a systemd credential name"))
        #expect(lines[2].hasPrefix("madoguchi.toml:4:") && lines[2].contains("[outbox] maxPending: must be a whole number from 1 to 1000000"))
        #expect(lines[3].hasPrefix("madoguchi.toml:5:") && lines[3].contains("[outbox] warnPending: must be a whole number, not number"))
        #expect(lines[4].hasPrefix("madoguchi.toml:6:") && lines[4].contains("[outbox] key: never write the key in this file"))
        #expect(lines[5].hasPrefix("madoguchi.toml:7:") && lines[5].contains("[outbox] colour: unknown setting"))
        #expect(!error.description.contains("c2VjcmV0") && !error.description.contains("secret"))
        #expect(error.problems[0].line(in: .japanese).contains("絶対パス"))
    }

    @Test func anOutboxThatIsNotATableIsRefused() throws {
        guard case .failure(let error) = try Self.read("outbox = 3\n") else {
            Issue.record("accepted outbox = 3")
            return
        }
        #expect(error.problems.count == 1 && error.problems[0].keyword == "type")
    }
}
