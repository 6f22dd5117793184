import DaemonSupport
import Testing

/// The staff passcode's hash (libxcrypt, `$6$`): made with a random salt, matched only by
/// the same digits, and a hash file that is not one `$6$` line refused with a way out.
@Suite("Staff passcode")
struct StaffPasscodeTests {
    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func aHashMatchesItsPasscodeAndNoOther() throws {
        let hash = try StaffPasscode.hash(Self.ascii("246810"))
        #expect(hash.hasPrefix("$6$"))
        #expect(!hash.contains("246810"), "the digits are not in the hash")
        #expect(StaffPasscode.matches(Self.ascii("246810"), hash: hash))
        #expect(!StaffPasscode.matches(Self.ascii("246811"), hash: hash))
        #expect(!StaffPasscode.matches(Self.ascii("2468100"), hash: hash))
        #expect(!StaffPasscode.matches(Self.ascii("24681"), hash: hash), "too short is never a match")
    }

    @Test func eachHashHasItsOwnSalt() throws {
        let first = try StaffPasscode.hash(Self.ascii("135790"))
        let second = try StaffPasscode.hash(Self.ascii("135790"))
        #expect(first != second)
        #expect(StaffPasscode.matches(Self.ascii("135790"), hash: second))
    }

    @Test(arguments: ["12345", "1234567890123", "12345a", "１２３４５６", ""])
    func aPasscodeIsSixToTwelveASCIIDigits(_ text: String) {
        #expect(!StaffPasscode.isValid(Self.ascii(text)))
        #expect(throws: StaffPasscode.Problem.notDigits) { try StaffPasscode.hash(Self.ascii(text)) }
    }

    @Test func aHashFileIsReadFromItsOneLine() throws {
        let hash = try StaffPasscode.hash(Self.ascii("864213"))
        #expect(try StaffPasscode.parseHash("\n  \(hash)  \n\n") == hash)
    }

    @Test(arguments: ["", "246810\n", "$1$abc$def\n", "$6$salt$hash\n$6$salt$other\n", "$6$salt$ha sh\n", "$6$\n"])
    func aHashFileThatIsNotOneSHA512LineIsRefused(_ text: String) {
        #expect(throws: StaffPasscode.Problem.malformedHash) { try StaffPasscode.parseHash(text) }
        #expect(StaffPasscode.Problem.malformedHash.description.contains("madoguchi staff passcode"), "the message says how to make one")
    }

    @Test func aGarbledHashMatchesNothing() {
        #expect(!StaffPasscode.matches(Self.ascii("246810"), hash: "$6$salt$not-what-crypt-makes"))
        #expect(!StaffPasscode.matches(Self.ascii("246810"), hash: "*0"))
        #expect(!StaffPasscode.matches(Self.ascii("246810"), hash: ""))
    }
}
