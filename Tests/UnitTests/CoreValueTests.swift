import Foundation
import MadoguchiConfig
import MadoguchiCore
import MyNumberCard
import Outbox
import SmartCard
import Testing

@Suite("Core values")
struct CoreValueTests {
    @Test func bilingualTextShowsJapaneseFirstThenEnglish() {
        let text = BilingualText(ja: "カードを置いてください", en: "Place your card")
        #expect(text.description == "カードを置いてください / Place your card")
    }

    @Test func atrPrintsUpperCaseHexBytesSeparatedBySpaces() {
        #expect(ATR([0x3B, 0x88, 0x80, 0x01, 0x0A]).hex == "3B 88 80 01 0A")
        #expect(ATR([]).hex == "")
    }

    @Test func myNumberCardApplicationsUseTheExactTenByteAIDs() {
        #expect(MyNumberCardApplication.kenhojo.aid.hexString() == "D3921000310001010408")
        #expect(MyNumberCardApplication.jpki.aid.hexString() == "D392F000260100000001")
    }

    @Test func submissionIDRoundTripsThroughLowerCaseText() throws {
        let id = try #require(SubmissionID("3F2504E0-4F89-11D3-9A0C-0305E82C3301"))
        #expect(id.description == "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
        #expect(SubmissionID(id.description) == id)
    }

    @Test(arguments: ["", "not-a-uuid", "3F2504E0-4F89-11D3-9A0C-0305E82C330"])
    func submissionIDRejectsTextThatIsNotAUUID(_ text: String) {
        #expect(SubmissionID(text) == nil)
    }

    @Test func configPathPrefersTheOptionThenTheEnvironmentThenTheDefault() {
        let environment = ["MADOGUCHI_CONFIG": "/tmp/env.toml"]
        #expect(ConfigurationFile.path(option: "/tmp/opt.toml", environment: environment) == "/tmp/opt.toml")
        #expect(ConfigurationFile.path(option: nil, environment: environment) == "/tmp/env.toml")
        #expect(ConfigurationFile.path(option: "", environment: [:]) == "/etc/madoguchi/madoguchi.toml")
    }
}
