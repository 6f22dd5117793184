import Contracts
import Foundation
import MyNumberCard
import PCSC
import SmartCard
import Testing

/// Drives the virtual My Number Card: its knobs (a JSON control file) and its slot.
struct VirtualCard {
    let environment: ServicesEnvironment

    var controlPath: String { get throws { try environment.require("MADOGUCHI_TEST_CARD_CONTROL") } }
    var traceURL: URL { get throws { URL(fileURLWithPath: try environment.require("MADOGUCHI_TEST_APDU_LOG")) } }

    /// Writes the knobs, then takes the card off and puts it back so they apply from power-on.
    func configure(_ json: String) async throws {
        try json.write(toFile: try controlPath, atomically: true, encoding: .utf8)
        try await reinsert()
    }

    /// Back to the plain card in the first slot (also on failure, from `defer`).
    func reset() async throws {
        try? FileManager.default.removeItem(atPath: try controlPath)
        try await reinsert()
    }

    /// SIGUSR1, wait until no reader holds it; SIGUSR2, wait until one does.
    func reinsert() async throws {
        let pid = try environment.cardPID
        kill(pid, SIGUSR1)
        try await waitUntil { try PCSCContext().readersHoldingCards().isEmpty }
        kill(pid, SIGUSR2)
        try await waitUntil { try !PCSCContext().readersHoldingCards().isEmpty }
    }

