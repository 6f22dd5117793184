import ControlProtocol
import Foundation
import KioskMetrics
import Testing

@Suite("Control protocol")
struct ControlProtocolTests {
    static let valid: [(String, ControlRequest)] = [
        (#"{"command":"status"}"#, .status),
        (#" { "command" : "stats" } "#, .stats),
        (#"{"command":"queue.retry","id":"3F2C8E0A-1B2C-4D5E-8F90-A1B2C3D4E5F6"}"#,
         .queueRetry(.id("3f2c8e0a-1b2c-4d5e-8f90-a1b2c3d4e5f6"))),
        (#"{"all":true,"command":"queue.retry"}"#, .queueRetry(.all)),
        (#"{"command":"queue.pause"}"#, .queuePause),
        (#"{"command":"queue.resume"}"#, .queueResume),
        (#"{"command":"printer.status"}"#, .printerStatus),
        (#"{"command":"session\u002ecancel"}"#, .sessionCancel),
    ]

    @Test(arguments: 0..<valid.count)
    func everyCommandParses(_ index: Int) throws {
        let (line, request) = Self.valid[index]
        #expect(try ControlRequest.parse(Array(line.utf8)).get() == request)
        // What the client sends parses back to the same request.
        #expect(try ControlRequest.parse(Array(request.encodedLine().dropLast())).get() == request)
        // And Codable agrees.
        #expect(try JSONDecoder().decode(ControlRequest.self, from: Data(request.encodedLine())) == request)
    }

    /// Each refusal: the line, the code, the offset.
    static let invalid: [(String, ControlErrorCode, Int?)] = [
        ("", .emptyRequest, nil),
        ("   ", .emptyRequest, nil),
        (#"{"command":"status"} x"#, .invalidJSON, 21),
        (#"{"command":'status'}"#, .invalidJSON, 11),
        (#"{"command":"status",}"#, .invalidJSON, 20),
        (#"{"command":"sta\qtus"}"#, .invalidJSON, 16),
        (#"{"command":"\ud800"}"#, .invalidJSON, 18),
        (#"{"command":01}"#, .invalidJSON, 12),
        (String(repeating: "[", count: 40), .invalidJSON, 16),
        ("null", .notAnObject, 0),
        (#"{}"#, .missingCommand, 0),
        (#"{"command":null}"#, .wrongType, 11),
        (#"{"command":"reboot"}"#, .unknownCommand, 11),
        (#"{"command":"status","command":"stats"}"#, .duplicateField, 20),
        (#"{"command":"status","verbose":true}"#, .unknownField, 20),
        (#"{"command":"queue.retry","id":42}"#, .wrongType, 30),
        (#"{"command":"queue.retry","id":"not-a-uuid"}"#, .invalidArgument, 30),
        (#"{"command":"queue.retry","all":false}"#, .invalidArgument, 31),
        (#"{"command":"queue.retry","all":"yes"}"#, .wrongType, 31),
        (#"{"command":"queue.retry","all":true,"id":"3f2c8e0a-1b2c-4d5e-8f90-a1b2c3d4e5f6"}"#, .conflictingArguments, 41),
    ]

    @Test(arguments: 0..<invalid.count)
    func everyRefusalNamesItsCodeAndByteOffset(_ index: Int) {
        let (line, code, offset) = Self.invalid[index]
        guard case .failure(let error) = ControlRequest.parse(Array(line.utf8)) else {
            Issue.record("accepted \(line)")
            return
        }
        #expect(error.code == code, "\(line): \(error)")
        #expect(error.offset == offset, "\(line): \(error)")
        if let offset {
            #expect(error.message.en.contains("byte offset \(offset)"), "\(error.message.en)")
            #expect(error.message.ja.contains("\(offset) バイト目"), "\(error.message.ja)")
        }
    }

    @Test func aLineOver64KiBIsTooLarge() throws {
        let line = Array(#"{"command":"status","#.utf8) + [UInt8](repeating: 0x20, count: 65_536) + [0x7D]
        guard case .failure(let error) = ControlRequest.parse(line) else { throw SocketTestError(description: "accepted") }
        #expect(error.code == .requestTooLarge)
        // Exactly 64 KiB is still read.
        let padded = Array(#"{"command":"status""#.utf8) + [UInt8](repeating: 0x20, count: 65_536 - 20) + [0x7D]
        #expect(padded.count == 65_536)
        #expect(try ControlRequest.parse(padded).get() == .status)
    }

    @Test func binaryIsRefusedAtTheFirstInvalidByte() {
        guard case .failure(let error) = ControlRequest.parse([0x7B, 0xE3, 0x81, 0x82, 0xC0, 0x80]) else {
            Issue.record("accepted")
            return
        }
        #expect(error.code == .notUTF8)
        #expect(error.offset == 4, "あ (3 bytes) is valid; the overlong C0 80 is not")
    }

    @Test(arguments: [
        #"{"command":"見本 花子"}"#, #"{"command":"status","東京都千代田区":1}"#,
        #"{"command":"queue.retry","id":"見本花子 1234"}"#, #"{"command":"a very long command name that could be a sentence"}"#,
    ])
    func errorsNeverRepeatWhatCouldBePersonalData(_ line: String) {
        guard case .failure(let error) = ControlRequest.parse(Array(line.utf8)) else {
            Issue.record("accepted \(line)")
            return
        }
        for secret in ["見本", "花子", "東京都", "1234", "sentence"] {
            #expect(!error.message.ja.contains(secret) && !error.message.en.contains(secret), "\(error)")
        }
    }

    static let responses: [ControlResponse] = [
        .success(.status(sampleStatus)),
        .success(.status(DaemonStatus(version: "0.1.0", uptimeSeconds: 1.5, kioskId: "k", mode: "vehicle"))),
        .success(
            .stats(
                StatsReport(forms: [
                    .init(
                        id: "okuyami", steps: [.init(step: "card", count: 0, medianSeconds: nil, p90Seconds: nil)],
                        outcomes: .init(finished: 3), abandonedAt: [])
                ]))),
        .success(.printerStatus(.init(queue: nil, state: "stopped", reasons: ["media-empty-error"]))),
        .success(.queueRetry(.init(retried: 3))),
        .success(.queuePause(.init(pending: 1, deadLetters: 0, paused: true))),
        .success(.queueResume(.init(pending: 1, deadLetters: 0, paused: false))),
        .success(.sessionCancel(.init(cancelled: true, phase: "welcome"))),
        .failure(.unavailable, .init(ja: "プリンターがありません。", en: "No printer.")),
    ]

    @Test(arguments: 0..<responses.count)
    func everyResponseIsOneLineAndDecodesToItself(_ index: Int) throws {
        let response = Self.responses[index]
        let line = response.encodedLine()
        #expect(line.last == 0x0A)
        #expect(line.dropLast().contains(0x0A) == false)
        #expect(try ControlResponse.decode(line) == response)
    }

    @Test func theWireShapeIsTheDocumentedOne() throws {
        let success = String(decoding: ControlResponse.success(.queueRetry(.init(retried: 2))).encodedLine(), as: UTF8.self)
        #expect(success == #"{"command":"queue.retry","ok":true,"result":{"retried":2}}"# + "\n")
        let failure = String(
            decoding: ControlResponse.failure(.busy, .init(ja: "混雑", en: "Busy")).encodedLine(), as: UTF8.self)
        #expect(failure == #"{"error":{"code":"busy","en":"Busy","ja":"混雑"},"ok":false}"# + "\n")
        // Optional members are null, not missing.
        let status = String(
            decoding: ControlResponse.success(.status(DaemonStatus(version: "v", uptimeSeconds: 0, kioskId: "k", mode: "m")))
                .encodedLine(), as: UTF8.self)
        #expect(status.contains(#""reader":{"cardPresent":false,"name":null}"#))
        #expect(status.contains(#""backoffice":{"lastSync":null,"reachable":null}"#))
    }

    @Test func theConsoleIsInTheStatusWithItsTTYNullWhenNoneIsConfiguredAndALineOnlyWhenOneIs() throws {
        let plain = DaemonStatus(version: "v", uptimeSeconds: 0, kioskId: "k", mode: "m")
        let wire = String(decoding: ControlResponse.success(.status(plain)).encodedLine(), as: UTF8.self)
        #expect(wire.contains(#""console":{"locked":false,"tty":null}"#), "\(wire)")
        #expect(!plain.linesForPeople().contains { $0.contains("Console") })
        var unlocked = plain
        unlocked.console = .init(tty: "/dev/tty1", locked: false)
        #expect(try ControlResponse.decode(ControlResponse.success(.status(unlocked)).encodedLine()) == .success(.status(unlocked)))
        #expect(unlocked.linesForPeople().last == "コンソール / Console: /dev/tty1、固定できません / not locked (journalctl -u madoguchid)")
        unlocked.console.locked = true
        #expect(unlocked.linesForPeople().last == "コンソール / Console: /dev/tty1、固定しています / locked")
    }

    @Test func theStatusReadsForPeopleWithoutPersonalData() {
        let lines = sampleStatus.linesForPeople()
        #expect(lines.contains("受付 / Session: answering"))
        #expect(lines.contains { $0.contains("Madoguchi Test Reader 00 00") && $0.contains("card present") })
        #expect(lines.contains { $0.contains("dead letters 1") })
    }
}
