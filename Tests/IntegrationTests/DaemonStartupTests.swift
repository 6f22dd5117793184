import Foundation
import Testing

/// `madoguchid` refusing to start, as a technician meets it: every problem at once, each
/// with where it is and what to do, and an exit status systemd shows.
@Suite("The daemon's start-up checks")
struct DaemonStartupTests {
    /// A folder with an outbox key and `madoguchi.toml` holding `config`.
    static func kiosk(_ config: (String) -> String, key: Bool = true) async throws -> String {
        let directory = NSTemporaryDirectory() + "madoguchid-start-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if key {
            let made = try await ProgramRunner.run("madoguchi", ["keys", "init", "--file", directory + "/outbox.key", "--lang", "en"])
            #expect(made.status == 0, "\(made.standardError)")
        }
        try config(directory).write(toFile: directory + "/madoguchi.toml", atomically: true, encoding: .utf8)
        return directory
    }

    static func base(_ directory: String) -> String {
        """
        [kiosk]
        id = "kasumi-honcho-01"
        forms = ["okuyami"]
        formsDirectory = "\(ServicesEnvironment.packageRoot.path)/Tests/Fixtures/forms"
        stateDirectory = "\(directory)"

        [outbox]
        path = "\(directory)/outbox.sqlite"
        keyFile = "\(directory)/outbox.key"

        [staff]
        enabled = false

        """
    }

    @Test func aConfigurationWithMistakesStopsTheStartWithEveryOneLocated() async throws {
        let directory = try await Self.kiosk { _ in
            """
            [kiosk]
            name = "本庁舎"

            [printers]
            queue = "a4"

            [outbox]
            maxPending = 0
            """
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await ProgramRunner.run("madoguchid", ["--config", directory + "/madoguchi.toml"], timeout: 20)
        #expect(result.status == 78, "\(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.contains { $0.contains("madoguchi.toml:") && $0.contains("[kiosk]") && $0.contains("id") })
        #expect(lines.contains { $0.contains("madoguchi.toml:8") && $0.contains("maxPending") })
        #expect(lines.contains { $0.contains("[printers]") }, "an unknown section is named")
    }

    @Test func aStaffPasscodeFileThatIsNotAHashStopsTheStartAndCheckConfigSaysSo() async throws {
        let directory = try await Self.kiosk { directory in
            Self.base(directory).replacingOccurrences(
                of: "[staff]\nenabled = false", with: "[staff]\nenabled = true\npasscodeHashFile = \"\(directory)/staff.hash\"")
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Someone wrote the passcode itself instead of its hash.
        try "246810\n".write(toFile: directory + "/staff.hash", atomically: true, encoding: .utf8)
        chmod(directory + "/staff.hash", 0o600)
        for arguments in [["--check-config"], []] {
            let result = try await ProgramRunner.run("madoguchid", arguments + ["--config", directory + "/madoguchi.toml"], timeout: 20)
            #expect(result.status == 78, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("[staff] passcodeHashFile:") && result.standardError.contains("madoguchi staff passcode"))
            #expect(!result.standardError.contains("246810"), "the file's content is never shown")
        }
        // Made properly, the configuration is valid.
        let made = try await ProgramRunner.run(
            "madoguchi", ["staff", "passcode", "--file", directory + "/staff.hash", "--passcode-stdin"], input: "246810\n")
        #expect(made.status == 0, "\(made.standardError)")
        let checked = try await ProgramRunner.run("madoguchid", ["--check-config", "--config", directory + "/madoguchi.toml"], timeout: 20)
        #expect(checked.status == 0, "\(checked.standardError)")
    }

    @Test func aMissingOutboxKeySaysHowToMakeOne() async throws {
        let directory = try await Self.kiosk({ Self.base($0) }, key: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await ProgramRunner.run("madoguchid", ["--config", directory + "/madoguchi.toml"], timeout: 20)
        #expect(result.status == 78, "\(result.standardError)")
        #expect(result.standardError.contains("keys init"), "\(result.standardError)")
    }

    @Test func aConsoleThatIsNotAVirtualTerminalStopsTheStartWithWhatToWrite() async throws {
        let directory = try await Self.kiosk { Self.base($0) + "\n[display]\nrenderer = \"terminal\"\nconsole = \"/dev/tty64\"\n" }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for arguments in [["--check-config"], []] {
            let result = try await ProgramRunner.run("madoguchid", arguments + ["--config", directory + "/madoguchi.toml"], timeout: 20)
            #expect(result.status == 78, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("madoguchi.toml:16:"), "the line: \(result.standardError)")
            #expect(result.standardError.contains("[display] console: must be the kiosk's virtual terminal, /dev/tty1 to /dev/tty63"), "\(result.standardError)")
            #expect(result.standardError.contains("[display] console: キオスクの仮想端末"), "\(result.standardError)")
        }
    }

    @Test func aDisplayThatCannotBeOpenedNamesTheDeviceAndTheWayOut() async throws {
        let directory = try await Self.kiosk { Self.base($0) + "\n[display]\ndevice = \"/dev/fb-missing\"\n" }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await ProgramRunner.run("madoguchid", ["--config", directory + "/madoguchi.toml"], timeout: 20)
        #expect(result.status == 69, "\(result.standardError)")
        #expect(result.standardError.contains("/dev/fb-missing") && result.standardError.contains("renderer = \"terminal\""))
    }
}
