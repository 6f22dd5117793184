import AsyncHTTPClient
import Foundation
import MadoguchiCore
import Testing

@Suite("The built programs, run as a user would")
struct ProgramTests {
    @Test(arguments: ["madoguchi", "madoguchid", "madoguchi-backoffice"])
    func versionFlagPrintsTheVersionAndExitsZero(_ program: String) async throws {
        let result = try await ProgramRunner.run(program, ["--version"])
        #expect(result.status == 0)
        #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == MadoguchiVersion.string)
    }

    @Test(arguments: ["madoguchi", "madoguchid", "madoguchi-backoffice"])
    func helpFlagDescribesTheProgramInJapaneseAndEnglish(_ program: String) async throws {
        let result = try await ProgramRunner.run(program, ["--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("USAGE: \(program)"))
        #expect(result.standardOutput.contains(" / "))
    }

    @Test(arguments: [("printer", "madoguchi-printer"), ("usb", "madoguchi-usb"), ("forms", "madoguchi-forms")])
    func heavySubcommandsRunInTheirHelperProgram(_ subcommand: String, _ helper: String) async throws {
        let help = try await ProgramRunner.run("madoguchi", [subcommand, "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("USAGE: madoguchi \(subcommand) <subcommand>"))
        let version = try await ProgramRunner.run(helper, ["--version"])
        #expect(version.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == MadoguchiVersion.string)
    }

    @Test func usbListNamesDevicesByTheirProfilesAndWatchStopsOnTime() async throws {
        let devices = ServicesEnvironment.packageRoot.appendingPathComponent("Devices").path
        let list = try await ProgramRunner.run("madoguchi", ["usb", "list", "--devices", devices])
        #expect(list.status == 0, "\(list.standardError)")
        // This machine may have no USB bus; where it has one, every line names a device.
        #expect(list.standardOutput.contains("No USB devices found.") || list.standardOutput.contains("bus "))
        #expect(list.standardError.isEmpty)
        let start = ContinuousClock.now
        let watch = try await ProgramRunner.run("madoguchi", ["usb", "watch", "--seconds", "1", "--devices", devices], timeout: 20)
        #expect(watch.status == 0, "\(watch.standardError)")
        #expect(watch.standardOutput.contains("USB 機器を監視しています… / Watching USB devices…"))
        #expect(ContinuousClock.now - start < .seconds(10), "the watch thread must stop with the command")
        let missing = try await ProgramRunner.run("madoguchi", ["usb", "list", "--devices", "/nonexistent"])
        #expect(missing.status == 0 && missing.standardError.contains("name the folder with --devices"))
        let bad = try await ProgramRunner.run("madoguchi", ["usb", "watch", "--seconds", "0"])
        #expect(bad.status == 64 && bad.standardError.contains("--seconds must be a positive number"))
    }

    @Test func theCardToolLinksNeitherCairoNorCUPSNorLibusbSoItStartsFast() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        process.arguments = [ProgramRunner.binDirectory.appendingPathComponent("madoguchi").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let libraries = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(libraries.contains("libpcsclite"))
        for heavy in ["libcairo", "libpango", "libcups", "libusb"] {
            #expect(!libraries.contains(heavy), "madoguchi links \(heavy)")
        }
    }

    @Test func cliRejectsANonPositiveWatchTimeWithAPreciseMessage() async throws {
        let result = try await ProgramRunner.run("madoguchi", ["card", "watch", "--seconds", "0"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--seconds must be a positive number"))
    }

    @Test func backofficeAnswersItsHealthCheckOverRealHTTP() async throws {
        let output = Pipe()
        let error = Pipe()
        let scratch = NSTemporaryDirectory() + "madoguchi-backoffice-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try "".write(toFile: scratch + "/tokens", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let server = try ProgramRunner.start(
            "madoguchi-backoffice",
            [
                "serve", "--port", "0", "--tokens", scratch + "/tokens", "--database", scratch + "/backoffice.sqlite",
                "--schemas", ServicesEnvironment.packageRoot.path + "/schemas",
            ], output: output, error: error)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        // The first line says where it listens: "listening on 127.0.0.1:PORT".
        let line = try await Task.detached {
            var bytes: [UInt8] = []
            while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != 10 {
                bytes.append(byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }.value
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0) }, "unexpected first line: \(line)")

        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/health"), timeout: .seconds(10))
        #expect(response.status == .ok)
        #expect(response.headers.first(name: "content-type") == "application/json")
        let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
        #expect(body.contains("\"status\":\"ok\""))
    }
}

extension DeviceTests {
    @Suite("The CLI against the real services")
    struct CLITests {
        @Test func cardReadersListsTheVirtualReader() async throws {
            let environment = try ServicesEnvironment.load()
            let result = try await ProgramRunner.run("madoguchi", ["card", "readers"])
            #expect(result.status == 0)
            #expect(result.standardOutput.contains(try environment.reader))
        }

        @Test func cardWatchShowsTheReaderAndTheCardInJapaneseAndEnglish() async throws {
            let environment = try ServicesEnvironment.load()
            let result = try await ProgramRunner.run("madoguchi", ["card", "watch", "--seconds", "1.5"])
            #expect(result.status == 0)
            #expect(result.standardOutput.contains("カードリーダーが接続されました: \(try environment.reader)"))
            #expect(result.standardOutput.contains("Card placed: \(try environment.reader)"))
        }

        @Test func statusWithoutADaemonChecksTheReaderPrinterAndOutboxDirectly() async throws {
            let environment = try ServicesEnvironment.load()
            let result = try await ProgramRunner.run(
                "madoguchi", ["status"],
                environment: ["MADOGUCHI_CONTROL_SOCKET": "/nonexistent/control.sock", "CUPS_SERVER": try environment.cupsServer])
            #expect(result.status == 69, "still says the daemon is not running")
            #expect(result.standardError.contains("madoguchid is not running. Checking this kiosk's devices directly"))
            #expect(result.standardOutput.contains(try environment.reader), "\(result.standardOutput)")
            #expect(result.standardOutput.contains(try environment.printer), "the printer helper ran: \(result.standardOutput)")
            #expect(result.standardOutput.contains("== 送信待ちキュー / Outbox"))
            #expect(result.standardError.contains("outbox.sqlite"), "the outbox helper ran: \(result.standardError)")
        }

        @Test func printerListShowsTheTestQueueAsDefault() async throws {
            let environment = try ServicesEnvironment.load()
            let result = try await ProgramRunner.run(
                "madoguchi", ["printer", "list"], environment: ["CUPS_SERVER": try environment.cupsServer])
            #expect(result.status == 0)
            #expect(result.standardOutput.contains("* \(try environment.printer)"))
        }
    }
}
