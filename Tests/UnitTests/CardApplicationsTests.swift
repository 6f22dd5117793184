import MyNumberCard
import SmartCard
import Testing
import TestSupport

/// Which of the card's applications answer SELECT: diagnostics lists them without reading
/// anything, and a card that refuses in its own way is not an error.
@Suite("The card's applications, by SELECT alone")
struct CardApplicationsTests {
    @Test func eachApplicationThatAnswers9000IsPresentInOrder() throws {
        let transport = ScriptedTransport(replies: [[0x90, 0x00], [0x6A, 0x82], [0x90, 0x00], [0x6A, 0x86]])
        let reader = MyNumberCardReader(channel: CardChannel(transport))
        #expect(try reader.applicationsPresent() == [.jpki, .kenkaku])
        // Four SELECTs by DF name with P2 = 0C (no FCI), nothing else: no READ, no VERIFY.
        #expect(transport.sent.count == 4 && transport.sent.allSatisfy { $0.prefix(4) == [0x00, 0xA4, 0x04, 0x0C] })
        #expect(transport.sent.map { Array($0.dropFirst(5)) } == MyNumberCardApplication.allCases.map(\.aid))
    }

    @Test func aCardThatRefusesEveryWayHasNoApplicationsAndIsNoError() throws {
        let transport = ScriptedTransport(replies: [[0x6D, 0x00], [0x6E, 0x00], [0x69, 0x99], [0x6A, 0x82]])
        #expect(try MyNumberCardReader(channel: CardChannel(transport)).applicationsPresent().isEmpty)
    }

    @Test func theApplicationsCarryTheirNamesInBothLanguages() {
        for application in MyNumberCardApplication.allCases {
            #expect(!application.name.ja.isEmpty && !application.name.en.isEmpty && application.aid.count == 10)
        }
        #expect(Set(MyNumberCardApplication.allCases.map(\.aid)).count == 4)
    }
}