    private func waitUntil(_ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while try !condition() {
            guard ContinuousClock.now < deadline else { throw EnvironmentError(message: "the virtual card did not move within 5 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The trace's length now, to read only what a test caused.
    func traceMark() throws -> Int {
        (try? Data(contentsOf: try traceURL).count) ?? 0
    }

    /// The C-APDUs logged since `mark` (comment lines dropped).
    func commands(since mark: Int) throws -> [String] {
        let data = try Data(contentsOf: try traceURL)
        return String(decoding: data.dropFirst(mark), as: UTF8.self).split(separator: "\n")
            .map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }
}

extension DeviceTests {
    /// `madoguchi card status|read` on the real pcscd with the virtual card and its knobs.
    @Suite("Reading the My Number Card over PC/SC")
    struct CardReadingTests {
        static let schemas = Result { try SchemaSet(directory: ServicesEnvironment.packageRoot.appendingPathComponent("schemas").path) }

        static let verifyWithData = "0020008004"
        static let selectIndividualNumber = "00A4020C020001"

        func read(pin: String, _ extra: [String] = []) async throws -> ProgramRunner.Result {
            try await ProgramRunner.run("madoguchi", ["card", "read", "--pin-stdin", "--json"] + extra, input: pin + "\n")
        }

        /// The PIN of a fixture profile (each fictional resident has their own).
        func pin(ofProfile path: String) throws -> String {
            let data = try Data(contentsOf: ServicesEnvironment.packageRoot.appendingPathComponent(path))
            let profile = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            return try #require(profile?["pin"] as? String)
        }

        func expectConforms(_ json: String, to schema: String) throws {
            let node = try DataLoader.loadYAML(json, file: "output.json")
            let violations = try Self.schemas.get().validate(node, against: schema)
            #expect(violations.isEmpty, "\(violations.map(\.description))")
        }

        @Test func statusNamesAMyNumberCardWithTriesAndCertificateAndSpendsNoTry() async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.reset()
            let mark = try card.traceMark()
            let result = try await ProgramRunner.run("madoguchi", ["card", "status", "--json"])
            #expect(result.status == 0, "\(result.standardError)")
            try expectConforms(result.standardOutput, to: "card-status.schema.json")
            #expect(result.standardOutput.contains("\"type\" : \"myNumberCard\""))
            #expect(result.standardOutput.contains("\"basicInfo\" : 3"))
            #expect(result.standardOutput.contains("\"notAfter\" : \"2030-12-31"))
            #expect(try !card.commands(since: mark).contains { $0.hasPrefix(Self.verifyWithData) })
        }

        @Test func statusSaysWhenTheAuthenticationCertificateHasExpired() async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.configure(#"{"profile": "Tests/Fixtures/cards/mihon-hanako-expired-cert.json"}"#)
            let result = try await ProgramRunner.run("madoguchi", ["card", "status", "--json"])
            try await card.reset()
            #expect(result.status == 0, "\(result.standardError)")
            try expectConforms(result.standardOutput, to: "card-status.schema.json")
            #expect(result.standardOutput.contains("\"expired\" : true"))
        }

        @Test func readWithTheRightPINPrintsTheIdentityOfTheContract() async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.reset()
            let mark = try card.traceMark()
            let result = try await read(pin: "1234")
            #expect(result.status == 0, "\(result.standardError)")
            try expectConforms(result.standardOutput, to: "card-read.schema.json")
            #expect(result.standardOutput.contains("\"name\" : \"見本 花子\""))
            #expect(result.standardOutput.contains("\"birthWareki\" : \"昭和55年4月1日\""))
            let commands = try card.commands(since: mark)
            #expect(!commands.contains { $0.hasPrefix(Self.selectIndividualNumber) }, "the individual number's EF was selected")
            #expect(commands.contains { $0.hasPrefix("00200080**") || $0.hasPrefix("0020008004") })
        }

        @Test func aWrongPINSaysHowManyTriesAreLeftAndTheRightOneResetsThem() async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.reset()
            let wrong = try await read(pin: "9999")
            #expect(wrong.status == 65)
            #expect(wrong.standardError.contains("あと2回") && wrong.standardError.contains("2 tries left"))
            #expect(wrong.standardOutput.isEmpty)
            let right = try await read(pin: "1234")
            #expect(right.status == 0)
            let status = try await ProgramRunner.run("madoguchi", ["card", "status", "--json"])
            #expect(status.standardOutput.contains("\"basicInfo\" : 3"))
        }

        @Test func theLastTryIsNotSpentWithoutConfirmation() async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.configure(#"{"pinTriesLeft": 1}"#)
            let mark = try card.traceMark()
            let refused = try await read(pin: "1234")
            #expect(refused.status == 65)
            #expect(refused.standardError.contains("あと1回間違えるとロックされます"))
            #expect(try !card.commands(since: mark).contains { $0.hasPrefix(Self.verifyWithData) }, "a VERIFY was sent")
            let confirmed = try await read(pin: "1234", ["--confirm-last-try"])
            #expect(confirmed.status == 0, "\(confirmed.standardError)")
            try await card.reset()
        }

        @Test func aLockedCardIsRefusedWithoutAVerify() async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.configure(#"{"pinTriesLeft": 0}"#)
            let mark = try card.traceMark()
            let result = try await read(pin: "1234", ["--confirm-last-try"])
            try await card.reset()
            #expect(result.status == 77)
            #expect(result.standardError.contains("暗証番号がロックされています"))
            #expect(try !card.commands(since: mark).contains { $0.hasPrefix(Self.verifyWithData) })
        }

        @Test(arguments: [
            #"{"shortReads": 7}"#, #"{"lengthForm": "81"}"#, #"{"lengthForm": "82"}"#,
            #"{"fieldOrder": ["DF25", "DF24", "DF23", "DF22"]}"#, #"{"delayMs": 20}"#,
            #"{"profile": "Tests/Fixtures/cards/mihon-jiro-long-address.json"}"#,
        ])
        func readingSucceedsWhateverTheCardsQuirk(_ knobs: String) async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            let pin = knobs.contains("mihon-jiro") ? try pin(ofProfile: "Tests/Fixtures/cards/mihon-jiro-long-address.json") : "1234"
            try await card.configure(knobs)
            let result = try await read(pin: pin)
            try await card.reset()
            #expect(result.status == 0, "\(knobs): \(result.standardError)")
            try expectConforms(result.standardOutput, to: "card-read.schema.json")
        }

        @Test func rareKanjiAndVariationSequencesSurviveEveryCodePoint() async throws {
            let environment = try ServicesEnvironment.load()
            let card = VirtualCard(environment: environment)
            let profilePath = "Tests/Fixtures/cards/mihon-taro-rare-kanji.json"
            try await card.configure(#"{"profile": "\#(profilePath)"}"#)
            let result = try await read(pin: try pin(ofProfile: profilePath))
            try await card.reset()
            #expect(result.status == 0, "\(result.standardError)")
            let profile = try JSONSerialization.jsonObject(
                with: Data(contentsOf: ServicesEnvironment.packageRoot.appendingPathComponent(profilePath))) as? [String: Any]
            let name = try #require(profile?["name"] as? String)
            #expect(name.unicodeScalars.contains { $0.value > 0xFFFF })
            let output = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
            let identity = output?["identity"] as? [String: Any]
            #expect((identity?["name"] as? String).map { Array($0.unicodeScalars) } == Array(name.unicodeScalars))
        }

        @Test func theCardInTheSecondSlotIsFound() async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.configure(#"{"slot": 1}"#)
            let result = try await read(pin: "1234")
            try await card.reset()
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains("Madoguchi Test Reader 00 01"))
        }

        @Test(arguments: [("juki-card.json", "jukiCard", "住民基本台帳カード"), ("other-card.json", "unknown", "マイナンバーカードではありません")])
        func otherCardsAreNamedAndNotRead(_ profile: String, _ type: String, _ message: String) async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.configure(#"{"profile": "Tests/Fixtures/cards/\#(profile)"}"#)
            let status = try await ProgramRunner.run("madoguchi", ["card", "status", "--json"])
            let read = try await read(pin: "1234")
            try await card.reset()
            #expect(status.status == 0)
            #expect(status.standardOutput.contains("\"type\" : \"\(type)\""))
            try expectConforms(status.standardOutput, to: "card-status.schema.json")
            #expect(read.status == 69)
            #expect(read.standardError.contains(message))
        }

        @Test func aCardPulledMidReadIsReportedAndNothingPartialIsPrinted() async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.configure(#"{"vanishAfter": 12}"#)  // the READ BINARY of the header
            let result = try await read(pin: "1234")
            try await card.reset()
            #expect(result.status == 75, "\(result.status): \(result.standardError)")
            #expect(result.standardOutput.isEmpty)
            #expect(result.standardError.contains("カードが取り除かれました"))
        }

        @Test(arguments: ["truncated", "badLength", "badOffsets"])
        func malformedCardDataIsAnErrorNotACrash(_ kind: String) async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.configure(#"{"malformedTLV": "\#(kind)"}"#)
            let result = try await read(pin: "1234")
            try await card.reset()
            #expect(result.status == 1, "\(kind): \(result.status) \(result.standardError)")
            #expect(result.standardOutput.isEmpty)
            #expect(result.standardError.contains("カードのデータ"))
            #expect(!result.standardError.contains("見本"))
        }

        @Test func theLibraryReadsThroughOneTransactionAndResetsTheCard() throws {
            let environment = try ServicesEnvironment.load()
            let context = try PCSCContext()
            let card = try PCSCCard(context: context, reader: try environment.reader)
            try card.beginTransaction()
            let reader = MyNumberCardReader(channel: CardChannel(card))
            let identity = try reader.verifyAndRead(pin: try PIN(asciiDigits: Array("1234".utf8)))
            card.endTransaction(reset: true)
            #expect(identity.sex.code == "2")
            #expect(card.usesT1)
            // After the reset the verified state is gone: EF 0002 needs a VERIFY again.
            try card.beginTransaction()
            defer { card.disconnect(reset: true) }
            _ = try reader.channel.transmit(try CommandAPDU(ins: 0xA4, p1: 0x04, p2: 0x0C, data: MyNumberCardApplication.kenhojo.aid))
            _ = try reader.channel.transmit(try CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [0x00, 0x02]))
            let read = try reader.channel.transmit(try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, expectedLength: 8))
            #expect(read.status == .securityStatusNotSatisfied)
        }
    }
}
