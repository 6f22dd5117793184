import Foundation
import Testing

/// `madoguchi staff passcode`: the staff passcode kept only as a private `$6$` hash.
@Suite struct StaffCommandTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-staff-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func thePasscodeBecomesAPrivateSHA512HashAndIsNeverPrinted() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/staff.hash"
        let result = try await ProgramRunner.run("madoguchi", ["staff", "passcode", "--file", file, "--passcode-stdin"], input: "97531864\n")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("The staff passcode is set: \(file) (mode 0600"))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("$6$") && text.hasSuffix("\n") && !text.contains("97531864"))
        let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        #expect(!(result.standardOutput + result.standardError).contains("97531864"))
        // A second run changes it.
        let again = try await ProgramRunner.run("madoguchi", ["staff", "passcode", "--file", file, "--passcode-stdin"], input: "97531864\n")
        #expect(again.status == 0)
        #expect(try String(contentsOfFile: file, encoding: .utf8) != text, "a new salt each time")
    }

    @Test(arguments: ["12345", "12ab5678", "1234567890123", ""])
    func aPasscodeThatIsNotSixToTwelveDigitsIsRefusedAndNothingIsWritten(_ input: String) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/staff.hash"
        let result = try await ProgramRunner.run("madoguchi", ["staff", "passcode", "--file", file, "--passcode-stdin"], input: input + "\n")
        #expect(result.status == 1)
        #expect(result.standardError.contains("The staff passcode must be 6 to 12 digits"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: file))
        if !input.isEmpty { #expect(!result.standardError.contains(input), "the refused input is not echoed") }
    }

    @Test func aFolderThatCannotBeWrittenIsNamed() async throws {
        let result = try await ProgramRunner.run(
            "madoguchi", ["staff", "passcode", "--file", "/nonexistent/folder/staff.hash", "--passcode-stdin", "--lang", "en"], input: "246810\n")
        #expect(result.status == 1)
        #expect(result.standardError.contains("Cannot create a file in /nonexistent/folder"), "\(result.standardError)")
    }
}
